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
  double total = 0.0;
  for (double w : weights) {
    if (!(w >= 0.0) || !std::isfinite(w))
      throw std::invalid_argument("alias table: weights must be finite and non-negative");
    total += w;
  }
  if (!(total > 0.0)) throw std::invalid_argument("alias table: all weights are zero");
  if (!std::isfinite(total)) throw std::invalid_argument("alias table: weights sum to infinity");

  threshold_.resize(n);
  alias_.resize(n);
  scaled_.resize(n);
  small_.resize(n);
  large_.resize(n);
  // Vose: scaled weights n w / total; each column below 1 ("small") is topped up by one above
  // ("large"), which becomes its alias.
  const double scale = static_cast<double>(n) / total;
  // The pushes below are written without branches: which list a column joins is unpredictable.
  std::size_t n_small = 0, n_large = 0;
  for (std::size_t i = 0; i < n; ++i) {
    scaled_[i] = weights[i] * scale;
    const std::size_t is_small = scaled_[i] < 1.0;
    small_[n_small] = large_[n_large] = static_cast<std::uint32_t>(i);
    n_small += is_small;
    n_large += 1 - is_small;
  }
  constexpr double k2to64 = 18446744073709551616.0;
  constexpr std::uint64_t kWhole = std::numeric_limits<std::uint64_t>::max();
  while (n_small > 0 && n_large > 0) {
    const std::uint32_t s = small_[--n_small], l = large_[n_large - 1];
    threshold_[s] = static_cast<std::uint64_t>(scaled_[s] * k2to64);
    alias_[s] = l;
    scaled_[l] = (scaled_[l] + scaled_[s]) - 1.0;
    const std::size_t now_small = scaled_[l] < 1.0;
    n_large -= now_small;
    small_[n_small] = l;
    n_small += now_small;
  }
  // Whatever is left differs from 1 only by rounding: keep those columns whole.
  for (std::size_t k = 0; k < n_small; ++k) {
    threshold_[small_[k]] = kWhole;
    alias_[small_[k]] = small_[k];
  }
  for (std::size_t k = 0; k < n_large; ++k) {
    threshold_[large_[k]] = kWhole;
    alias_[large_[k]] = large_[k];
  }
}

void AliasTable::count(std::span<const std::uint64_t> words, std::span<std::uint32_t> counts) const {
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
                                         std::uint64_t shots, RandomStream& stream) {
  const AliasTable table(probabilities);
  std::vector<std::uint64_t> counts(probabilities.size(), 0);
  for (std::uint64_t s = 0; s < shots; ++s) ++counts[table.sample(stream)];
  return counts;
}

void ShotSampler::estimate(std::span<const double> probabilities, std::uint64_t shots,
                           RandomStream& stream, std::span<double> estimate) {
  if (estimate.size() != probabilities.size())
    throw std::invalid_argument("estimate_probabilities: output size differs");
  if (shots == 0) throw std::invalid_argument("estimate_probabilities: zero shots");
  if (shots > std::numeric_limits<std::uint32_t>::max())
    throw std::invalid_argument("estimate_probabilities: more than 2^32 - 1 shots");
  table_.build(probabilities);
  counts_.assign(probabilities.size(), 0);
  constexpr std::size_t kChunk = 4096;
  words_.resize(kChunk);
  for (std::uint64_t done = 0; done < shots;) {
    const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(kChunk, shots - done));
    const std::span<std::uint64_t> words(words_.data(), n);
    stream.fill(words);
    table_.count(words, counts_);
    done += n;
  }
  const double inverse = 1.0 / static_cast<double>(shots);
  for (std::size_t i = 0; i < estimate.size(); ++i) estimate[i] = counts_[i] * inverse;
}

void estimate_probabilities(std::span<const double> probabilities, std::uint64_t shots,
                            RandomStream& stream, std::span<double> estimate) {
  ShotSampler sampler;
  sampler.estimate(probabilities, shots, stream, estimate);
}

}  // namespace qgen::sim
