// The correlation of a binned distribution, at the bin centres and decoded uniformly, against a
// hand computation and against the correlation of many decoded samples.
#include <gtest/gtest.h>

#include <cmath>

#include "qgen/eval/correlation_chain.hpp"
#include "qgen/eval/metrics.hpp"

namespace qgen::eval {
namespace {

// Two features on [0, 2], two bins each (q = 1); P(00) = P(11) = 0.4, P(01) = P(10) = 0.1.
const data::Binning kBinning({"x", "y"}, 1, {{0.0, 1.0, 2.0}, {0.0, 1.0, 2.0}});
const std::vector<double> kDistribution = {0.4, 0.1, 0.1, 0.4};

TEST(DistributionCorrelation, CentresByHand) {
  // Centres 0.5 and 1.5, means 1: E[xy] = 0.4 * 0.25 + 0.2 * 0.75 + 0.4 * 2.25 = 1.15, covariance
  // 0.15, variance 0.25: r = 0.6.
  const auto c = distribution_correlation(kDistribution, kBinning, BinPosition::centre);
  ASSERT_EQ(c.size(), 4u);
  EXPECT_NEAR(c[1], 0.6, 1e-15);
  EXPECT_NEAR(c[2], 0.6, 1e-15);
  EXPECT_EQ(c[0], 1.0);
}

TEST(DistributionCorrelation, UniformDecodingByHand) {
  // Covariance 0.15 unchanged; each variance grows by 1/12 (width 1): r = 0.15 / (1/3) = 0.45.
  EXPECT_NEAR(distribution_correlation(kDistribution, kBinning, BinPosition::decoded)[1], 0.45, 1e-15);
}

TEST(DistributionCorrelation, UniformDecodingMatchesDecodedSamples) {
  // Unequal widths, two qubits per feature, a distribution heavier on the diagonal.
  const data::Binning binning({"a", "b"}, 2, {{0, 1, 3, 7, 15}, {-2, -1, 0, 4, 5}});
  std::vector<double> p(16);
  for (std::size_t s = 0; s < p.size(); ++s) p[s] = 1.0 + static_cast<double>((s * 7) % 5) + (s / 4 == s % 4 ? 20 : 0);
  double total = 0;
  for (double v : p) total += v;
  for (double& v : p) v /= total;
  const Samples samples = sample_events(p, binning, 400000, 11);
  // The empirical r of 400000 draws: standard error about (1 - r^2) / sqrt(n) < 0.0016.
  const double decoded = distribution_correlation(p, binning, BinPosition::decoded)[1];
  EXPECT_NEAR(decoded, data::correlation_matrix(samples.events)[1], 0.005);
  // The test can tell: the centres' correlation is further away than the tolerance.
  EXPECT_GT(std::abs(distribution_correlation(p, binning, BinPosition::centre)[1] - decoded), 0.02);
}

TEST(DistributionCorrelation, ConstantFeatureHasNoCorrelation) {
  EXPECT_TRUE(std::isnan(distribution_correlation(std::vector<double>{0.5, 0.5, 0, 0}, kBinning, BinPosition::centre)[1]));
}

}  // namespace
}  // namespace qgen::eval
