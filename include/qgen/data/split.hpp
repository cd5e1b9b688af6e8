// Reproducible train / validation / test splits and random subsets of a sample.
//
// A seeded Fisher-Yates shuffle (Philox stream) orders the events; the first fractions of the
// shuffled order form the parts, each returned in ascending event order. Defaults: paper 004's
// 37.5 / 12.5 / 50 %. A subset of fraction f is the first round(f n) of the shuffled order,
// so a smaller fraction's subset is contained in a larger one's (the QCBM paper's training-size
// study compares nested samples).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace qgen::data {

struct Split {
  std::vector<std::size_t> train, validation, test;
};

Split split_events(std::size_t n, std::uint64_t seed, double train_fraction = 0.375,
                   double validation_fraction = 0.125);

std::vector<std::size_t> random_subset(std::size_t n, double fraction, std::uint64_t seed);

/// 0..n-1 in the order of a Fisher-Yates shuffle driven by the stream (seed, stream): the
/// splits' shuffle, and the QINN's per-epoch batch order.
std::vector<std::size_t> shuffled_order(std::size_t n, std::uint64_t seed, std::uint64_t stream);

}  // namespace qgen::data
