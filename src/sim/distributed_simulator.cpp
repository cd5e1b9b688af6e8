#include "qgen/sim/distributed_simulator.hpp"

#include <bit>
#include <string>

#include "qgen/core/errors.hpp"
#include "qgen/sim/kernels.hpp"
#include "qgen/sim/simulator.hpp"

namespace qgen::sim {

void run_distributed(const DistributionPlan& plan, std::span<const BoundGate> gates,
                     DistributedStateVector& state, double* probabilities) {
  if (state.num_qubits() != plan.num_qubits || state.global_qubits() != plan.global_qubits)
    throw core::InternalError("distributed run: the state does not match the plan");
  state.reset(plan.initial_positions);
  take_steps(plan, 0, plan.steps.size(),
             [&](std::size_t i) -> const BoundGate& { return gates[plan.steps[i].gate]; }, state,
             probabilities);
}

void take_steps(const DistributionPlan& plan, std::size_t first, std::size_t end,
                const std::function<const BoundGate&(std::size_t)>& gate_of,
                DistributedStateVector& state, double* probabilities) {
  using Kind = DistributedStep::Kind;
  std::vector<BoundGate> run;  // consecutive gate steps, on local qubits
  for (std::size_t i = first; i < end; ++i) {
    const DistributedStep& step = plan.steps[i];
    double* out = i + 1 == end ? probabilities : nullptr;
    switch (step.kind) {
      case Kind::gate:
        run.push_back(state.localize(gate_of(i)));
        if (i + 1 == end || plan.steps[i + 1].kind != Kind::gate) {
          apply_range(run, state.local(), out);
          run.clear();
        }
        break;
      case Kind::local_swap: state.swap_local(step.positions[0], step.positions[1], out); break;
      case Kind::exchange:
        state.exchange(step.positions[0], step.positions[1]);
        if (out) compute_probabilities(state.local(), {out, state.local().size()});
        break;
    }
  }
  if (first == end && probabilities)
    compute_probabilities(state.local(), {probabilities, state.local().size()});
}

namespace {

const core::Ranks& checked(const core::Ranks& group, const Circuit& circuit) {
  // The state and the probabilities (half a state).
  check_distributed_fit(group, circuit.num_qubits(), 1.5, "simulator");
  return group;
}

}  // namespace

DistributedSimulator::DistributedSimulator(const core::Ranks& group, const Circuit& circuit,
                                           FusionLevel level)
    : group_(checked(group, circuit)), circuit_(circuit), fusion_(plan_fusion(circuit, level)),
      distribution_(plan_distribution(fusion_, std::countr_zero(static_cast<unsigned>(group.size)))) {}

void DistributedSimulator::run(std::span<const double> parameters, DistributedStateVector& state,
                               std::span<double> probabilities) const {
  if (state.num_qubits() != circuit_.num_qubits() || state.group().size != group_.size)
    throw core::InternalError("distributed simulator: a " + std::to_string(circuit_.num_qubits()) +
                              "-qubit circuit run on a " + std::to_string(state.num_qubits()) +
                              "-qubit state of another group size");
  if (!probabilities.empty() && probabilities.size() != local_size())
    throw core::InternalError("distributed simulator: the probabilities need 2^L entries");
  const std::vector<BoundGate> gates = bind_gates(fusion_, circuit_, parameters);
  run_distributed(distribution_, gates, state, probabilities.empty() ? nullptr : probabilities.data());
}

std::vector<double> DistributedSimulator::probabilities(std::span<const double> parameters) const {
  DistributedStateVector state(group_, circuit_.num_qubits());
  std::vector<double> p(local_size());
  run(parameters, state, p);
  return p;
}

}  // namespace qgen::sim
