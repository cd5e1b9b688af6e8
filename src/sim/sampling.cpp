#include "qgen/sim/sampling.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace qgen::sim {

void AliasTable::build(std::span<const double> weights) {
  const std::size_t n = weights.size();
  if (n == 0) throw std::invalid_argument("alias table: no weights");
  if (n > std::numeric_limits<std::uint32_t>::max())
    throw std::invalid_argument("alias table: at most 2^32 - 1 outcomes (Q <= 31)");
  // The total with its rounding errors kept (TwoSum): the columns' masses must add up to n to
  // double precision, or the last column of the sweep below absorbs the difference.
  double total = 0.0, lost = 0.0;
  for (double w : weights) {
    if (!(w >= 0.0) || !std::isfinite(w))
      throw std::invalid_argument("alias table: weights must be finite and non-negative");
    const double sum = total + w, w_part = sum - total;
    lost += (total - (sum - w_part)) + (w - w_part);
    total = sum;
  }
  if (!std::isfinite(total)) throw std::invalid_argument("alias table: weights sum to infinity");
  total += lost;
  if (!(total > 0.0)) throw std::invalid_argument("alias table: all weights are zero");
  // Weights so small that n / total would overflow are scaled up first, exactly (a power of 2).
  const double boost = total < 0x1p-900 ? 0x1p+600 : 1.0;

  threshold_.resize(n);
  alias_.resize(n);
  scaled_.resize(n);
  small_.resize(n);
  large_.resize(n);
  // Scaled weights n w / total, average 1. Columns below 1 ("small") are topped up from
  // columns above ("large"), which become their aliases. Both lists in index order; the pushes
  // are written without branches, since which list a column joins is unpredictable.
  const double scale = static_cast<double>(n) / (total * boost);
  std::size_t n_small = 0, n_large = 0;
  for (std::size_t i = 0; i < n; ++i) {
    scaled_[i] = weights[i] * boost * scale;
    const std::size_t is_small = scaled_[i] < 1.0;
    small_[n_small] = large_[n_large] = static_cast<std::uint32_t>(i);
    n_small += is_small;
    n_large += 1 - is_small;
  }
  // One sweep over both lists (Huebschle-Schneider and Sanders, "Parallel weighted random
  // sampling", 2019): the current large column j, with what is left of it in w, tops up small
  // columns while w > 1; once w <= 1, j is itself a small column, topped up by the next large
  // column. Unlike Vose's work stacks, nothing is pushed and popped, so there is no chain of
  // dependent loads. A heavy column tops up thousands of others: w's rounding errors are kept
  // in `carry` (Fast2Sum, exact since |w| >= the deficit <= 1), so w + carry is what is left
  // to about twice double precision and the table honours the weights to rounding.
  constexpr double k2to64 = 18446744073709551616.0;
  constexpr std::uint64_t kWhole = std::numeric_limits<std::uint64_t>::max();
  const auto threshold = [&](double keep) {
    return keep >= 1.0 ? kWhole : keep <= 0.0 ? 0 : static_cast<std::uint64_t>(keep * k2to64);
  };
  // w - (1 - x), with the rounding errors of both subtractions added to `carry`.
  const auto minus_deficit = [](double w, double x, double& carry) {
    const double deficit = 1.0 - x;
    const double next = w - deficit;
    carry += ((w - next) - deficit) - ((1.0 - deficit) - x);
    return next;
  };
  std::size_t a = 0, b = 0;
  double w = n_large > 0 ? scaled_[large_[0]] : 0.0, carry = 0.0;
  while (b < n_large) {
    const std::uint32_t j = large_[b];
    if (w > 1.0 && a < n_small) {
      const std::uint32_t s = small_[a++];
      threshold_[s] = threshold(scaled_[s]);
      alias_[s] = j;
      w = minus_deficit(w, scaled_[s], carry);
    } else {
      if (b + 1 == n_large) break;
      const std::uint32_t next = large_[++b];
      const double keep = w + carry;
      threshold_[j] = threshold(keep);
      alias_[j] = next;
      carry = 0.0;
      w = minus_deficit(scaled_[next], keep, carry);
    }
  }
  // Whatever is left differs from 1 only by rounding: keep those columns whole.
  for (; a < n_small; ++a) {
    threshold_[small_[a]] = kWhole;
    alias_[small_[a]] = small_[a];
  }
  if (b < n_large) {
    threshold_[large_[b]] = kWhole;
    alias_[large_[b]] = large_[b];
  }
}

