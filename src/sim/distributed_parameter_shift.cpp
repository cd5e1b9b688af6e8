#include "qgen/sim/distributed_parameter_shift.hpp"

#include <algorithm>
#include <bit>
#include <stdexcept>

#include "qgen/core/errors.hpp"
#include "qgen/sim/distributed_simulator.hpp"
#include "qgen/sim/kernels.hpp"

namespace qgen::sim {
namespace {

const core::Ranks& checked(const core::Ranks& group, const Circuit& circuit,
                           ShiftEvaluation evaluation) {
  // prefix, work, (paired) the final state, and the two probability slices (a state's worth).
  const double states = evaluation == ShiftEvaluation::paired ? 4.0 : 3.0;
  check_distributed_fit(group, circuit.num_qubits(), states, "parameter-shift gradient");
  return group;
}

int global_qubits(const core::Ranks& group) {
  return std::countr_zero(static_cast<unsigned>(group.size));
}

}  // namespace

DistributedParameterShift::DistributedParameterShift(const core::Ranks& group, const Circuit& circuit,
                                                     FusionLevel level, ShiftEvaluation evaluation)
    : group_(checked(group, circuit, evaluation)), shift_(circuit, level, evaluation),
      distribution_(plan_distribution(shift_.plan(), global_qubits(group))),
      step_of_gate_(shift_.plan().groups.size(), 0),
      prefix_(group, circuit.num_qubits()), work_(group, circuit.num_qubits()),
      plus_(prefix_.local().size()), minus_(prefix_.local().size()) {
  if (evaluation == ShiftEvaluation::paired) final_.emplace(group, circuit.num_qubits());
  for (std::size_t i = 0; i < distribution_.steps.size(); ++i)
    if (distribution_.steps[i].kind == DistributedStep::Kind::gate)
      step_of_gate_[distribution_.steps[i].gate] = i;
}

void DistributedParameterShift::evaluate(std::span<const double> parameters,
                                         std::span<const int> site_indices, const Consumer& consume) {
  if (site_indices.empty()) return;
  if (!std::is_sorted(site_indices.begin(), site_indices.end()))
    throw std::invalid_argument("parameter shift: site indices must be ascending");
  const Circuit& circuit = shift_.circuit();
  const FusionPlan& plan = shift_.plan();
  const std::vector<BoundGate> gates = bind_gates(plan, circuit, parameters);
  const bool paired = shift_.evaluation() == ShiftEvaluation::paired;
  if (paired) run_distributed(distribution_, gates, *final_);
  const auto& steps = distribution_.steps;
  const std::size_t n = steps.size();
  const auto gate_of = [&](std::size_t i) -> const BoundGate& { return gates[steps[i].gate]; };

  prefix_.reset(distribution_.initial_positions);  // the state before step `next`
  std::size_t next = 0;
  for (int index : site_indices) {
    const AngleSite& site = shift_.sites().at(index);
    const std::size_t at = step_of_gate_[site.group];
    take_steps(distribution_, next, at, gate_of, prefix_);
    next = at;
    auto run_edited = [&](const AngleEdit& edit, double* probabilities) {
      work_.copy_from(prefix_);
      const BoundGate edited = bind_gate(plan.groups[site.group], circuit, parameters, edit);
      take_steps(
          distribution_, at, n,
          [&](std::size_t i) -> const BoundGate& { return i == at ? edited : gate_of(i); }, work_,
          probabilities);
    };
    if (!paired) {
      run_edited({site.operation, site.angle, +ParameterShift::kShift}, plus_.data());
      consume(index, +1, plus_);
      run_edited({site.operation, site.angle, -ParameterShift::kShift}, minus_.data());
      consume(index, -1, minus_);
    } else {
      run_edited({site.operation, site.angle, 0.0, /*generator=*/true}, nullptr);
      paired_probabilities(final_->local(), work_.local(), plus_.data(), minus_.data());
      consume(index, +1, plus_);
      consume(index, -1, minus_);
    }
  }
}

}  // namespace qgen::sim
