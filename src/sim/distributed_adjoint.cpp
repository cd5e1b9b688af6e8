#include "qgen/sim/distributed_adjoint.hpp"

#include <algorithm>
#include <bit>
#include <stdexcept>
#include <string>

#include "qgen/core/errors.hpp"
#include "qgen/sim/distributed_simulator.hpp"

namespace qgen::sim {
namespace {

const core::Ranks& checked(const core::Ranks& group, const Circuit& circuit) {
  // psi (consumed as phi), lambda, and the probabilities (half a state).
  check_distributed_fit(group, circuit.num_qubits(), 2.5, "adjoint gradient");
  return group;
}

}  // namespace

DistributedAdjoint::DistributedAdjoint(const core::Ranks& group, const Circuit& circuit,
                                       FusionLevel level)
    : group_(checked(group, circuit)), gates_(circuit, level),
      distribution_(plan_distribution(gates_.plan(), std::countr_zero(static_cast<unsigned>(group.size)))),
      final_(group, circuit.num_qubits()), lambda_(group, circuit.num_qubits()) {}

void DistributedAdjoint::set_block_bits(int bits) {
  block_bits_for(bits, lambda_.local().num_qubits());  // checks
  block_bits_ = bits;
}

ExchangeTraffic DistributedAdjoint::traffic() const {
  const ExchangeTraffic& f = final_.traffic();
  const ExchangeTraffic& l = lambda_.traffic();
  return {f.exchanges + l.exchanges, f.bytes_sent + l.bytes_sent, f.seconds + l.seconds,
          f.waiting_seconds + l.waiting_seconds};
}

void DistributedAdjoint::forward(std::span<const double> parameters, std::span<double> probabilities) {
  backward_ready_ = false;
  if (probabilities.size() != local_size())
    throw core::InternalError("distributed adjoint: the probabilities need 2^L entries");
  gates_.bind(parameters);
  run_distributed(distribution_, gates_.gates(), final_, probabilities.data());
  backward_ready_ = true;
}

void DistributedAdjoint::backward(std::span<const double> weights, std::span<double> gradient) {
  if (weights.size() != local_size())
    throw core::InternalError("distributed adjoint: the weights need 2^L entries");
  if (static_cast<int>(gradient.size()) != circuit().num_parameters())
    throw core::InternalError("distributed adjoint: the gradient needs " +
                              std::to_string(circuit().num_parameters()) + " entries");
  if (!backward_ready_) throw core::InternalError("distributed adjoint: backward() needs a forward()");
  backward_ready_ = false;
  std::fill(gradient.begin(), gradient.end(), 0.0);

  // lambda = W psi; phi is psi itself, moved back gate by gate.
  lambda_.copy_from(final_);
  multiply_by_weights(lambda_.local(), weights);
  DistributedStateVector& phi = final_;
  using Kind = DistributedStep::Kind;
  // Consecutive gate steps on local block qubits go back block by block (one pass for the
  // run, AdjointGates::step_back_blocked), the others gate by gate.
  const int local_qubits = lambda_.local().num_qubits();
  const int block_bits = block_bits_for(block_bits_, local_qubits);
  auto flush = [&] {
    if (run_gates_.size() == 1)
      gates_.step_back(run_gates_[0], run_undo_[0], lambda_.local(), phi.local(), true, gradient);
    else if (!run_gates_.empty())
      gates_.step_back_blocked(run_gates_, run_undo_, block_bits, lambda_.local(), phi.local(),
                               block_, gradient);
    run_gates_.clear();
    run_undo_.clear();
  };
  for (auto step = distribution_.steps.rbegin(); step != distribution_.steps.rend(); ++step) {
    if (step->kind != Kind::gate) flush();
    switch (step->kind) {
      case Kind::gate: {
        const BoundGate undo = lambda_.localize(adjoint(gates_.gates()[step->gate]));
        const bool in_block = block_bits > 0 && undo.qubits[0] >= local_qubits - block_bits &&
                              (undo.qubits[1] < 0 || undo.qubits[1] >= local_qubits - block_bits);
        if (!in_block) {
          flush();
          gates_.step_back(step->gate, undo, lambda_.local(), phi.local(), /*recover_phi=*/true, gradient);
        } else {
          run_gates_.push_back(step->gate);
          run_undo_.push_back(undo);
        }
        break;
      }
      case Kind::exchange:
        lambda_.exchange(step->positions[0], step->positions[1]);
        phi.exchange(step->positions[0], step->positions[1]);
        break;
      case Kind::local_swap:
        lambda_.swap_local(step->positions[0], step->positions[1]);
        phi.swap_local(step->positions[0], step->positions[1]);
        break;
    }
  }
  flush();
  MPI_Allreduce(MPI_IN_PLACE, gradient.data(), static_cast<int>(gradient.size()), MPI_DOUBLE,
                MPI_SUM, group_.comm);
}

}  // namespace qgen::sim
