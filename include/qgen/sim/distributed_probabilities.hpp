// Reductions of a distribution held in local slices over a group (sim/distributed_simulator.hpp:
// rank r of S holds basis states [r 2^L, (r+1) 2^L), L = Q - log2 S): what a loss needs.
// Each is collective over the group and returns the same value on every rank.
#pragma once

#include <span>
#include <vector>

#include "qgen/core/parallel.hpp"

namespace qgen::sim {

/// sum_x w_x p_x over all 2^Q basis states, from the local slices of w and p. The local sums
/// are pairwise, then added over the ranks: equal to the single-rank sum to rounding.
double weighted_sum(const core::Ranks& group, std::span<const double> weights,
                    std::span<const double> probabilities);

/// The marginal distribution of `qubits` (first = most significant bit of the result's index,
/// 2^k entries) of a distribution over `num_qubits` qubits given by its local slices.
std::vector<double> marginal(const core::Ranks& group, int num_qubits,
                             std::span<const double> probabilities, std::span<const int> qubits);

/// The whole distribution (2^Q entries, in index order) on the group's lead, empty elsewhere;
/// with `everywhere`, on every rank.
std::vector<double> gather_distribution(const core::Ranks& group, std::span<const double> local,
                                        bool everywhere = false);
/// The same into `all` (resized; its storage reused from call to call).
void gather_distribution(const core::Ranks& group, std::span<const double> local,
                         std::vector<double>& all, bool everywhere = false);

/// The inverse of gather_distribution: rank r's slice [r n, (r+1) n) of `all`, which the
/// group's lead holds (whole, n x group size entries; ignored elsewhere). Collective.
std::vector<double> scatter_distribution(const core::Ranks& group, std::span<const double> all,
                                         std::size_t local_size);

/// This rank's slice of a whole distribution `all` that every rank holds (2^L entries).
std::span<const double> local_slice(const core::Ranks& group, std::span<const double> all);

}  // namespace qgen::sim
