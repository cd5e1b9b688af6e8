// Each kernel, on every qubit (pair) of states from 1 to 7 qubits -- which covers states smaller
// than a lane block, targets inside a block and targets across blocks -- against the dense
// reference applied to the same random state.
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <utility>
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

// Every kernel on a random 9-qubit state, as a function of where it writes.
using Kernel = std::function<void(StateVector&, double*, AmplitudeBlock)>;

std::vector<std::pair<std::string, Kernel>> kernels_on(int a, int b) {
  Matrix2 m2;
  const Dense u2 = testing::random_unitary(2, 7 + a);
  std::copy(u2.a.begin(), u2.a.end(), m2.m.begin());
  Matrix4 m4;
  const Dense u4 = testing::random_unitary(4, 11 + a + 9 * b);
  std::copy(u4.a.begin(), u4.a.end(), m4.m.begin());
  const std::array<Complex, 2> d2{std::polar(1.0, 0.3 + a), std::polar(1.0, -0.7)};
  const std::array<Complex, 4> d4{std::polar(1.0, 0.1), std::polar(1.0, 0.2 * b),
                                  std::polar(1.0, -0.4), std::polar(1.0, 1.3)};
  return {
      {"matrix on " + std::to_string(a),
       [=](StateVector& s, double* p, AmplitudeBlock k) { apply_matrix(s, a, m2, p, k); }},
      {"diagonal on " + std::to_string(a),
       [=](StateVector& s, double* p, AmplitudeBlock k) { apply_diagonal(s, a, d2, p, k); }},
      {"matrix on " + std::to_string(a) + "," + std::to_string(b),
       [=](StateVector& s, double* p, AmplitudeBlock k) { apply_matrix(s, a, b, m4, p, k); }},
      {"diagonal on " + std::to_string(a) + "," + std::to_string(b),
       [=](StateVector& s, double* p, AmplitudeBlock k) { apply_diagonal(s, a, b, d4, p, k); }},
      {"cnot " + std::to_string(a) + "->" + std::to_string(b),
       [=](StateVector& s, double* p, AmplitudeBlock k) { apply_cnot(s, a, b, p, k); }},
  };
}

TEST(KernelBlocks, BlockByBlockEqualsTheWholeStateBitForBit) {
  const int n = 9;
  const auto psi = testing::random_state(n, 21);
  for (int bits : {5, 6, 8}) {
    // The qubits whose bits lie in the block: n - bits and up.
    for (int a = n - bits; a < n; ++a)
      for (int b = n - bits; b < n; ++b) {
        if (a == b) continue;
        for (const auto& [name, kernel] : kernels_on(a, b)) {
          StateVector whole = load_state(psi, n);
          std::vector<double> p_whole(whole.size());
          kernel(whole, p_whole.data(), {});
          StateVector blocked = load_state(psi, n);
          std::vector<double> p_blocked(blocked.size(), -1.0);
          for (std::size_t first = 0; first < blocked.size(); first += std::size_t{1} << bits)
            kernel(blocked, p_blocked.data(), {first, bits});
          for (std::size_t i = 0; i < whole.size(); ++i) {
            ASSERT_EQ(blocked.real()[i], whole.real()[i]) << name << ", blocks of 2^" << bits;
            ASSERT_EQ(blocked.imag()[i], whole.imag()[i]) << name << ", blocks of 2^" << bits;
            ASSERT_EQ(p_blocked[i], p_whole[i]) << name << ", blocks of 2^" << bits;
          }
        }
      }
  }
}

TEST(KernelBlocks, OneBlockLeavesTheRestUntouched) {
  const int n = 8, bits = 6;
  const auto psi = testing::random_state(n, 22);
  const std::size_t first = 2 << bits, end = first + (1 << bits);
  for (const auto& [name, kernel] : kernels_on(3, 6)) {
    StateVector s = load_state(psi, n);
    std::vector<double> p(s.size(), -1.0);
    kernel(s, p.data(), {first, bits});
    int changed = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
      const bool inside = i >= first && i < end;
      if (!inside) {
        ASSERT_EQ(s.amplitude(i), psi[i]) << name << ": amplitude " << i << " outside the block";
        ASSERT_EQ(p[i], -1.0) << name << ": probability " << i << " outside the block";
      } else {
        ASSERT_NEAR(p[i], std::norm(s.amplitude(i)), 1e-15) << name;
        changed += s.amplitude(i) != psi[i];
      }
    }
    EXPECT_GT(changed, 0) << name << " did nothing to its block";
  }
}

TEST(KernelBlocks, RejectTargetsOutsideTheBlockAndBadBlocks) {
  StateVector s(8);
  EXPECT_THROW(apply_matrix(s, 1, gates::hadamard(), nullptr, {0, 6}), std::invalid_argument);
  EXPECT_THROW(apply_cnot(s, 7, 0, nullptr, {0, 6}), std::invalid_argument);
  EXPECT_THROW(apply_matrix(s, 7, gates::hadamard(), nullptr, {32, 6}), std::invalid_argument);
  EXPECT_THROW(apply_matrix(s, 7, gates::hadamard(), nullptr, {0, 4}), std::invalid_argument);
  EXPECT_THROW(apply_matrix(s, 7, gates::hadamard(), nullptr, {0, 9}), std::invalid_argument);
  EXPECT_THROW(apply_matrix(s, 7, gates::hadamard(), nullptr, {256, 6}), std::invalid_argument);
  EXPECT_NO_THROW(apply_matrix(s, 7, gates::hadamard(), nullptr, {192, 6}));
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
