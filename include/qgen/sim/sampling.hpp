// Shot sampling: N bitstrings drawn from an exact Born distribution, returned as counts.
//
// Walker's alias method: O(2^Q) to build the table (in one sweep, sampling.cpp), then O(1) per
// shot from a single 64-bit random number. The high bits of u * 2^Q (a 128-bit product) choose
// the column, the low 64 bits compare with the column's threshold, so a shot costs one random
// word and the probabilities are honoured to double precision.
//
// Distributions of more than kLargestAliasTable states (Q > 24) are drawn instead by their
// integer cumulative distribution (sim/cdf_sampling.hpp), also one word per shot: a rank group
// can draw those from its slices, with the same counts, without gathering 2^Q probabilities
// on one rank, and they are not bound by the table's 2^32 - 1 columns. Which method draws
// depends only on the number of states, so counts never depend on how ranks hold them.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "qgen/core/random_stream.hpp"
#include "qgen/sim/cdf_sampling.hpp"

namespace qgen::sim {

/// The most basis states drawn from with an alias table; more go by the integer CDF.
inline constexpr std::size_t kLargestAliasTable = std::size_t{1} << 24;

/// std::invalid_argument unless 0 < shots < 2^32 (counts are 32-bit).
void check_shots(std::uint64_t shots);

/// Draws `shots` words of `stream` in chunks (in `buffer`), passing each chunk to `use` in
/// stream order: how every sampler here reads its stream.
void draw_words(core::RandomStream& stream, std::uint64_t shots, std::vector<std::uint64_t>& buffer,
                const std::function<void(std::span<const std::uint64_t>)>& use);

class AliasTable {
public:
  AliasTable() = default;
  /// `weights` need not be normalised; they must be finite, >= 0 and not all zero.
  explicit AliasTable(std::span<const double> weights) { build(weights); }

  /// (Re)builds the table, reusing its storage: no allocation when the size is unchanged.
  void build(std::span<const double> weights);

  std::size_t size() const { return threshold_.size(); }

  std::size_t sample(core::RandomStream& stream) const { return outcome(stream.next_u64()); }

  /// The outcome one random word selects.
  std::size_t outcome(std::uint64_t word) const {
    const unsigned __int128 product = static_cast<unsigned __int128>(word) * threshold_.size();
    const std::size_t column = static_cast<std::size_t>(product >> 64);
    const std::uint64_t fraction = static_cast<std::uint64_t>(product);
    // Branch-free select: whether to keep the column is a coin flip the predictor cannot learn.
    const std::size_t alias = alias_[column];
    const std::size_t keep = fraction < threshold_[column];
    return alias + keep * (column - alias);
  }

  /// Adds one count per word to `counts` (size() entries).
  void count(std::span<const std::uint64_t> words, std::span<std::uint32_t> counts) const;

  /// The distribution this table draws from (to rounding of its thresholds, 2^-64).
  std::vector<double> implied_probabilities() const;

private:
  std::vector<std::uint64_t> threshold_;  // P(keep column) scaled to 2^64 (saturated)
  std::vector<std::uint32_t> alias_;
  std::vector<double> scaled_;            // construction workspace
  std::vector<std::uint32_t> small_, large_;
};

/// Draws shots from exact distributions into estimates (counts / shots), reusing its table and
/// buffers from call to call: one per thread of work.
class ShotSampler {
public:
  void estimate(std::span<const double> probabilities, std::uint64_t shots, core::RandomStream& stream,
                std::span<double> estimate);
  /// The counts themselves (one per basis state; valid until the next call), as
  /// sample_counts draws them.
  std::span<const std::uint32_t> count(std::span<const double> probabilities, std::uint64_t shots,
                                       core::RandomStream& stream);

private:
  AliasTable table_;
  CdfSlicer slicer_;  // for more than kLargestAliasTable states
  std::vector<std::uint64_t> words_;
  std::vector<std::uint32_t> counts_;
};

/// Counts of `shots` (< 2^32) draws from `probabilities` (one count per basis state), as
/// ShotSampler::count.
std::vector<std::uint64_t> sample_counts(std::span<const double> probabilities,
                                         std::uint64_t shots, core::RandomStream& stream);

/// Writes counts / shots into `estimate`: the shot estimate of the distribution.
void estimate_probabilities(std::span<const double> probabilities, std::uint64_t shots,
                            core::RandomStream& stream, std::span<double> estimate);

}  // namespace qgen::sim
