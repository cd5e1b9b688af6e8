// Decoding that follows the data inside a bin (issue 12): the in-bin distribution of a feature
// kept as K quantiles of the training events in that bin, and decoded by inverting the
// piecewise-linear CDF through them. Two groupings (data/binning.hpp):
//   quantiles        per feature and bin of that feature: the feature's own spectrum inside the
//                    bin (a steep pT bin decodes steeply), the same whatever the other features'
//                    bins are;
//   state_quantiles  per basis state and feature: the events of that joint bin, so that the
//                    pT decoded in a high-mass state follows the pT of high-mass events. This
//                    keeps the part of the correlation that lies inside the feature bins, which
//                    neither uniform nor per-bin decoding can return. States with fewer than K
//                    events use the per-bin quantiles (K quantiles of fewer events would hand
//                    back the training events themselves).
//
// Quantiles: q_j at probability p_j = j / (K - 1), j = 0 .. K-1, from the sorted values
// x_0 <= ... <= x_{n-1} of the bin's events, interpolated linearly between order statistics
// (h = (n - 1) p_j, q_j = x_floor(h) + (h - floor h)(x_floor(h)+1 - x_floor(h)); "type 7"), so
// q_0 is the smallest and q_{K-1} the largest event. Events are counted, not weighted, as for
// equal-population edges (NLO weights can be negative).
//
// Decoding: u ~ U[0, 1), t = u (K - 1), j = floor t: x = q_j + (t - j)(q_{j+1} - q_j). The
// value is uniform on each segment [q_j, q_{j+1}], each segment with probability 1 / (K - 1).
// One uniform per value, as the uniform decoding draws: samples stay reproducible by seed.
//
// Exact moments of that decoder (the correlation chain's decoded steps, eval/correlation_chain):
//   E[x]   = 1/(K-1) sum_j (q_j + q_{j+1}) / 2
//   E[x^2] = 1/(K-1) sum_j (q_j^2 + q_j q_{j+1} + q_{j+1}^2) / 3
// (a uniform on [a, b] has E[x^2] = (a^2 + ab + b^2) / 3). Quantiles spaced evenly from lo to hi
// give a uniform over the bin: mean the centre, variance w^2 / 12; a bin with fewer than two
// events is stored that way (uniform decoding).
#pragma once

#include <array>
#include <span>
#include <vector>

#include "qgen/core/enum_names.hpp"

namespace qgen::data {

/// uniform: each value uniform inside its bin; quantiles: the stored per-bin quantiles;
/// state_quantiles: the stored per-state quantiles.
enum class DecodingMode { uniform, quantiles, state_quantiles };

constexpr auto enum_names(DecodingMode) {
  using enum DecodingMode;
  return std::array{core::EnumName{uniform, "uniform"}, core::EnumName{quantiles, "quantiles"},
                    core::EnumName{state_quantiles, "state_quantiles"}};
}

/// Fewest and most quantiles per bin (K).
inline constexpr int kMinQuantilesPerBin = 2, kMaxQuantilesPerBin = 1024;

/// K quantiles (above) of ascending `sorted` values; at least two values.
std::vector<double> empirical_quantiles(std::span<const double> sorted, int count);

/// K values evenly from lo to hi: the quantiles of a uniform over [lo, hi].
std::vector<double> uniform_quantiles(double lo, double hi, int count);

/// The piecewise-linear inverse CDF through ascending `quantiles` at u in [0, 1).
double inverse_cdf(std::span<const double> quantiles, double u);

/// P(inverse_cdf(quantiles, u) <= x) for u ~ U[0, 1): piecewise linear through (q_j, j/(K-1)).
double quantile_cdf(std::span<const double> quantiles, double x);

struct InBinMoments {
  double mean = 0;
  double variance = 0;
};

/// Mean and variance of inverse_cdf(quantiles, u) for u ~ U[0, 1), exactly.
InBinMoments decoded_moments(std::span<const double> quantiles);

}  // namespace qgen::data