void AliasTable::count(std::span<const std::uint64_t> words, std::span<std::uint32_t> counts) const {
  // Scalar on purpose: an AVX-512 version (gathers of thresholds and aliases for eight words)
  // measured twice as slow on this project's machine.
  for (std::uint64_t w : words) ++counts[outcome(w)];
}

std::vector<double> AliasTable::implied_probabilities() const {
  const std::size_t n = size();
  std::vector<double> p(n, 0.0);
  for (std::size_t i = 0; i < n; ++i) {
    const double keep = static_cast<double>(threshold_[i]) * 0x1.0p-64;
    p[i] += keep / static_cast<double>(n);
    p[alias_[i]] += (1.0 - keep) / static_cast<double>(n);
  }
  return p;
}

std::vector<std::uint64_t> sample_counts(std::span<const double> probabilities,
                                         std::uint64_t shots, core::RandomStream& stream) {
  if (shots == 0) return std::vector<std::uint64_t>(probabilities.size(), 0);
  ShotSampler sampler;
  const auto counts = sampler.count(probabilities, shots, stream);
  return {counts.begin(), counts.end()};
}

void check_shots(std::uint64_t shots) {
  if (shots == 0) throw std::invalid_argument("shot sampling: zero shots");
  if (shots > std::numeric_limits<std::uint32_t>::max())
    throw std::invalid_argument("shot sampling: more than 2^32 - 1 shots (counts are 32-bit)");
}

void draw_words(core::RandomStream& stream, std::uint64_t shots, std::vector<std::uint64_t>& buffer,
                const std::function<void(std::span<const std::uint64_t>)>& use) {
  constexpr std::size_t kChunk = 4096;
  buffer.resize(kChunk);
  for (std::uint64_t done = 0; done < shots;) {
    const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(kChunk, shots - done));
    const std::span<std::uint64_t> words(buffer.data(), n);
    stream.fill(words);
    use(words);
    done += n;
  }
}

void ShotSampler::estimate(std::span<const double> probabilities, std::uint64_t shots,
                           core::RandomStream& stream, std::span<double> estimate) {
  if (estimate.size() != probabilities.size())
    throw std::invalid_argument("estimate_probabilities: output size differs");
  count(probabilities, shots, stream);
  const double inverse = 1.0 / static_cast<double>(shots);
  for (std::size_t i = 0; i < estimate.size(); ++i) estimate[i] = counts_[i] * inverse;
}

std::span<const std::uint32_t> ShotSampler::count(std::span<const double> probabilities,
                                                  std::uint64_t shots, core::RandomStream& stream) {
  check_shots(shots);
  counts_.resize(probabilities.size());
  if (probabilities.size() <= kLargestAliasTable) {
    table_.build(probabilities);
    std::fill(counts_.begin(), counts_.end(), 0u);
    draw_words(stream, shots, words_, [&](auto words) { table_.count(words, counts_); });
  } else {
    const double scale = cdf_scale(cdf_slice_total(probabilities));
    const std::uint64_t whole = cdf_integer_total(probabilities, scale);
    slicer_.draw({scale, 0, whole, whole}, probabilities, shots, stream, counts_);
  }
  return counts_;
}

void estimate_probabilities(std::span<const double> probabilities, std::uint64_t shots,
                            core::RandomStream& stream, std::span<double> estimate) {
  ShotSampler sampler;
  sampler.estimate(probabilities, shots, stream, estimate);
}

}  // namespace qgen::sim
