#include "qgen/data/bin_quantiles.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace qgen::data {

std::vector<double> empirical_quantiles(std::span<const double> sorted, int count) {
  if (sorted.size() < 2 || count < kMinQuantilesPerBin)
    throw std::invalid_argument("empirical_quantiles: needs two values and two quantiles");
  std::vector<double> q(static_cast<std::size_t>(count));
  const double last = static_cast<double>(sorted.size() - 1);
  for (int j = 0; j < count; ++j) {
    const double h = last * static_cast<double>(j) / static_cast<double>(count - 1);
    const std::size_t k = std::min(static_cast<std::size_t>(h), sorted.size() - 2);
    const double a = sorted[k], b = sorted[k + 1];
    q[static_cast<std::size_t>(j)] = std::clamp(a + (h - static_cast<double>(k)) * (b - a), a, b);
  }
  q.front() = sorted.front();
  q.back() = sorted.back();
  return q;
}

std::vector<double> uniform_quantiles(double lo, double hi, int count) {
  std::vector<double> q(static_cast<std::size_t>(count));
  for (int j = 0; j < count; ++j)
    q[static_cast<std::size_t>(j)] = lo + (hi - lo) * static_cast<double>(j) / static_cast<double>(count - 1);
  q.back() = hi;
  return q;
}

double inverse_cdf(std::span<const double> quantiles, double u) {
  const std::size_t segments = quantiles.size() - 1;
  const double t = u * static_cast<double>(segments);
  const std::size_t j = std::min(static_cast<std::size_t>(t), segments - 1);
  const double a = quantiles[j], b = quantiles[j + 1];
  // The clamp keeps rounding from carrying a value across a quantile (and so across an edge).
  return std::clamp(a + (t - static_cast<double>(j)) * (b - a), a, b);
}

double quantile_cdf(std::span<const double> quantiles, double x) {
  if (x < quantiles.front()) return 0.0;
  if (x >= quantiles.back()) return 1.0;
  // q_j <= x < q_{j+1}: a segment of positive width.
  const std::size_t j =
      static_cast<std::size_t>(std::upper_bound(quantiles.begin(), quantiles.end(), x) - quantiles.begin()) - 1;
  return (static_cast<double>(j) + (x - quantiles[j]) / (quantiles[j + 1] - quantiles[j])) /
         static_cast<double>(quantiles.size() - 1);
}

InBinMoments decoded_moments(std::span<const double> quantiles) {
  const std::size_t segments = quantiles.size() - 1;
  // Centred on the first quantile: the variance of a narrow bin far from zero keeps its digits.
  const double origin = quantiles.front();
  double first = 0, second = 0;
  for (std::size_t j = 0; j < segments; ++j) {
    const double a = quantiles[j] - origin, b = quantiles[j + 1] - origin;
    first += (a + b) / 2;
    second += (a * a + a * b + b * b) / 3;
  }
  const double n = static_cast<double>(segments);
  const double mean = first / n;
  return {origin + mean, std::max(0.0, second / n - mean * mean)};
}

}  // namespace qgen::data
