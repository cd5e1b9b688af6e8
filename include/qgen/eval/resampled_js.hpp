// How far a finite sample of a model lands from the data: the training-size study's score
// (paper 000, section IV.A, Fig. 7). `repetitions` times, `shots` basis states are drawn from
// the model's exact distribution, and the JS (eq. 1) of their histogram against a reference
// distribution (the full data set binned as the model's run binned its training events) is
// taken; the mean and the standard deviation (n - 1) of those values are the figure's point
// and band.
//
// Reproducible on any number of ranks: repetition r draws from core::RandomStream(seed, r), so
// its value depends on (seed, r) and the distributions only. The ranks take contiguous blocks
// of repetitions (core::block_of) and gather the values in repetition order, so mean and
// standard deviation are summed in one order on every rank count.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "qgen/core/parallel.hpp"

namespace qgen::eval {

struct ResampledJs {
  std::uint64_t shots = 0, seed = 0;
  std::vector<double> values;  // one JS per repetition, in repetition order; empty: not run
  double mean = 0, standard_deviation = 0;
};

/// Collective over `ranks`; every rank passes the same distributions and gets the same result.
/// core::InputError when shots or repetitions is 0 or the distributions differ in length.
ResampledJs resampled_js(const core::Ranks& ranks, std::span<const double> model,
                         std::span<const double> reference, std::uint64_t shots,
                         std::size_t repetitions, std::uint64_t seed);

}  // namespace qgen::eval
