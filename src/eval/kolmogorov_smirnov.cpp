#include "qgen/eval/kolmogorov_smirnov.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace qgen::eval {

double kolmogorov_q(double lambda) {
  if (lambda <= 0) return 1.0;
  // Two series of the same function: the one in exp(-2 j^2 lambda^2) converges slowly at small
  // lambda, the dual (Jacobi) form 1 - sqrt(2 pi)/lambda sum exp(-(2j-1)^2 pi^2 / (8 lambda^2))
  // slowly at large lambda; four terms of the right one reach double precision (NR3, 6.14).
  if (lambda < 1.18) {
    const double y = std::exp(-std::numbers::pi * std::numbers::pi / (8 * lambda * lambda));
    const double y9 = std::pow(y, 9), y25 = std::pow(y, 25), y49 = std::pow(y, 49);
    return 1.0 - std::sqrt(2 * std::numbers::pi) / lambda * (y + y9 + y25 + y49);
  }
  const double x = std::exp(-2 * lambda * lambda);
  return 2 * (x - std::pow(x, 4) + std::pow(x, 9));
}

double ks_statistic(std::vector<double> a, std::vector<double> b) {
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  const double na = static_cast<double>(a.size()), nb = static_cast<double>(b.size());
  std::size_t i = 0, j = 0;
  double d = 0;
  // Step both empirical distributions past each distinct value before comparing them, so
  // that values shared by the two samples (ties) do not open a spurious gap.
  while (i < a.size() && j < b.size()) {
    const double x = std::min(a[i], b[j]);
    while (i < a.size() && a[i] == x) ++i;
    while (j < b.size() && b[j] == x) ++j;
    d = std::max(d, std::abs(static_cast<double>(i) / na - static_cast<double>(j) / nb));
  }
  return d;
}

double ks_statistic(std::vector<double> sample, const std::function<double(double)>& cdf) {
  std::sort(sample.begin(), sample.end());
  const double n = static_cast<double>(sample.size());
  double d = 0;
  // The empirical distribution jumps from k/n to (k+1)/n at the k-th value: both sides count.
  for (std::size_t k = 0; k < sample.size(); ++k) {
    const double f = cdf(sample[k]);
    d = std::max({d, std::abs(f - static_cast<double>(k) / n), std::abs(static_cast<double>(k + 1) / n - f)});
  }
  return d;
}

double ks_p_value(double statistic, double effective_count) {
  const double root = std::sqrt(effective_count);
  return kolmogorov_q((root + 0.12 + 0.11 / root) * statistic);
}

}  // namespace qgen::eval
