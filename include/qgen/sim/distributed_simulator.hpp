// Running circuits on a distributed state (sim/distributed_state.hpp): the circuit is fused
// once (sim/fusion.hpp) and its exchanges planned once from the fused structure
// (sim/distribution_plan.hpp); each run binds the gates for the parameters and walks the plan.
//
// A run starts from |0...0> and ends in the canonical layout, rank r of the group holding
// basis states [r 2^L, (r+1) 2^L), L = Q - log2 S: the "local slice" of the probabilities and
// of anything indexed like them (weights, counts). The gates run in the fusion plan's order
// with the single-rank kernels (cache-blocked on the local amplitudes, sim/cache_blocks.hpp,
// which never changes an amplitude's arithmetic), so the probabilities equal
// sim::Simulator's bit for bit (tested) as long as each rank holds at least one lane block of
// 8 amplitudes (L >= 3; below it the kernels take a scalar path that rounds differently, and
// they agree to 1e-15).
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "qgen/core/parallel.hpp"
#include "qgen/sim/circuit.hpp"
#include "qgen/sim/distributed_state.hpp"
#include "qgen/sim/distribution_plan.hpp"
#include "qgen/sim/fusion.hpp"

namespace qgen::sim {

/// Walks `plan` on `state` with the bound `gates` (FusionPlan order, logical qubits), from
/// |0...0> in the plan's initial layout; the last step also writes `probabilities` (the local
/// slice, 2^L entries) when given. Collective over the state's group.
void run_distributed(const DistributionPlan& plan, std::span<const BoundGate> gates,
                     DistributedStateVector& state, double* probabilities = nullptr);

/// Steps [first, end) of `plan` on `state` as it stands, `gate_of(i)` giving the bound gate of
/// gate step i; the last of them also writes `probabilities` when given (a separate pass for
/// an empty range). Consecutive gate steps run together through apply_range, so that runs of
/// gates on low local bits are cache-blocked (sim/simulator.hpp). Collective over the group.
void take_steps(const DistributionPlan& plan, std::size_t first, std::size_t end,
                const std::function<const BoundGate&(std::size_t)>& gate_of,
                DistributedStateVector& state, double* probabilities = nullptr);

class DistributedSimulator {
public:
  /// Collective over `group`. core::InputError (every rank, one message) when the group cannot
  /// hold the circuit's state and its probabilities (check_distributed_fit).
  DistributedSimulator(const core::Ranks& group, const Circuit& circuit,
                       FusionLevel level = FusionLevel::two_qubit);

  const core::Ranks& group() const { return group_; }
  const Circuit& circuit() const { return circuit_; }
  const FusionPlan& fusion() const { return fusion_; }
  const DistributionPlan& distribution() const { return distribution_; }

  /// Amplitudes per rank (2^L) and the basis index of this rank's first one.
  std::size_t local_size() const {
    return std::size_t{1} << (distribution_.num_qubits - distribution_.global_qubits);
  }
  std::uint64_t first_index() const { return std::uint64_t(group_.rank) * local_size(); }

  /// Exchanges one run makes, and the bytes each rank sends for them.
  int exchanges_per_run() const { return distribution_.exchanges; }
  std::uint64_t bytes_per_run() const {
    return std::uint64_t(distribution_.exchanges) * 8 * local_size();  // 16 B x half of 2^L
  }

  /// U(theta)|0...0> into `state` (of this group and size; overwritten), and the local slice
  /// of the probabilities when `probabilities` is not empty (2^L entries). Collective.
  void run(std::span<const double> parameters, DistributedStateVector& state,
           std::span<double> probabilities = {}) const;
  /// The local slice of the Born distribution. Collective.
  std::vector<double> probabilities(std::span<const double> parameters) const;

private:
  core::Ranks group_;
  Circuit circuit_;
  FusionPlan fusion_;
  DistributionPlan distribution_;
};

}  // namespace qgen::sim
