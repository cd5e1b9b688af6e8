// The parameter-shift circuits (sim/parameter_shift.hpp) on a distributed state
// (sim/distributed_state.hpp): the ranks of one group evaluate the shifted circuits of a list
// of angle sites together, each rank on its 2^L amplitudes.
//
// The walk is ParameterShift's: one prefix state advanced along the circuit, a work state per
// site copied from it, the fused gate holding the site re-bound with the edit, the rest of the
// circuit run. Here "along the circuit" means along the distribution plan
// (sim/distribution_plan.hpp), exchanges included: the prefix state is the plan's state before
// the step of the site's fused gate, in that step's layout, so the edited gate's qubits are
// local exactly where the plan made the original's local, and the suffix walks the plan's
// remaining steps to the canonical layout. Each amplitude therefore sees the single-rank
// arithmetic, and the shifted probabilities equal ParameterShift's bit for bit whenever the
// distributed simulator's do (L >= 3, sim/distributed_simulator.hpp): shot counts drawn from
// them match the single-rank run's.
//
// The consumer receives this rank's slice of each shifted distribution (2^L entries, basis
// states [rank 2^L, (rank+1) 2^L)). Every call is collective over the group; the consumer is
// called on every rank in the same order, so it may itself call group collectives (a shot
// sampler, a reduction).
//
// Memory per rank: the prefix, work and (paired) final states and the two probability slices,
// checked before allocating (check_distributed_fit).
#pragma once

#include <functional>
#include <optional>
#include <span>
#include <vector>

#include "qgen/core/parallel.hpp"
#include "qgen/sim/distributed_state.hpp"
#include "qgen/sim/distribution_plan.hpp"
#include "qgen/sim/parameter_shift.hpp"

namespace qgen::sim {

class DistributedParameterShift {
public:
  /// Collective over `group`; core::InputError (every rank, one message) when the group cannot
  /// hold the states.
  DistributedParameterShift(const core::Ranks& group, const Circuit& circuit,
                            FusionLevel level = FusionLevel::two_qubit,
                            ShiftEvaluation evaluation = ShiftEvaluation::paired);

  const core::Ranks& group() const { return group_; }
  const Circuit& circuit() const { return shift_.circuit(); }
  const FusionPlan& plan() const { return shift_.plan(); }
  const DistributionPlan& distribution() const { return distribution_; }
  ShiftEvaluation evaluation() const { return shift_.evaluation(); }
  const std::vector<AngleSite>& sites() const { return shift_.sites(); }
  /// As ParameterShift::site_costs (amplitude passes; the exchanges not counted).
  std::vector<double> site_costs() const { return shift_.site_costs(); }
  std::size_t local_size() const { return prefix_.local().size(); }
  std::uint64_t first_index() const { return prefix_.first_index(); }

  /// Called with (site index, +1 or -1, this rank's slice of that shifted circuit's
  /// probabilities).
  using Consumer = std::function<void(int, int, std::span<const double>)>;

  /// As ParameterShift::evaluate: both shifted circuits of each site in `site_indices`
  /// (ascending; the same list on every rank of the group), + shift first. Collective.
  void evaluate(std::span<const double> parameters, std::span<const int> site_indices,
                const Consumer& consume);

private:
  core::Ranks group_;
  ParameterShift shift_;  // the circuit, fusion plan and sites
  DistributionPlan distribution_;
  std::vector<std::size_t> step_of_gate_;  // fused gate -> its step in the plan
  DistributedStateVector prefix_, work_;
  std::optional<DistributedStateVector> final_;  // paired only
  std::vector<double> plus_, minus_;
};

}  // namespace qgen::sim
