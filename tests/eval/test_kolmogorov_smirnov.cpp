// Kolmogorov-Smirnov test against independent references: published critical values of the
// Kolmogorov distribution, its defining series summed term by term, and statistics worked by hand.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "qgen/eval/kolmogorov_smirnov.hpp"

namespace qgen::eval {
namespace {

TEST(KolmogorovQ, KnownValues) {
  // scipy.special.kolmogorov (SciPy 1.10.1), computed offline.
  EXPECT_NEAR(kolmogorov_q(0.3), 0.9999906941986655, 1e-13);
  EXPECT_NEAR(kolmogorov_q(0.5), 0.9639452436648751, 1e-13);
  EXPECT_NEAR(kolmogorov_q(1.0), 0.26999967167735456, 1e-13);
  EXPECT_NEAR(kolmogorov_q(1.36), 0.049485876755377876, 1e-13);
  EXPECT_NEAR(kolmogorov_q(2.0), 0.0006709252557796953, 1e-15);
  EXPECT_NEAR(kolmogorov_q(3.0), 3.045995948942526e-08, 1e-18);
  // Critical values of the Kolmogorov distribution (tables of Smirnov 1948): Q = 0.20, 0.10, 0.05, 0.01.
  EXPECT_NEAR(kolmogorov_q(1.0727), 0.20, 1e-4);
  EXPECT_NEAR(kolmogorov_q(1.2238), 0.10, 1e-4);
  EXPECT_NEAR(kolmogorov_q(1.3581), 0.05, 1e-4);
  EXPECT_NEAR(kolmogorov_q(1.6276), 0.01, 1e-4);
  EXPECT_EQ(kolmogorov_q(0.0), 1.0);
  EXPECT_EQ(kolmogorov_q(-1.0), 1.0);
  EXPECT_LT(kolmogorov_q(10.0), 1e-80);
}

TEST(KolmogorovQ, MatchesTheDefiningSeriesOnBothBranches) {
  // The series 2 sum (-1)^{j-1} exp(-2 j^2 lambda^2), summed with many terms, converges for every
  // lambda >= 0.3; the implementation uses the dual series below lambda = 1.18.
  for (double lambda : {0.3, 0.45, 0.7, 0.9, 1.1, 1.17, 1.19, 1.5, 2.0, 3.0}) {
    double sum = 0;
    for (int j = 1; j <= 200; ++j) sum += (j % 2 ? 2.0 : -2.0) * std::exp(-2.0 * j * j * lambda * lambda);
    EXPECT_NEAR(kolmogorov_q(lambda), sum, 1e-12) << "lambda " << lambda;
  }
}

TEST(KsStatistic, TwoSamplesByHand) {
  // F_a steps by 1/3 at 1, 2, 3; F_b by 1/4 at 1.5, 2.5, 3.5, 4.5: the largest gap is at 3,
  // F_a = 1 against F_b = 1/2.
  EXPECT_DOUBLE_EQ(ks_statistic(std::vector<double>{3, 1, 2}, std::vector<double>{4.5, 1.5, 3.5, 2.5}), 0.5);
  // Order of the samples does not matter; D is symmetric.
  EXPECT_DOUBLE_EQ(ks_statistic(std::vector<double>{1.5, 2.5, 3.5, 4.5}, std::vector<double>{1, 2, 3}), 0.5);
  // a = {1, 2, 2, 5}, b = {2, 3}: after 1, 1/4 vs 0; after 2, 3/4 vs 1/2; after 3, 3/4 vs 1: 1/4.
  EXPECT_DOUBLE_EQ(ks_statistic(std::vector<double>{1, 2, 2, 5}, std::vector<double>{2, 3}), 0.25);
  // Equal samples: both distributions step together at each shared value.
  EXPECT_DOUBLE_EQ(ks_statistic(std::vector<double>{1, 2, 2}, std::vector<double>{2, 1, 2}), 0.0);
  // Disjoint samples: D = 1.
  EXPECT_DOUBLE_EQ(ks_statistic(std::vector<double>{1, 2}, std::vector<double>{3, 4, 5}), 1.0);
}

TEST(KsStatistic, AgainstAContinuousDistributionByHand) {
  // Uniform on [0, 1]: at 0.4 the empirical distribution rises from 1/3 to 2/3; 2/3 - 0.4 = 4/15.
  const auto uniform = [](double x) { return std::clamp(x, 0.0, 1.0); };
  EXPECT_NEAR(ks_statistic(std::vector<double>{0.8, 0.1, 0.4}, uniform), 4.0 / 15.0, 1e-15);
  // A single value at 0.5: distance 1/2 on either side.
  EXPECT_NEAR(ks_statistic(std::vector<double>{0.5}, uniform), 0.5, 1e-15);
}

TEST(KsPValue, StephensFormAtATabulatedPoint) {
  // N_e = 100, D = 0.134: lambda = (10 + 0.12 + 0.011) 0.134 = 1.3576, about the 5% point.
  EXPECT_NEAR(ks_p_value(0.134, 100), 0.05, 5e-4);
  EXPECT_NEAR(ks_p_value(0.0, 100), 1.0, 1e-15);
  // Two samples of 100 and 300 events: N_e = 75.
  EXPECT_DOUBLE_EQ(ks_p_value(0.1, 100.0 * 300 / 400),
                   kolmogorov_q((std::sqrt(75.0) + 0.12 + 0.11 / std::sqrt(75.0)) * 0.1));
}

}  // namespace
}  // namespace qgen::eval
