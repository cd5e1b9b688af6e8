// Gradient engines: exact parameter shift equals the adjoint; the shot estimator is unbiased
// (for a loss linear in Q's derivative); the ranks' work sets compose to the full gradient.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>

#include "../support/dense_reference.hpp"
#include "qgen/circuits/ansatz.hpp"
#include "qgen/train/gradient_engine.hpp"

namespace qgen::train {
namespace {

std::vector<double> random_target(int n, unsigned seed) {
  std::mt19937 rng(seed);
  std::exponential_distribution<double> e(1.0);
  std::vector<double> p(n);
  double total = 0;
  for (double& x : p) total += x = e(rng);
  for (double& x : p) x /= total;
  return p;
}

// The gradient entries of the engine's work set (zeros elsewhere) and the loss.
std::vector<double> full_gradient(GradientEngine& engine, std::span<const double> theta,
                                  std::uint64_t evaluation, double* loss = nullptr) {
  std::vector<double> g(theta.size());
  const double l = engine.evaluate(theta, evaluation, g);
  if (loss) *loss = l;
  return g;
}

TEST(Engines, ExactParameterShiftEqualsAdjoint) {
  const sim::Circuit c = circuits::build_qcbm_circuit({1, 6, 2, 0, circuits::InitialState::bell});
  const auto theta = testing::random_parameters(c.num_parameters(), 9);
  for (LossKind kind : {LossKind::js, LossKind::kl, LossKind::mmd}) {
    const Loss loss({kind, 1e-9, {0.5, 3.0}}, random_target(64, 1));
    for (auto evaluation : {sim::ShiftEvaluation::paired, sim::ShiftEvaluation::direct}) {
      EngineOptions shift_options;
      shift_options.shift_evaluation = evaluation;
      auto shift = make_gradient_engine(c, shift_options, loss);
      EngineOptions adjoint_options;
      adjoint_options.method = GradientMethod::adjoint;
      auto adjoint = make_gradient_engine(c, adjoint_options, loss);
      double l1 = 0, l2 = 0;
      const auto g1 = full_gradient(*shift, theta, 0, &l1), g2 = full_gradient(*adjoint, theta, 0, &l2);
      EXPECT_EQ(l1, l2);
      EXPECT_LT(testing::max_difference(g1, g2), 1e-10) << core::name_of(kind);
    }
  }
}

TEST(Engines, WorkSetsComposeTheFullGradient) {
  // As the trainer sums them: each rank's entries where its work set says, zeros elsewhere.
  const sim::Circuit c = circuits::build_qcbm_circuit({2, 4, 3, 2});
  const auto theta = testing::random_parameters(c.num_parameters(), 2);
  const Loss loss({LossKind::js}, random_target(16, 3));
  for (const GradientMethod method : {GradientMethod::parameter_shift, GradientMethod::adjoint}) {
    EngineOptions options;
    options.method = method;
    options.shots = method == GradientMethod::adjoint ? 0 : 1000;
    options.seed = 4;
    auto whole = make_gradient_engine(c, options, loss);
    const auto expected = full_gradient(*whole, theta, 5);
    for (int ranks : {2, 3, 5}) {
      std::vector<double> summed(expected.size(), 0.0);
      for (const std::vector<int>& work : assign_work(whole->parameter_costs(), ranks)) {
        auto part = make_gradient_engine(c, options, loss);
        part->set_work(work);
        const auto g = full_gradient(*part, theta, 5);
        for (std::size_t j = 0; j < g.size(); ++j) {
          const bool mine = std::binary_search(work.begin(), work.end(), static_cast<int>(j));
          if (!mine) {
            EXPECT_EQ(g[j], 0.0) << core::name_of(method) << ": parameter " << j << " is not in the set";
          }
          summed[j] += g[j];
        }
      }
      EXPECT_EQ(summed, expected) << core::name_of(method) << ", " << ranks << " ranks";  // bit for bit
    }
  }
}

TEST(Engines, WorkSetsAreChecked) {
  const sim::Circuit c = circuits::build_qcbm_circuit({1, 4, 1});
  const Loss loss({LossKind::js}, random_target(16, 3));
  auto engine = make_gradient_engine(c, EngineOptions{}, loss);
  EXPECT_THROW(engine->set_work({1, 0}), std::invalid_argument);
  EXPECT_THROW(engine->set_work({0, 0}), std::invalid_argument);
  EXPECT_THROW(engine->set_work({c.num_parameters()}), std::invalid_argument);
  std::vector<double> short_gradient(c.num_parameters() - 1);
  EXPECT_THROW(engine->evaluate(std::vector<double>(c.num_parameters(), 0.1), 0, short_gradient),
               std::invalid_argument);
}

TEST(Engines, ShotGradientIsUnbiased) {
  // MMD's dL/dQ is linear in Q, so the shot estimate of the gradient has the exact gradient as
  // its mean. Averaged over 400 evaluations (independent streams), each entry must be within
  // 5 standard errors of it.
  const sim::Circuit c = circuits::build_qcbm_circuit({1, 4, 1});
  const auto theta = testing::random_parameters(c.num_parameters(), 6);
  const Loss loss({LossKind::mmd, 1e-9, {1.0}}, random_target(16, 7));
  auto exact = make_gradient_engine(c, {}, loss);
  const auto g_exact = full_gradient(*exact, theta, 0);
  EngineOptions options;
  options.shots = 2000;
  auto shots = make_gradient_engine(c, options, loss);
  const int n = 400;
  std::vector<double> mean(g_exact.size(), 0.0), square(g_exact.size(), 0.0);
  for (int e = 0; e < n; ++e) {
    const auto g = full_gradient(*shots, theta, e);
    for (std::size_t j = 0; j < g.size(); ++j) {
      mean[j] += g[j] / n;
      square[j] += g[j] * g[j] / n;
    }
  }
  for (std::size_t j = 0; j < mean.size(); ++j) {
    const double standard_error = std::sqrt(std::max(0.0, square[j] - mean[j] * mean[j]) / n);
    EXPECT_NEAR(mean[j], g_exact[j], 5 * standard_error + 1e-12) << "parameter " << j;
  }
}

TEST(Engines, ShotsAreKeyedByEvaluation) {
  const sim::Circuit c = circuits::build_qcbm_circuit({1, 4, 1});
  const auto theta = testing::random_parameters(c.num_parameters(), 6);
  const Loss loss({LossKind::js}, random_target(16, 7));
  EngineOptions options;
  options.shots = 500;
  auto a = make_gradient_engine(c, options, loss), b = make_gradient_engine(c, options, loss);
  EXPECT_EQ(full_gradient(*a, theta, 3), full_gradient(*b, theta, 3));
  EXPECT_NE(full_gradient(*a, theta, 3), full_gradient(*a, theta, 4));
}

TEST(Engines, AdjointRefusesShotsAndUnknownMethods) {
  const sim::Circuit c = circuits::build_qcbm_circuit({1, 4, 1});
  const Loss loss({LossKind::js}, random_target(16, 7));
  EngineOptions adjoint;
  adjoint.method = GradientMethod::adjoint;
  adjoint.shots = 100;
  EXPECT_THROW(make_gradient_engine(c, adjoint, loss), std::invalid_argument);
  EXPECT_THROW(core::parse_enum<GradientMethod>("finite-difference", "train.gradient"),
               std::invalid_argument);
}

}  // namespace
}  // namespace qgen::train
