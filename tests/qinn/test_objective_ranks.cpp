// The QINN's batch loss: its gradient with respect to every parameter (angles, network, affine
// maps) against central differences of the loss itself, for both invertibility losses; and the
// same bits for loss and gradient on 1, 2 and 3 ranks (run under mpiexec with each; every case
// compares the full communicator with rank 0 alone).
#include <gtest/gtest.h>
#include <mpi.h>

#include <cstring>
#include <numbers>
#include <random>

#include "../support/finite_difference.hpp"
#include "qgen/data/observables.hpp"
#include "qgen/qinn/dilepton.hpp"
#include "qgen/qinn/objective.hpp"
#include "qgen/qinn/streams.hpp"

namespace qgen::qinn {
namespace {

constexpr double kPi = std::numbers::pi;

struct Problem {
  QinnModel model;
  std::vector<double> scaled, mass, z_generated, z_reference, parameters;

  static FeatureScaling scaling() {
    FeatureScaling s;
    s.columns = zll_features();
    s.low = {15, 15, 0, -2.5, -2.5};
    s.high = {150, 150, kPi, 2.5, 2.5};
    return s;
  }

  Problem(int events, int chunk, QinnShape shape = {5, 2, 1, 2, 6})
      : model({shape, chunk, sim::FusionLevel::two_qubit}, scaling()) {
    std::mt19937_64 rng(42);
    std::uniform_real_distribution<double> u(0.05, kPi - 0.05);
    for (int i = 0; i < events * 5; ++i) scaled.push_back(u(rng));
    for (int e = 0; e < events; ++e) {
      double x[5];
      for (int q = 0; q < 5; ++q) x[q] = model.scaling().to_physical(q, scaled[e * 5 + q]);
      mass.push_back(data::dilepton_mass(x[0], x[1], x[2], x[3], x[4]));
    }
    z_generated.resize(events * 5);
    z_reference.resize(events * 5);
    normal_values(7, stream_of(Purpose::generated, 0), 0, z_generated);
    normal_values(7, stream_of(Purpose::reference, 0), 0, z_reference);
    parameters = model.initial_parameters(3, kPi);
    // Away from the initial values, so that every derivative is generic.
    std::uniform_real_distribution<double> jitter(-0.3, 0.3);
    for (double& p : parameters) p += jitter(rng);
  }
  Batch batch() const { return {scaled, mass, z_generated, z_reference}; }
};

ObjectiveOptions options_with(InvertibilityLoss kind) {
  ObjectiveOptions o;
  o.invertibility = kind;
  return o;
}

TEST(Objective, GradientMatchesFiniteDifferences) {
  const core::Ranks self = core::Ranks::of(MPI_COMM_SELF);
  Problem problem(10, 4);  // three chunks, the last one partly empty
  for (InvertibilityLoss kind : {InvertibilityLoss::mse, InvertibilityLoss::fidelity}) {
    Objective objective(self, problem.model, options_with(kind));
    const auto& p = problem.parameters;
    std::vector<double> g(p.size()), unused;
    const LossParts at = objective.evaluate(p, problem.batch(), g);
    EXPECT_GT(at.input, 0);
    EXPECT_GT(at.latent, 0);
    EXPECT_GT(at.mass, 0);
    EXPECT_GT(at.invertibility, 0);
    // Values only give the same loss.
    EXPECT_EQ(objective.evaluate(p, problem.batch(), unused).total, at.total);
    const auto fd = testing::central_differences(
        [&](const std::vector<double>& q) { return objective.evaluate(q, problem.batch(), unused).total; }, p);
    double worst = 0;
    for (std::size_t j = 0; j < p.size(); ++j) {
      EXPECT_NEAR(g[j], fd[j], 1e-6 * (1 + std::abs(fd[j]))) << core::name_of(kind) << " parameter " << j;
      worst = std::max(worst, std::abs(g[j] - fd[j]));
    }
    RecordProperty(core::name_of(kind) + "_worst", std::to_string(worst));
  }
}

TEST(Objective, SameBitsOnAnyNumberOfRanks) {
  const core::Ranks world = core::Ranks::of(MPI_COMM_WORLD), self = core::Ranks::of(MPI_COMM_SELF);
  Problem problem(37, 4);  // ten chunks over 1, 2 or 3 ranks
  for (InvertibilityLoss kind : {InvertibilityLoss::mse, InvertibilityLoss::fidelity}) {
    Objective all(world, problem.model, options_with(kind)), alone(self, problem.model, options_with(kind));
    std::vector<double> g_all(problem.parameters.size()), g_alone(problem.parameters.size());
    const LossParts a = all.evaluate(problem.parameters, problem.batch(), g_all);
    const LossParts b = alone.evaluate(problem.parameters, problem.batch(), g_alone);
    EXPECT_EQ(std::memcmp(&a, &b, sizeof a), 0) << a.total << " " << b.total;
    EXPECT_EQ(std::memcmp(g_all.data(), g_alone.data(), g_all.size() * sizeof(double)), 0);
  }
}

TEST(Objective, ChunkBlocksCoverEveryChunkOnce) {
  for (int ranks = 1; ranks <= 5; ++ranks)
    for (std::size_t chunks : {1u, 2u, 7u, 8u}) {
      std::size_t next = 0;
      for (int r = 0; r < ranks; ++r) {
        const auto [a, b] = chunk_block(chunks, ranks, r);
        EXPECT_EQ(a, next);
        EXPECT_LE(b - a, chunks / ranks + 1);
        next = b;
      }
      EXPECT_EQ(next, chunks);
    }
}

TEST(Objective, MassTermNeedsTheZllFeatures) {
  FeatureScaling s = Problem::scaling();
  s.columns[2] = "phi";
  QinnModel model({{5, 1, 0, 1, 1}, 4, sim::FusionLevel::two_qubit}, s);
  EXPECT_THROW(Objective(core::Ranks::of(MPI_COMM_SELF), model, ObjectiveOptions{}), core::InputError);
  ObjectiveOptions no_mass;
  no_mass.weights.mass = 0;
  EXPECT_NO_THROW(Objective(core::Ranks::of(MPI_COMM_SELF), model, no_mass));
}

}  // namespace
}  // namespace qgen::qinn
