#include "qgen/eval/metrics.hpp"

#include <cmath>
#include <stdexcept>

#include "qgen/core/random_stream.hpp"
#include "qgen/sim/sampling.hpp"

namespace qgen::eval {
namespace {
// Streams of sampling from a trained model: apart from training's (step << 32 | circuit).
constexpr std::uint64_t kStateStream = 0x5A3Dull << 48, kPositionStream = 0x5A3Eull << 48;
}  // namespace

double marginal_mae(std::span<const double> target, std::span<const double> model,
                    const data::Binning& binning) {
  if (target.size() != binning.num_states() || model.size() != binning.num_states())
    throw std::invalid_argument("marginal MAE: distributions and binning disagree in size");
  double sum = 0.0;
  for (int f = 0; f < binning.num_features(); ++f) {
    const auto p = data::marginal(target, binning, f), q = data::marginal(model, binning, f);
    for (std::size_t i = 0; i < p.size(); ++i) sum += std::abs(p[i] - q[i]);
  }
  return sum / (binning.num_features() * static_cast<double>(binning.bins_per_feature()));
}

Samples sample_events(std::span<const double> probabilities, const data::Binning& binning,
                      std::uint64_t n, std::uint64_t seed) {
  Samples out{data::Table(binning.features()), std::vector<double>(probabilities.size(), 0.0)};
  if (n == 0) return out;
  const sim::AliasTable table(probabilities);
  core::RandomStream states(seed, kStateStream), positions(seed, kPositionStream);
  out.events.reserve(n);
  std::vector<double> values(binning.num_features());
  for (std::uint64_t k = 0; k < n; ++k) {
    const std::size_t state = table.sample(states);
    out.distribution[state] += 1.0;
    binning.decode(state, positions, values);
    out.events.append(values);
  }
  for (double& d : out.distribution) d /= static_cast<double>(n);
  return out;
}

}  // namespace qgen::eval
