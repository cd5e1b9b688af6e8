#include "qgen/eval/correlation_chain.hpp"

#include <cmath>
#include <stdexcept>

namespace qgen::eval {

std::vector<double> distribution_correlation(std::span<const double> probabilities,
                                             const data::Binning& binning, BinPosition position) {
  if (probabilities.size() != binning.num_states())
    throw std::invalid_argument("distribution_correlation: distribution and binning disagree in size");
  const std::size_t n = static_cast<std::size_t>(binning.num_features());
  // First and second moments of the per-bin positions (centres, or the decoder's in-bin means),
  // and the mean in-bin variance per feature (decoded only).
  std::vector<double> mean(n, 0.0), second(n * n, 0.0), in_bin(n, 0.0), centre(n);
  double total = 0;
  for (std::size_t s = 0; s < probabilities.size(); ++s) {
    const double p = probabilities[s];
    if (p == 0) continue;
    total += p;
    for (std::size_t a = 0; a < n; ++a) {
      const auto& edges = binning.edges(static_cast<int>(a));
      const std::size_t b = binning.bin_of_state(s, static_cast<int>(a));
      if (position == BinPosition::decoded) {
        const data::InBinMoments m = binning.decoded_moments(s, static_cast<int>(a));
        centre[a] = m.mean;
        in_bin[a] += p * m.variance;
      } else {
        centre[a] = (edges[b] + edges[b + 1]) / 2;
      }
      mean[a] += p * centre[a];
    }
    for (std::size_t a = 0; a < n; ++a)
      for (std::size_t b = a; b < n; ++b) second[a * n + b] += p * centre[a] * centre[b];
  }
  if (!(total > 0)) throw std::invalid_argument("distribution_correlation: the distribution is empty");
  std::vector<double> covariance(n * n);
  for (std::size_t a = 0; a < n; ++a)
    for (std::size_t b = a; b < n; ++b)
      covariance[a * n + b] = second[a * n + b] / total - mean[a] * mean[b] / (total * total);
  if (position == BinPosition::decoded)
    for (std::size_t a = 0; a < n; ++a) covariance[a * n + a] += in_bin[a] / total;
  std::vector<double> correlation(n * n);
  for (std::size_t a = 0; a < n; ++a)
    for (std::size_t b = a; b < n; ++b) {
      const double denominator = std::sqrt(covariance[a * n + a] * covariance[b * n + b]);
      correlation[a * n + b] = correlation[b * n + a] =
          a == b ? 1.0 : (denominator > 0 ? covariance[a * n + b] / denominator : NAN);
    }
  return correlation;
}

}  // namespace qgen::eval
