// The sampled noisy method: quantum trajectories (Monte Carlo wave functions).
//
// A trajectory is a pure state run through the circuit; at each noise site with Kraus
// operators {K_k} it takes branch k with probability p_k = ||K_k psi||^2 and continues with
// K_k psi / sqrt(p_k). The average of |psi_t><psi_t| over trajectories is an unbiased estimate of
// the density matrix, so the mean of the trajectories' |psi_t(x)|^2 estimates the noisy
// distribution; shots are then drawn from that mean (sampling.hpp) by the caller.
//
// Randomness. Trajectory t of a batch uses the counter-based stream
// (seed, trajectory_stream(batch, t, part)) and noise site s draws word s of it. Hence
//  - a circuit's estimate depends on (seed, batch, part) and the circuit only: the same on any
//    number of ranks, whichever rank runs it and whichever circuits share its call (its
//    trajectories are summed in order of t on one rank);
//  - every circuit of a batch sees the same random numbers at the same sites (common random
//    numbers). Circuits that differ in one angle (an LCD sweep) share the realisation of their
//    common prefix, which is what lets the prefix be simulated once (shared_prefixes.hpp); their
//    errors are correlated, so their differences tend to be estimated better than their values.
//    Each circuit's own estimate is unbiased as before.
//
// Cost. Per qubit, gates and mixed-unitary channels (depolarising: the branch is chosen without
// looking at the state) accumulate into one pending 2x2 matrix, applied at the next two-qubit
// gate (fused into its 4x4) or at the end. A channel whose branch probabilities depend on the
// state (thermal relaxation) first takes its identity part (KrausChannel::identity_weight:
// 1 - O(t/T1) for a gate of duration t) without reading the state; only otherwise it reads the
// qubit's reduced density matrix (one pass), transformed by the qubit's pending matrix, after
// applying pending non-unitary factors on other qubits (they condition the state). So a
// trajectory costs about one pass per two-qubit gate, not one per noise site.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "qgen/core/random_stream.hpp"
#include "qgen/sim/noisy_circuit.hpp"

namespace qgen::sim {

/// Trajectories per circuit and register parts (register_split.hpp) the streams can number.
inline constexpr int kMaxTrajectories = 1 << 24;
inline constexpr int kMaxParts = 1 << 7;

/// The stream of trajectory t of register part `part` in batch `batch`: circuit-id bit 31
/// set, so it never meets the shot streams core::stream_id(step, circuit) of circuit ids below
/// 2^31; bits 24-30 the part, so that parts draw independently.
constexpr std::uint64_t trajectory_stream(std::uint32_t batch, std::uint32_t trajectory,
                                          std::uint32_t part = 0) {
  return core::stream_id(batch, 0x8000'0000u | part << 24 | trajectory);
}

struct TrajectoryOptions {
  int trajectories = 100;  // 1 .. kMaxTrajectories
  std::uint64_t seed = 1;
  std::uint32_t batch = 0;
  std::uint32_t part = 0;  // 0 .. kMaxParts - 1
};

struct TrajectoryEstimate {
  std::vector<double> probabilities;   // mean over trajectories of |psi_t(x)|^2
  std::vector<double> standard_error;  // per outcome: sample standard deviation / sqrt(M)
};

/// Called for every trajectory of every circuit with its |psi_t|^2 (2^Q entries).
using TrajectoryObserver =
    std::function<void(int circuit, int trajectory, std::span<const double> probabilities)>;

/// Estimates of each circuit's distribution (circuits on the same number of qubits, prefixes
/// shared); result[i] belongs to circuits[i]. core::InputError unless the options are in range.
std::vector<TrajectoryEstimate> trajectory_probabilities(std::span<const NoisyCircuit> circuits,
                                                         const TrajectoryOptions& options,
                                                         const TrajectoryObserver& observer = {});

}  // namespace qgen::sim
