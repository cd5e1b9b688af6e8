// Each kernel, on every qubit (pair) of states from 1 to 7 qubits -- which covers states smaller
// than a lane block, targets inside a block and targets across blocks -- against the dense
// reference applied to the same random state.
#include <gtest/gtest.h>

#include <vector>

#include "../support/dense_reference.hpp"
#include "qgen/sim/kernels.hpp"

namespace qgen::sim {
namespace {

using testing::Dense;

StateVector load_state(const std::vector<Complex>& amplitudes, int num_qubits) {
  StateVector s(num_qubits);
  for (std::size_t i = 0; i < amplitudes.size(); ++i) s.set_amplitude(i, amplitudes[i]);
  return s;
}

std::vector<Complex> amplitudes(const StateVector& s) {
  std::vector<Complex> a(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) a[i] = s.amplitude(i);
  return a;
}

void expect_probabilities_match(const std::vector<double>& p, const StateVector& s) {
  for (std::size_t i = 0; i < s.size(); ++i)
    ASSERT_NEAR(p[i], std::norm(s.amplitude(i)), 1e-15) << "index " << i;
}

class KernelOnQubits : public ::testing::TestWithParam<int> {};
class TwoQubitKernel : public ::testing::TestWithParam<int> {};

TEST_P(KernelOnQubits, DenseOneQubitGate) {
  const int n = GetParam();
  for (int q = 0; q < n; ++q) {
    const Dense u = testing::random_unitary(2, 100 + q);
    Matrix2 m;
    std::copy(u.a.begin(), u.a.end(), m.m.begin());
    const auto psi = testing::random_state(n, 7 * n + q);
    StateVector s = load_state(psi, n);
    std::vector<double> p(s.size());
    apply_matrix(s, q, m, p.data());
    const std::vector<int> target{q};
    EXPECT_LT(testing::max_difference(amplitudes(s), testing::embed(n, target, u) * psi), 1e-13)
        << "qubit " << q << " of " << n;
    expect_probabilities_match(p, s);
  }
}

TEST_P(TwoQubitKernel, DenseGateOnEveryOrderedPair) {
  const int n = GetParam();
  for (int a = 0; a < n; ++a)
    for (int b = 0; b < n; ++b) {
      if (a == b) continue;
      const Dense u = testing::random_unitary(4, 1000 + 16 * a + b);
      Matrix4 m;
      std::copy(u.a.begin(), u.a.end(), m.m.begin());
      const auto psi = testing::random_state(n, 31 * a + b);
      StateVector s = load_state(psi, n);
      std::vector<double> p(s.size());
      apply_matrix(s, a, b, m, p.data());
      const std::vector<int> targets{a, b};
      EXPECT_LT(testing::max_difference(amplitudes(s), testing::embed(n, targets, u) * psi),
                1e-13)
          << "qubits " << a << "," << b << " of " << n;
      expect_probabilities_match(p, s);
    }
}

TEST_P(KernelOnQubits, DiagonalGates) {
  const int n = GetParam();
  const std::array<Complex, 4> d{std::polar(1.0, 0.3), std::polar(1.0, -1.2),
                                 std::polar(1.0, 2.0), std::polar(1.0, 0.9)};
  for (int a = 0; a < n; ++a) {
    const auto psi = testing::random_state(n, 5 * a);
    StateVector s = load_state(psi, n);
    std::vector<double> p(s.size());
    apply_diagonal(s, a, {d[0], d[1]}, p.data());
    const std::vector<int> target{a};
    EXPECT_LT(testing::max_difference(amplitudes(s),
                                      testing::embed(n, target, Dense{2, {d[0], 0, 0, d[1]}}) * psi),
              1e-14);
    expect_probabilities_match(p, s);
    for (int b = 0; b < n; ++b) {
      if (a == b) continue;
      StateVector s2 = load_state(psi, n);
      apply_diagonal(s2, a, b, d, p.data());
      expect_probabilities_match(p, s2);
      Dense m = testing::zeros(4);
      for (int k = 0; k < 4; ++k) m(k, k) = d[k];
      const std::vector<int> targets{a, b};
      EXPECT_LT(testing::max_difference(amplitudes(s2), testing::embed(n, targets, m) * psi),
                1e-14);
    }
  }
}

TEST_P(TwoQubitKernel, CnotOnEveryOrderedPair) {
  const int n = GetParam();
  for (int control = 0; control < n; ++control)
    for (int target = 0; target < n; ++target) {
      if (control == target) continue;
      const auto psi = testing::random_state(n, 11 * control + target);
      StateVector s = load_state(psi, n);
      std::vector<double> p(s.size());
      apply_cnot(s, control, target, p.data());
      const sim::Operation op{GateKind::CNOT, {control, target}};
      EXPECT_LT(testing::max_difference(amplitudes(s),
                                        testing::operation_matrix(n, op, {}) * psi),
                1e-15)
          << "control " << control << " target " << target << " of " << n;
      expect_probabilities_match(p, s);
    }
}

INSTANTIATE_TEST_SUITE_P(StateSizes, KernelOnQubits, ::testing::Range(1, 8));
INSTANTIATE_TEST_SUITE_P(StateSizes, TwoQubitKernel, ::testing::Range(2, 8));

TEST(Kernels, RejectBadQubits) {
  StateVector s(3);
  EXPECT_THROW(apply_matrix(s, 3, gates::hadamard()), std::out_of_range);
  EXPECT_THROW(apply_matrix(s, -1, gates::hadamard()), std::out_of_range);
  EXPECT_THROW(apply_cnot(s, 1, 1), std::invalid_argument);
  EXPECT_THROW(apply_matrix(s, 0, 0, gates::cz()), std::invalid_argument);
}

TEST(Kernels, ComputeProbabilities) {
  const auto psi = testing::random_state(5, 3);
  StateVector s = load_state(psi, 5);
  std::vector<double> p(s.size());
  compute_probabilities(s, p);
  expect_probabilities_match(p, s);
  std::vector<double> wrong(3);
  EXPECT_THROW(compute_probabilities(s, wrong), std::invalid_argument);
}

}  // namespace
}  // namespace qgen::sim
