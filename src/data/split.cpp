#include "qgen/data/split.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "qgen/core/errors.hpp"
#include "qgen/core/random_stream.hpp"

namespace qgen::data {
namespace {

constexpr std::uint64_t kShuffleStream = 0x5B117ull << 40;

std::vector<std::size_t> shuffled(std::size_t n, std::uint64_t seed) {
  return shuffled_order(n, seed, kShuffleStream);
}

std::vector<std::size_t> sorted_part(const std::vector<std::size_t>& order, std::size_t first,
                                     std::size_t last) {
  std::vector<std::size_t> part(order.begin() + first, order.begin() + last);
  std::sort(part.begin(), part.end());
  return part;
}

std::size_t count_of(double fraction, std::size_t n) {
  return static_cast<std::size_t>(std::llround(fraction * static_cast<double>(n)));
}

}  // namespace

std::vector<std::size_t> shuffled_order(std::size_t n, std::uint64_t seed, std::uint64_t stream_id) {
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  core::RandomStream stream(seed, stream_id);
  for (std::size_t i = n; i > 1; --i) {
    // Uniform in [0, i) from 64 random bits (bias below 2^-40 for any realistic n).
    const auto j = static_cast<std::size_t>(
        (static_cast<unsigned __int128>(stream.next_u64()) * i) >> 64);
    std::swap(order[i - 1], order[j]);
  }
  return order;
}

Split split_events(std::size_t n, std::uint64_t seed, double train_fraction,
                   double validation_fraction) {
  if (!(train_fraction >= 0 && validation_fraction >= 0 &&
        train_fraction + validation_fraction <= 1.0 + 1e-12))
    throw core::DataError("split fractions must be >= 0 and sum to at most 1, got " +
                    std::to_string(train_fraction) + " and " + std::to_string(validation_fraction));
  const auto order = shuffled(n, seed);
  const std::size_t n_train = std::min(n, count_of(train_fraction, n));
  const std::size_t n_validation = std::min(n - n_train, count_of(validation_fraction, n));
  return {sorted_part(order, 0, n_train), sorted_part(order, n_train, n_train + n_validation),
          sorted_part(order, n_train + n_validation, n)};
}

std::vector<std::size_t> random_subset(std::size_t n, double fraction, std::uint64_t seed) {
  if (!(fraction > 0 && fraction <= 1))
    throw core::DataError("subset fraction must be in (0, 1], got " + std::to_string(fraction));
  const auto order = shuffled(n, seed);
  return sorted_part(order, 0, std::min(n, count_of(fraction, n)));
}

}  // namespace qgen::data
