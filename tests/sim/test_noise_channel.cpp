// Each noise channel against its analytic action: depolarising purity, T1 decay of |1>, T2
// decay of the coherence of |+>, readout confusion against Kronecker products of the 2x2
// assignment matrices, and the depolarising parameter against the average gate fidelity of the
// composed channel computed from Kraus products.
#include <gtest/gtest.h>

#include <cmath>

#include "../support/dense_reference.hpp"
#include "qgen/core/errors.hpp"
#include "qgen/sim/density_matrix.hpp"
#include "qgen/sim/noise_channel.hpp"

namespace qgen::sim {
namespace {

using testing::Dense;

TEST(NoiseChannel, DepolarizingPurityOfProductStates) {
  for (double p : {0.0, 0.05, 0.4, 1.0, 4.0 / 3.0}) {
    DensityMatrix d(3);
    d.apply(0, gates::rot(0.3, 1.1, -0.4));
    d.apply(1, gates::rot(-1.2, 0.7, 2.0));
    d.apply(2, gates::ry(2.5));
    DensityMatrix d2 = d;
    d.apply(1, depolarizing_channel(p));
    EXPECT_NEAR(d.purity(), 1 - p + p * p / 2, 1e-13) << p;  // (1-p)^2 + 2p(1-p)/2 + p^2/2
    if (p <= 16.0 / 15.0) {
      d2.depolarize(0, 2, p);
      EXPECT_NEAR(d2.purity(), 1 - 1.5 * p + 0.75 * p * p, 1e-13) << p;
    }
    EXPECT_NEAR(d.trace(), 1.0, 1e-14);
  }
  EXPECT_TRUE(depolarizing_channel(0.2).is_mixed_unitary());
  EXPECT_THROW(depolarizing_channel(1.4), core::InputError);
  EXPECT_THROW(depolarizing_channel(-0.1), core::InputError);
}

TEST(NoiseChannel, T1DecayOfTheExcitedState) {
  const double t1 = 50e-6, t2 = 70e-6;
  for (double t : {0.0, 1e-6, 30e-6, 200e-6}) {
    DensityMatrix once(1);
    once.apply(0, gates::pauli_x());
    DensityMatrix steps = once;
    once.apply(0, thermal_relaxation_channel(t1, t2, t));
    EXPECT_NEAR(once.probabilities()[1], std::exp(-t / t1), 1e-14) << t;
    // The relaxation is a semigroup: ten steps of t/10 are one step of t.
    const KrausChannel tenth = thermal_relaxation_channel(t1, t2, t / 10);
    for (int k = 0; k < 10; ++k) steps.apply(0, tenth);
    EXPECT_NEAR(steps.probabilities()[1], std::exp(-t / t1), 1e-13) << t;
  }
  EXPECT_FALSE(thermal_relaxation_channel(t1, t2, 1e-6).is_mixed_unitary());
}

TEST(NoiseChannel, T2DecayOfPlusCoherence) {
  const double t1 = 80e-6, t2 = 100e-6;
  for (double t : {0.0, 5e-6, 60e-6, 300e-6}) {
    DensityMatrix d(1);
    d.apply(0, gates::hadamard());
    d.apply(0, thermal_relaxation_channel(t1, t2, t));
    EXPECT_NEAR(std::abs(d.element(0, 1)), std::exp(-t / t2) / 2, 1e-14) << t;
    EXPECT_NEAR(d.element(1, 1).real(), std::exp(-t / t1) / 2, 1e-14) << t;
    // Read out in the X basis: P(+) = (1 + exp(-t/T2))/2.
    d.apply(0, gates::hadamard());
    EXPECT_NEAR(d.probabilities()[0], (1 + std::exp(-t / t2)) / 2, 1e-14) << t;
  }
  // T2 = 2 T1 is the pure-relaxation limit: allowed; more is unphysical.
  EXPECT_NO_THROW(thermal_relaxation_channel(t1, 2 * t1, 1e-6));
  EXPECT_NO_THROW(thermal_relaxation_channel(INFINITY, INFINITY, 1e-6));
  EXPECT_THROW(thermal_relaxation_channel(t1, 2.01 * t1, 1e-6), core::InputError);
  EXPECT_THROW(thermal_relaxation_channel(-t1, t2, 1e-6), core::InputError);
  EXPECT_THROW(thermal_relaxation_channel(t1, t2, -1e-6), core::InputError);
}

TEST(NoiseChannel, ThermalRelaxationSplitsOffItsIdentityPart) {
  const double t1 = 100e-6;
  for (double t2 : {50e-6, 100e-6, 150e-6, 200e-6})
    for (double t : {20e-9, 400e-9, 80e-6}) {
      const KrausChannel k = thermal_relaxation_channel(t1, t2, t);
      const double gamma = -std::expm1(-t / t1), one_minus_c = -std::expm1(-t / t2);
      const double a = 1 - one_minus_c * one_minus_c / (2 * one_minus_c - gamma);
      EXPECT_NEAR(k.identity_weight(), a, 1e-12) << t2 << " " << t;
      ASSERT_EQ(k.remainder().size(), 2u);
      ASSERT_EQ(k.remainder_effects().size(), 2u);
      // a I + (1 - a) sum_k L_k^+ L_k = I, and a rho + (1 - a) sum L rho L^+ is the channel.
      Matrix2 sum{};
      for (const Matrix2& e : k.remainder_effects())
        for (int i = 0; i < 4; ++i) sum.m[i] += e.m[i];
      for (int i = 0; i < 4; ++i) EXPECT_NEAR(std::abs(sum.m[i] - gates::identity2().m[i]), 0.0, 1e-12);
      DensityMatrix d(1), split(1);
      d.apply(0, gates::rot(0.3, 1.2, 0.5));
      split = d;
      d.apply(0, k);
      DensityMatrix rest = split;
      rest.apply(0, KrausChannel(k.remainder()));
      for (int r = 0; r < 2; ++r)
        for (int col = 0; col < 2; ++col)
          EXPECT_LT(std::abs(d.element(r, col) - (k.identity_weight() * split.element(r, col) +
                                                  (1 - k.identity_weight()) * rest.element(r, col))),
                    1e-14);
    }
  // T2 = T1: the remainder is a reset to |0>; T2 = 2 T1 (pure amplitude damping): no identity.
  const KrausChannel reset = thermal_relaxation_channel(t1, t1, 1e-6);
  EXPECT_LT(std::abs(reset.remainder()[0].m[3]), 1e-12);
  EXPECT_NEAR(std::abs(reset.remainder()[1].m[1]), 1.0, 1e-12);
  EXPECT_NEAR(thermal_relaxation_channel(t1, 2 * t1, 1e-6).identity_weight(), 0.0, 1e-9);
  EXPECT_EQ(depolarizing_channel(0.1).identity_weight(), 0.0);  // mixed unitary instead
}

TEST(NoiseChannel, KrausOperatorsMustPreserveTheTrace) {
  EXPECT_THROW(KrausChannel({Matrix2{{1.0, 0.0, 0.0, 0.5}}}), core::InputError);
  EXPECT_THROW(KrausChannel({}), core::InputError);
  EXPECT_NO_THROW(KrausChannel({gates::hadamard()}));
}

// Process fidelity of a channel given by Kraus matrices on d dimensions: sum |tr K|^2 / d^2.
double dense_process_fidelity(const std::vector<Dense>& kraus) {
  double f = 0.0;
  for (const Dense& k : kraus) {
    Complex tr = 0.0;
    for (int i = 0; i < k.dim; ++i) tr += k(i, i);
    f += std::norm(tr);
  }
  return f / (kraus[0].dim * kraus[0].dim);
}

Dense dense_of(const Matrix2& u) { return Dense{2, {u.m.begin(), u.m.end()}}; }

TEST(NoiseChannel, DepolarizingParameterReproducesTheGateError) {
  // Without relaxation: p = 2e (one qubit) and 4e/3 (two).
  EXPECT_DOUBLE_EQ(depolarizing_parameter(3e-4, 1), 6e-4);
  EXPECT_DOUBLE_EQ(depolarizing_parameter(1.2e-2, 2), 1.6e-2);
  const double t1 = 70e-6, t2 = 90e-6;
  const Dense paulis[] = {testing::pauli::i(), testing::pauli::x(), testing::pauli::y(),
                          testing::pauli::z()};
  for (double e : {3e-4, 2e-3, 1e-2}) {
    // One qubit, 35.6 ns gate: depolarising, then relaxation; its 1 - F_avg must be e.
    const KrausChannel relax = thermal_relaxation_channel(t1, t2, 35.6e-9);
    const double p1 = depolarizing_parameter(e, 1, average_gate_fidelity(process_fidelity(relax), 1));
    const KrausChannel depolarizing = depolarizing_channel(p1);
    std::vector<Dense> composed;
    for (const Matrix2& r : relax.operators())
      for (const Matrix2& k : depolarizing.operators())
        composed.push_back(dense_of(r) * dense_of(k));
    EXPECT_NEAR(1 - average_gate_fidelity(dense_process_fidelity(composed), 1), e, 1e-15) << e;
  }
  for (double e : {8e-3, 2e-2, 5e-2}) {
    // Two qubits, 380 ns cx (relaxation alone: 5.5e-3): two-qubit depolarising, then
    // relaxation on both.
    const KrausChannel relax2 = thermal_relaxation_channel(t1, t2, 380e-9);
    const double f_relax = average_gate_fidelity(process_fidelity(relax2) * process_fidelity(relax2), 2);
    const double p2 = depolarizing_parameter(e, 2, f_relax);
    std::vector<Dense> composed2;
    for (const Matrix2& ra : relax2.operators())
      for (const Matrix2& rb : relax2.operators())
        for (int k = 0; k < 16; ++k) {
          const double w = k == 0 ? 1 - 15 * p2 / 16 : p2 / 16;
          composed2.push_back(std::sqrt(w) * (testing::kron(dense_of(ra), dense_of(rb)) *
                                              testing::kron(paulis[k >> 2], paulis[k & 3])));
        }
    EXPECT_NEAR(1 - average_gate_fidelity(dense_process_fidelity(composed2), 2), e, 1e-15) << e;
  }
  // An error below what relaxation alone causes needs no depolarising.
  EXPECT_EQ(depolarizing_parameter(1e-9, 1, 1 - 1e-6), 0.0);
  // An error beyond a random gate's is clamped to the completely depolarising channel.
  EXPECT_DOUBLE_EQ(depolarizing_parameter(0.9, 1), 4.0 / 3.0);
}

TEST(NoiseChannel, ReadoutConfusionIsTheKroneckerProductOfAssignmentMatrices) {
  const std::vector<ReadoutError> errors{{0.01, 0.03}, {0.2, 0.05}, {0.0, 0.5}};
  std::vector<double> p(8);
  double sum = 0;
  for (std::size_t i = 0; i < p.size(); ++i) sum += p[i] = 1.0 + i * i;
  for (double& x : p) x /= sum;
  Dense a = testing::identity(1);
  for (const ReadoutError& e : errors)  // A(m, t) = P(read m | prepared t); qubit 0 leftmost
    a = testing::kron(a, Dense{2, {1 - e.p1_given_0, e.p0_given_1, e.p1_given_0, 1 - e.p0_given_1}});
  std::vector<double> expected(8, 0.0);
  for (int m = 0; m < 8; ++m)
    for (int t = 0; t < 8; ++t) expected[m] += a(m, t).real() * p[t];
  apply_readout_errors(p, errors);
  EXPECT_LT(testing::max_difference(p, expected), 1e-16);

  std::vector<double> zero{1.0, 0.0};  // |0> on one qubit is read as 1 with P(1|0)
  apply_readout_errors(zero, std::vector<ReadoutError>{{0.0058, 0.0214}});
  EXPECT_DOUBLE_EQ(zero[1], 0.0058);
  EXPECT_THROW(apply_readout_errors(zero, errors), core::InputError);
  EXPECT_THROW(apply_readout_errors(zero, std::vector<ReadoutError>{{1.5, 0.0}}), core::InputError);
}

TEST(NoiseChannel, OverRotationComposesWithTheIdealPulse) {
  for (double eps : {-0.02, 0.0, 0.05}) {
    const Matrix2 actual = x_over_rotation(M_PI / 2, eps) * gates::rx(M_PI / 2);
    const Matrix2 expected = gates::rx(M_PI / 2 * (1 + eps));
    for (int k = 0; k < 4; ++k) EXPECT_LT(std::abs(actual.m[k] - expected.m[k]), 1e-15);
  }
}

}  // namespace
}  // namespace qgen::sim
