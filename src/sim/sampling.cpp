#include "qgen/sim/sampling.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace qgen::sim {

AliasTable::AliasTable(std::span<const double> weights)
    : threshold_(weights.size()), alias_(weights.size()) {
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

  // Vose: scaled weights n*w/total; columns below 1 ("small") are topped up by one above
  // ("large"), which becomes their alias.
  std::vector<double> scaled(n);
  std::vector<std::uint32_t> small, large;
  small.reserve(n);
  large.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    scaled[i] = weights[i] * (static_cast<double>(n) / total);
    (scaled[i] < 1.0 ? small : large).push_back(static_cast<std::uint32_t>(i));
  }
  constexpr double k2to64 = 18446744073709551616.0;
  auto to_threshold = [&](double p) -> std::uint64_t {
    if (p >= 1.0) return std::numeric_limits<std::uint64_t>::max();
    return static_cast<std::uint64_t>(p * k2to64);
  };
  while (!small.empty() && !large.empty()) {
    const std::uint32_t s = small.back(), l = large.back();
    small.pop_back();
    threshold_[s] = to_threshold(scaled[s]);
    alias_[s] = l;
    scaled[l] = (scaled[l] + scaled[s]) - 1.0;
    if (scaled[l] < 1.0) {
      large.pop_back();
      small.push_back(l);
    }
  }
  // Whatever is left differs from 1 only by rounding: keep those columns whole.
  for (const auto* rest : {&small, &large})
    for (std::uint32_t i : *rest) {
      threshold_[i] = std::numeric_limits<std::uint64_t>::max();
      alias_[i] = i;
    }
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

void estimate_probabilities(std::span<const double> probabilities, std::uint64_t shots,
                            RandomStream& stream, std::span<double> estimate) {
  if (estimate.size() != probabilities.size())
    throw std::invalid_argument("estimate_probabilities: output size differs");
  if (shots == 0) throw std::invalid_argument("estimate_probabilities: zero shots");
  const AliasTable table(probabilities);
  std::fill(estimate.begin(), estimate.end(), 0.0);
  for (std::uint64_t s = 0; s < shots; ++s) estimate[table.sample(stream)] += 1.0;
  const double inverse = 1.0 / static_cast<double>(shots);
  for (double& e : estimate) e *= inverse;
}

}  // namespace qgen::sim
