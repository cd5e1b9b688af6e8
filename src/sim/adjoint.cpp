#include "qgen/sim/adjoint.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "qgen/sim/simulator.hpp"

namespace qgen::sim {

AdjointDifferentiator::AdjointDifferentiator(const Circuit& circuit, FusionLevel level,
                                             std::size_t memory_budget_bytes)
    : gates_(circuit, level), final_(circuit.num_qubits()), phi_lambda_(circuit.num_qubits()) {
  const std::size_t state_bytes = 16 * final_.size();
  kept_ = static_cast<int>(
      std::min<std::size_t>(gates_.plan().groups.size(), memory_budget_bytes / state_bytes));
  before_.assign(kept_, StateVector(circuit.num_qubits()));
}

void AdjointDifferentiator::forward(std::span<const double> parameters,
                                    std::span<double> probabilities) {
  run_forward(parameters, probabilities, nullptr);
}

void AdjointDifferentiator::forward(std::span<const double> parameters,
                                    std::span<double> probabilities, const StateVector& initial) {
  run_forward(parameters, probabilities, &initial);
}

void AdjointDifferentiator::run_forward(std::span<const double> parameters,
                                        std::span<double> probabilities,
                                        const StateVector* initial) {
  backward_ready_ = false;  // until this forward sweep is complete
  if (probabilities.size() != final_.size())
    throw std::invalid_argument("adjoint: probabilities need 2^Q entries");
  if (initial != nullptr && initial->num_qubits() != circuit().num_qubits())
    throw std::invalid_argument("adjoint: the initial state has " +
                                std::to_string(initial->num_qubits()) + " qubits, the circuit " +
                                std::to_string(circuit().num_qubits()));
  gates_.bind(parameters);
  // The gates before the kept ones run in place; each kept one out of place from the state
  // before it into the next, so keeping those states costs no copies.
  const std::span<const BoundGate> all(gates_.gates());
  const int num_gates = static_cast<int>(all.size()), first_kept = num_gates - kept_;
  StateVector& start = kept_ == 0 ? final_ : before_[0];
  if (initial != nullptr) start.copy_from(*initial);
  else start.set_basis_state(0);
  if (kept_ == 0) {
    apply_range(all, final_, probabilities.data());
    backward_ready_ = true;
    return;
  }
  apply_range(all.first(first_kept), before_[0]);
  for (int g = first_kept; g < num_gates; ++g) {
    const bool last = g + 1 == num_gates;
    apply(all[g], before_[g - first_kept], last ? final_ : before_[g - first_kept + 1],
          last ? probabilities.data() : nullptr);
  }
  backward_ready_ = true;
}

void AdjointDifferentiator::start_backward(std::size_t lambda_size, std::span<double> gradient) {
  if (lambda_size != final_.size())
    throw std::invalid_argument("adjoint: weights and lambda need 2^Q entries");
  if (static_cast<int>(gradient.size()) != circuit().num_parameters())
    throw std::invalid_argument("adjoint: the gradient needs " +
                                std::to_string(circuit().num_parameters()) + " entries");
  // The sweep consumes the kept states (the first is overwritten while recovering earlier
  // ones): one backward() per forward().
  if (!backward_ready_) throw std::logic_error("adjoint: backward() needs a forward() before it");
  backward_ready_ = false;
  std::fill(gradient.begin(), gradient.end(), 0.0);
}

void AdjointDifferentiator::backward(std::span<const double> weights, std::span<double> gradient) {
  start_backward(weights.size(), gradient);
  // lambda = W psi, phi = psi.
  multiply_by_weights(final_, phi_lambda_.second, weights);
  sweep(gradient);
}

void AdjointDifferentiator::backward(const StateVector& lambda, std::span<double> gradient) {
  start_backward(lambda.size(), gradient);
  phi_lambda_.second.copy_from(lambda);
  sweep(gradient);
}

void AdjointDifferentiator::set_block_bits(int bits) {
  block_bits_for(bits, circuit().num_qubits());  // checks
  block_bits_ = bits;
}

bool AdjointDifferentiator::in_block(int g, int block_bits) const {
  // Qubit q is bit Q-1-q: the block bits are those of qubits Q - block_bits and up.
  const int lowest = circuit().num_qubits() - block_bits;
  for (int q : gates_.gates()[g].qubits)
    if (q >= 0 && q < lowest) return false;
  return true;
}

void AdjointDifferentiator::sweep(std::span<double> gradient) {
  // Before the kept states, phi is recovered gate by gate with U^+, from the state before the
  // first kept gate (overwritten in place; nothing needs it after) or from the final state.
  const auto& gates = gates_.gates();
  const int first_kept = static_cast<int>(gates.size()) - kept_;
  StateVector& recovered = kept_ > 0 ? before_[0] : phi_lambda_.first;
  if (kept_ == 0) phi_lambda_.first.copy_from(final_);
  const int block_bits = block_bits_for(block_bits_, circuit().num_qubits());

  for (int g = static_cast<int>(gates.size()) - 1; g >= 0;) {
    const bool kept = g >= first_kept;
    if (!kept && block_bits > 0 && in_block(g, block_bits)) {
      int first = g;
      while (first > 0 && in_block(first - 1, block_bits)) --first;
      if (first < g) {
        sweep_blocked(first, g, block_bits, gradient);
        g = first - 1;
        continue;
      }
    }
    StateVector& before = kept ? before_[g - first_kept] : recovered;
    gates_.step_back(g, adjoint(gates[g]), phi_lambda_.second, before, !kept, gradient);
    --g;
  }
}

void AdjointDifferentiator::sweep_blocked(int first, int last, int block_bits,
                                          std::span<double> gradient) {
  run_gates_.clear();
  run_undo_.clear();
  for (int g = last; g >= first; --g) {
    run_gates_.push_back(g);
    run_undo_.push_back(adjoint(gates_.gates()[g]));
  }
  gates_.step_back_blocked(run_gates_, run_undo_, block_bits, phi_lambda_.second,
                           kept_ > 0 ? before_[0] : phi_lambda_.first, block_, gradient);
}

}  // namespace qgen::sim
