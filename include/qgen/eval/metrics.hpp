// How well a model reproduces its target (paper 000, section IV).
//
//   marginal MAE   D(p|q) = 1/(N 2^q) sum_n sum_i |p_i^(n) - q_i^(n)|  (paper 000, eq. 2): the
//                  mean absolute difference of the features' marginal distributions per bin.
//   JS             train::jensen_shannon (eq. 1).
//   correlation    data::correlation_matrix of the data and of decoded samples (Tables II, IV).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "qgen/data/binning.hpp"
#include "qgen/data/table.hpp"

namespace qgen::eval {

double marginal_mae(std::span<const double> target, std::span<const double> model,
                    const data::Binning& binning);

struct Samples {
  data::Table events;                 // decoded values, one column per feature
  std::vector<double> distribution;   // the sampled basis states' frequencies (counts / n)
};

/// `n` basis states drawn from `probabilities` and decoded to feature values, reproducibly by
/// `seed` (states and in-bin positions from two counter-based streams).
Samples sample_events(std::span<const double> probabilities, const data::Binning& binning,
                      std::uint64_t n, std::uint64_t seed);

}  // namespace qgen::eval
