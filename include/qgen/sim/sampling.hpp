// Shot sampling: N bitstrings drawn from an exact Born distribution, returned as counts.
//
// Walker's alias method (Vose's construction): O(2^Q) to build the table, then O(1) per shot
// from a single 64-bit random number. The high bits of u * 2^Q (a 128-bit product) choose the
// column, the low 64 bits compare with the column's threshold, so a shot costs one random word
// and the probabilities are honoured to double precision.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "qgen/sim/random_stream.hpp"

namespace qgen::sim {

class AliasTable {
public:
  /// `weights` need not be normalised; they must be finite, >= 0 and not all zero.
  explicit AliasTable(std::span<const double> weights);

  std::size_t size() const { return threshold_.size(); }

  /// The distribution this table draws from (to rounding of its thresholds, 2^-64).
  std::vector<double> implied_probabilities() const;

  std::size_t sample(RandomStream& stream) const {
    const unsigned __int128 product =
        static_cast<unsigned __int128>(stream.next_u64()) * threshold_.size();
    const std::size_t column = static_cast<std::size_t>(product >> 64);
    const std::uint64_t fraction = static_cast<std::uint64_t>(product);
    return fraction < threshold_[column] ? column : alias_[column];
  }

private:
  std::vector<std::uint64_t> threshold_;  // P(keep column) scaled to 2^64 (saturated)
  std::vector<std::uint32_t> alias_;
};

/// Counts of `shots` draws from `probabilities` (one count per basis state).
std::vector<std::uint64_t> sample_counts(std::span<const double> probabilities,
                                         std::uint64_t shots, RandomStream& stream);

/// Writes counts / shots into `estimate`: the shot estimate of the distribution.
void estimate_probabilities(std::span<const double> probabilities, std::uint64_t shots,
                            RandomStream& stream, std::span<double> estimate);

}  // namespace qgen::sim
