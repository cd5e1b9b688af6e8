// Losses: values against hand computations, derivatives against finite differences, and the
// documented handling of empty bins.
#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <random>

#include "qgen/core/tree_sum.hpp"
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

// The perfect binary tree, recursively: the reference for core::TreeSum.
double tree_reference(const std::vector<double>& v, std::size_t begin, std::size_t end) {
  if (end - begin == 1) return v[begin];
  const std::size_t half = std::bit_floor(end - begin - 1);  // the left subtree: a power of two
  return tree_reference(v, begin, begin + half) + tree_reference(v, begin + half, end);
}

TEST(TreeSum, AddsAsAPerfectBinaryTreeWhateverTheBlocks) {
  // Terms of very different sizes, so that every order of addition rounds differently.
  std::mt19937 rng(21);
  std::uniform_real_distribution<double> exponent(-20.0, 20.0);
  std::vector<double> v(1 << 12);
  for (double& x : v) x = std::exp(exponent(rng)) * (rng() % 3 == 0 ? -1 : 1);
  core::TreeSum whole;
  for (double x : v) whole.add(x);
  EXPECT_EQ(whole.total(), tree_reference(v, 0, v.size()));
  EXPECT_EQ(whole.count(), v.size());
  // Blocks of 2^k summed apart, then their sums as a tree: the whole sum bit for bit (what a
  // rank group does with its slices).
  for (std::size_t block = 1; block <= v.size(); block *= 2) {
    core::TreeSum tops;
    for (std::size_t first = 0; first < v.size(); first += block) {
      core::TreeSum part;
      for (std::size_t i = first; i < first + block; ++i) part.add(v[i]);
      tops.add(part.total());
    }
    EXPECT_EQ(tops.total(), whole.total()) << "blocks of " << block;
  }
  // add_block: the same sum as add() term by term, in blocks of 2^k (and single terms between).
  for (std::size_t block : {2u, 8u, 64u}) {
    core::TreeSum blocked;
    std::size_t x = 0;
    for (; x + block <= v.size(); x += block) {
      if ((x / block) % 3 == 1) {
        for (std::size_t i = x; i < x + block; ++i) blocked.add(v[i]);
      } else {
        std::vector<double> terms(v.begin() + x, v.begin() + x + block);
        blocked.add_block(terms);
      }
    }
    EXPECT_EQ(blocked.total(), whole.total()) << "add_block of " << block;
  }
  // A sequential sum rounds differently here (so the test can tell the orders apart).
  double sequential = 0;
  for (double x : v) sequential += x;
  EXPECT_NE(sequential, whole.total());
  // Counts that are not powers of two: the subtrees added from the smallest.
  for (std::size_t n : {1u, 3u, 5u, 7u, 100u, 1000u}) {
    const std::vector<double> head(v.begin(), v.begin() + n);
    core::TreeSum sum;
    for (double x : head) sum.add(x);
    EXPECT_EQ(sum.total(), tree_reference(head, 0, n)) << n << " terms";
  }
  EXPECT_EQ(core::TreeSum().total(), 0.0);
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
