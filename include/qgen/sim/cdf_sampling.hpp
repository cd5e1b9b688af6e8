// Shots from a large distribution by its integer cumulative distribution (CDF): how
// sim::ShotSampler draws from more than kLargestAliasTable basis states, and how a rank group
// draws from a distribution it holds in slices without gathering it (sim/distributed_sampling.hpp).
//
// Each weight becomes an integer, w_i = floor(p_i * scale) with scale = 2^62 / total, `total`
// the pairwise sum of the p_i (core/tree_sum.hpp), which is the same bit for bit whether the
// distribution is whole or in slices. Sums of integers are exact, so the cumulative sums
// C_i = w_0 + ... + w_(i-1) do not depend on who adds them: the counts are the same for any
// partition. A shot is one 64-bit word u of the stream, as for the alias table:
// x = floor(u W / 2^64), W the sum of all weights, lands on the basis state i with
// C_i <= x < C_i + w_i, so P(i) = w_i / W = p_i / total to about 2^-61. A slice starting at C = O
// keeps the x in [O, O + W_slice), sorts them, and finds their states in one sweep of itself.
//
// Cost per draw: two passes over the slice (its integer total, then the sweep; the weights are
// recomputed, not stored), the words of all shots on every holder of a slice (every rank moves
// its stream past all of them) and sorting its share. Probabilities below total / 2^62 are
// never drawn.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "qgen/core/random_stream.hpp"

namespace qgen::sim {

/// Where a slice sits in the integer CDF of the whole distribution.
struct CdfPlacement {
  double scale = 0;            // integer weight per unit of probability: 2^62 / total
  std::uint64_t offset = 0;    // sum of the integer weights before the slice
  std::uint64_t slice = 0;     // sum of the slice's own (cdf_integer_total)
  std::uint64_t whole = 0;     // W, the sum of all of them
};

/// The pairwise sum of `slice` (a subtree of the whole's when its size is a power of two and it
/// starts at a multiple of its size); std::invalid_argument for a weight that is negative or
/// not finite.
double cdf_slice_total(std::span<const double> slice);
/// 2^62 / total; std::invalid_argument unless total is finite and > 0.
double cdf_scale(double total);
/// The sum of the slice's integer weights (< 2^63 for the whole distribution).
std::uint64_t cdf_integer_total(std::span<const double> slice, double scale);

/// One draw's shots in one slice: draw(), or begin(), add() every word of the draw in stream
/// order, then count(). Reuses its buffers from draw to draw.
class CdfSlicer {
public:
  /// The slice's counts of `shots` words of `stream` (every one of them read, whichever slice
  /// it lands in).
  void draw(const CdfPlacement& placement, std::span<const double> slice, std::uint64_t shots,
            core::RandomStream& stream, std::span<std::uint32_t> counts);
  void begin(const CdfPlacement& placement);
  /// Keeps the shots of `words` that land in this slice.
  void add(std::span<const std::uint64_t> words);
  /// Writes the slice's counts (zeroed first; one per basis state of `slice`).
  void count(std::span<const double> slice, std::span<std::uint32_t> counts);

private:
  CdfPlacement placement_;
  std::vector<std::uint64_t> kept_;  // x - offset of the shots in this slice
  std::vector<std::uint64_t> words_;
};

}  // namespace qgen::sim
