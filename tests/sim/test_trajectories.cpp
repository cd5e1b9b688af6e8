// Quantum trajectories: the noiseless limit equals the state-vector simulator; with strong noise
// the trajectory mean agrees with the exact density matrix within its own statistical error (a
// chi-square over the outcomes with a fixed seed, and the same test rejects a slightly different
// channel, so it has power); results are reproducible by seed and identical whether a circuit
// runs alone, in a batch (shared prefixes) or in any subset of it (any split over ranks).
#include <gtest/gtest.h>

#include <cmath>

#include "../support/dense_reference.hpp"
#include "../support/random_circuit.hpp"
#include "qgen/core/errors.hpp"
#include "qgen/sim/density_matrix.hpp"
#include "qgen/sim/simulator.hpp"
#include "qgen/sim/trajectories.hpp"

namespace qgen::sim {
namespace {

TEST(Trajectories, NoiselessLimitEqualsTheSimulator) {
  for (int n : {1, 4, 7}) {
    const Circuit circuit = testing::random_circuit(n, 60, 3, 11 * n);
    const auto theta = testing::random_parameters(3, n);
    const std::vector<NoisyCircuit> batch{bind_noiseless(circuit, theta),
                                          testing::random_noisy_circuit(n, 50, 0.0, n)};
    const auto e = trajectory_probabilities(batch, {.trajectories = 3, .seed = 5});
    EXPECT_LT(testing::max_difference(e[0].probabilities, Simulator(circuit).probabilities(theta)), 1e-12);
    for (const auto& estimate : e)
      for (double s : estimate.standard_error) EXPECT_LT(s, 1e-12);
    // Zero-strength channels (identity Kraus sets) change nothing either.
    const auto exact = density_matrix_probabilities(std::span(&batch[1], 1));
    EXPECT_LT(testing::max_difference(e[1].probabilities, exact[0]), 1e-12);
  }
}

/// sum over outcomes of ((estimate - exact) / standard error)^2, and the number of terms.
std::pair<double, int> chi_square(const TrajectoryEstimate& e, const std::vector<double>& exact) {
  double chi2 = 0.0;
  int terms = 0;
  for (std::size_t x = 0; x < exact.size(); ++x) {
    if (e.standard_error[x] == 0.0) {
      EXPECT_NEAR(e.probabilities[x], exact[x], 1e-12);
      continue;
    }
    chi2 += std::pow((e.probabilities[x] - exact[x]) / e.standard_error[x], 2);
    ++terms;
  }
  return {chi2, terms};
}

TEST(Trajectories, AgreeWithTheDensityMatrixWithinTheirStatisticalError) {
  std::vector<NoisyCircuit> batch;
  for (int k = 0; k < 4; ++k) batch.push_back(testing::random_noisy_circuit(3, 40, 1.0, 100 + k));
  const auto exact = density_matrix_probabilities(batch);
  const auto estimates = trajectory_probabilities(batch, {.trajectories = 20000, .seed = 17});
  for (std::size_t c = 0; c < batch.size(); ++c) {
    const auto [chi2, terms] = chi_square(estimates[c], exact[c]);
    ASSERT_GE(terms, 4);
    // Under agreement chi2 ~ chi-square with about `terms` degrees of freedom; 3 terms + 12 lies
    // beyond its 99.9 % quantile for these sizes.
    EXPECT_LT(chi2, 3.0 * terms + 12) << "circuit " << c << ": " << chi2 << " over " << terms;
    double mean_error = 0.0;
    for (double s : estimates[c].standard_error) mean_error += s;
    EXPECT_GT(mean_error, 1e-4) << "the noise must matter for the test to mean anything";
  }

  // Power: a model with one channel slightly stronger is rejected by the same statistic.
  auto build = [](double duration) {
    NoisyCircuit c(3);
    c.unitary(0, gates::hadamard());
    c.cnot(0, 1);
    c.unitary(2, gates::ry(1.0));
    c.channel(1, std::make_shared<KrausChannel>(thermal_relaxation_channel(1.0, 1.5, duration)));
    c.depolarize(1, 2, 0.2);
    c.unitary(1, gates::rx(0.7));
    return c;
  };
  const std::vector<NoisyCircuit> actual{build(0.5)};
  const std::vector<NoisyCircuit> wrong{build(0.6)};
  const auto estimate = trajectory_probabilities(actual, {.trajectories = 20000, .seed = 3});
  EXPECT_LT(chi_square(estimate[0], density_matrix_probabilities(actual)[0]).first, 40.0);
  EXPECT_GT(chi_square(estimate[0], density_matrix_probabilities(wrong)[0]).first, 100.0);
}

TEST(Trajectories, ReproducibleAndIndependentOfHowTheBatchIsSplit) {
  const NoisyCircuit base = testing::random_noisy_circuit(5, 120, 0.5, 8);
  std::vector<NoisyCircuit> batch;
  for (int v = 0; v < 6; ++v) {  // the base with one unitary changed at various depths
    NoisyCircuit c(base.num_qubits());
    for (std::size_t i = 0; i < base.size(); ++i) {
      const NoisyOp& op = base.operations()[i];
      switch (op.kind) {
        case NoisyOpKind::unitary1:
          c.unitary(op.qubits[0], i == 20u * v ? gates::rx(0.1 * v) * base.matrix1(op) : base.matrix1(op));
          break;
        case NoisyOpKind::unitary2: c.unitary(op.qubits[0], op.qubits[1], base.matrix2(op)); break;
        case NoisyOpKind::cnot: c.cnot(op.qubits[0], op.qubits[1]); break;
        case NoisyOpKind::channel1: c.channel(op.qubits[0], std::make_shared<KrausChannel>(base.channel(op))); break;
        case NoisyOpKind::depolarizing2: c.depolarize(op.qubits[0], op.qubits[1], base.depolarizing(op)); break;
      }
    }
    batch.push_back(std::move(c));
  }
  const TrajectoryOptions options{.trajectories = 50, .seed = 99, .batch = 4};
  const auto all = trajectory_probabilities(batch, options);
  EXPECT_EQ(all[2].probabilities, trajectory_probabilities(batch, options)[2].probabilities);
  // Each circuit alone, and the batch split in two halves, give bit for bit the same numbers.
  for (std::size_t c = 0; c < batch.size(); ++c) {
    const auto alone = trajectory_probabilities(std::span(&batch[c], 1), options);
    EXPECT_EQ(alone[0].probabilities, all[c].probabilities) << c;
    EXPECT_EQ(alone[0].standard_error, all[c].standard_error) << c;
  }
  const auto second_half = trajectory_probabilities(std::span(batch).subspan(3), options);
  for (std::size_t c = 3; c < batch.size(); ++c)
    EXPECT_EQ(second_half[c - 3].probabilities, all[c].probabilities);
  // Another seed or another batch number: other noise.
  EXPECT_NE(trajectory_probabilities(batch, {.trajectories = 50, .seed = 98, .batch = 4})[0].probabilities,
            all[0].probabilities);
  EXPECT_NE(trajectory_probabilities(batch, {.trajectories = 50, .seed = 99, .batch = 5})[0].probabilities,
            all[0].probabilities);
}

TEST(Trajectories, ObserverSeesEveryNormalisedTrajectoryAndTheMeanIsTheirAverage) {
  const std::vector<NoisyCircuit> batch{testing::random_noisy_circuit(3, 30, 1.0, 1),
                                        testing::random_noisy_circuit(3, 30, 1.0, 2)};
  std::vector<std::vector<double>> sums(2, std::vector<double>(8, 0.0));
  int calls = 0;
  const auto e = trajectory_probabilities(batch, {.trajectories = 40, .seed = 2},
                                          [&](int c, int, std::span<const double> p) {
                                            ++calls;
                                            double norm = 0.0;
                                            for (int x = 0; x < 8; ++x) {
                                              sums[c][x] += p[x];
                                              norm += p[x];
                                            }
                                            // Each trajectory stays a normalised state.
                                            EXPECT_NEAR(norm, 1.0, 1e-12);
                                          });
  EXPECT_EQ(calls, 80);
  for (int c = 0; c < 2; ++c) {
    for (double& s : sums[c]) s /= 40;
    EXPECT_LT(testing::max_difference(sums[c], e[c].probabilities), 1e-15);
  }
  EXPECT_THROW(trajectory_probabilities(batch, {.trajectories = 0}), core::InputError);
}

}  // namespace
}  // namespace qgen::sim
