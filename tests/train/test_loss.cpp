// Losses: values against hand computations, derivatives against finite differences, and the
// documented handling of empty bins.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "qgen/train/loss.hpp"

namespace qgen::train {
namespace {

std::vector<double> random_distribution(int n, unsigned seed, double floor = 0.0) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  std::vector<double> p(n);
  double total = 0;
  for (double& x : p) total += x = floor + u(rng);
  for (double& x : p) x /= total;
  return p;
}

TEST(Loss, JensenShannonValues) {
  // Identical: 0. Disjoint supports: log 2 (the maximum).
  const std::vector<double> a{0.5, 0.5, 0.0, 0.0}, b{0.0, 0.0, 0.5, 0.5};
  EXPECT_EQ(jensen_shannon(a, a), 0.0);
  EXPECT_NEAR(jensen_shannon(a, b), std::log(2.0), 1e-15);
  // A hand computation: P = (1, 0), Q = (1/2, 1/2), M = (3/4, 1/4):
  // 1/2 [1 log(4/3) + 1/2 log(2/3) + 1/2 log 2].
  const std::vector<double> p{1.0, 0.0}, q{0.5, 0.5};
  EXPECT_NEAR(jensen_shannon(p, q),
              0.5 * (std::log(4.0 / 3) + 0.5 * std::log(2.0 / 3) + 0.5 * std::log(2.0)), 1e-15);
}

// Central differences of the value along each coordinate of Q (Q off the simplex is fine:
// the losses are functions of the vector).
void expect_gradient(const Loss& loss, std::vector<double> q, double tolerance) {
  std::vector<double> g(q.size());
  loss.value_and_gradient(q, g);
  const double h = 1e-7;
  for (std::size_t x = 0; x < q.size(); ++x) {
    auto up = q, down = q;
    up[x] += h;
    down[x] -= h;
    EXPECT_NEAR(g[x], (loss.value(up) - loss.value(down)) / (2 * h), tolerance) << "bin " << x;
  }
}

TEST(Loss, DerivativesAgainstFiniteDifferences) {
  const auto p = random_distribution(64, 1, 0.05), q = random_distribution(64, 2, 0.05);
  expect_gradient(Loss({LossKind::js}, p), q, 1e-6);
  expect_gradient(Loss({LossKind::kl}, p), q, 1e-5);
  expect_gradient(Loss({LossKind::mmd, 1e-9, {0.25, 1.0, 4.0}}, p), q, 1e-6);
  expect_gradient(Loss({LossKind::mmd, 1e-9, {40.0}}, p), q, 1e-6);  // band wider than the states
}

TEST(Loss, MmdIsAPositiveQuadraticForm) {
  const auto p = random_distribution(32, 3), q = random_distribution(32, 4);
  const Loss mmd({LossKind::mmd, 1e-9, {0.5, 2.0}}, p);
  EXPECT_NEAR(mmd.value(p), 0.0, 1e-18);
  EXPECT_GT(mmd.value(q), 0.0);
  // A direct double sum with the full kernel.
  double direct = 0;
  for (int x = 0; x < 32; ++x)
    for (int y = 0; y < 32; ++y) {
      const double d2 = (x - y) * (x - y);
      const double k = std::exp(-d2 / (2 * 0.25)) + std::exp(-d2 / (2 * 4.0));
      direct += (p[x] - q[x]) * k * (p[y] - q[y]);
    }
  EXPECT_NEAR(mmd.value(q), direct, 1e-15);
}

TEST(Loss, EmptyModelBinsPullWithAFiniteWeight) {
  const std::vector<double> p{0.5, 0.5, 0.0}, q{1.0, 0.0, 0.0};
  std::vector<double> g(3);
  const Loss js({LossKind::js, 1e-9}, p);
  const double value = js.value_and_gradient(q, g);
  EXPECT_TRUE(std::isfinite(value));
  // Bin 1: P = 0.5, Q = 0 -> 1/2 log(eps / ((0.5 + eps)/2)).
  EXPECT_NEAR(g[1], 0.5 * std::log(1e-9 / (0.5 * (0.5 + 1e-9))), 1e-12);
  // Where P = 0 the exact derivative is 1/2 log 2 for every Q > 0; the floor keeps it so at Q = 0.
  EXPECT_NEAR(g[2], 0.5 * std::log(2.0), 1e-15);
  const Loss kl({LossKind::kl, 1e-9}, p);
  EXPECT_TRUE(std::isfinite(kl.value_and_gradient(q, g)));
  EXPECT_NEAR(g[1], -0.5 / 1e-9, 1e-3);
}

TEST(Loss, RejectsBadSettings) {
  const std::vector<double> p{1.0};
  EXPECT_THROW(Loss({LossKind::js, 0.0}, p), std::invalid_argument);
  EXPECT_THROW(Loss({LossKind::mmd, 1e-9, {}}, p), std::invalid_argument);
  EXPECT_THROW(Loss({LossKind::mmd, 1e-9, {-1.0}}, p), std::invalid_argument);
  EXPECT_THROW(core::parse_enum<LossKind>("hinge", "loss"), std::invalid_argument);
  for (LossKind k : {LossKind::js, LossKind::kl, LossKind::mmd})
    EXPECT_EQ(core::parse_enum<LossKind>(core::name_of(k), "loss"), k);
}

}  // namespace
}  // namespace qgen::train
