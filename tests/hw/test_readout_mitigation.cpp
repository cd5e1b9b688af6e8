// Readout-error mitigation against independent references: the per-qubit passes against the
// dense Kronecker product (built here from the 2x2 matrices written out); exact recovery of a
// random distribution pushed through A; the TAO non-negative least-squares solution against a
// brute-force dense NNLS (every active set, the one that satisfies the KKT conditions) and
// against projected gradient descent on the dense A for sampled counts (Q = 6..8); the
// measured calibration from hand-counted and sampled calibration counts; the device calibration
// of a hand-made and of a routed layout; and the noisy emulator with readout noise only, whose
// readout the mitigation undoes exactly (exact probabilities) or in part (shots).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>

#include "../support/dense_reference.hpp"
#include "../support/expect_error.hpp"
#include "../support/temp_dir.hpp"
#include "shipped_devices.hpp"
#include "qgen/circuits/ansatz.hpp"
#include "qgen/core/errors.hpp"
#include "qgen/core/random_stream.hpp"
#include "qgen/hw/noisy_emulator.hpp"
#include "qgen/hw/readout_mitigation.hpp"
#include "qgen/sim/sampling.hpp"
#include "qgen/sim/simulator.hpp"
#include "qgen/train/loss.hpp"

namespace qgen::hw {
namespace {

using testing::guadalupe;

using testing::expect_error;


/// p10, p01 of each qubit uniform in [0.005, 0.1].
ReadoutCalibration random_calibration(int q, std::uint64_t seed) {
  core::RandomStream s(seed, 11);
  std::vector<sim::ReadoutError> e(q);
  for (auto& x : e) x = {0.005 + 0.095 * s.next_uniform(), 0.005 + 0.095 * s.next_uniform()};
  return ReadoutCalibration(e);
}

/// A random distribution over 2^q outcomes; about a quarter of its entries 0 when `with_zeros`.
std::vector<double> random_distribution(int q, std::uint64_t seed, bool with_zeros) {
  core::RandomStream s(seed, 12);
  std::vector<double> p(std::size_t{1} << q);
  for (double& x : p) {
    x = -std::log(1.0 - s.next_uniform());  // exponential: a Dirichlet(1, ..., 1) draw
    if (with_zeros && s.next_uniform() < 0.25) x = 0.0;
  }
  if (std::accumulate(p.begin(), p.end(), 0.0) == 0.0) p[0] = 1.0;
  const double sum = std::accumulate(p.begin(), p.end(), 0.0);
  for (double& x : p) x /= sum;
  return p;
}

// ---- dense reference: row-major n x n real matrices -------------------------------------------

struct Matrix {
  int n = 0;
  std::vector<double> a;
  double operator()(int i, int j) const { return a[static_cast<std::size_t>(i) * n + j]; }
};

Matrix kron(const Matrix& x, const Matrix& y) {
  Matrix z{x.n * y.n, std::vector<double>(static_cast<std::size_t>(x.n * y.n) * x.n * y.n)};
  for (int i = 0; i < x.n; ++i)
    for (int j = 0; j < x.n; ++j)
      for (int k = 0; k < y.n; ++k)
        for (int l = 0; l < y.n; ++l) z.a[static_cast<std::size_t>(i * y.n + k) * z.n + j * y.n + l] = x(i, j) * y(k, l);
  return z;
}

/// A = A_0 (x) A_1 (x) ... with A_k = [[1 - p10, p01], [p10, 1 - p01]] (qubit 0 leftmost).
Matrix dense_assignment(const ReadoutCalibration& c) {
  Matrix a{1, {1.0}};
  for (int k = 0; k < c.num_qubits(); ++k) {
    const double p10 = c.qubit(k).p1_given_0, p01 = c.qubit(k).p0_given_1;
    a = kron(a, Matrix{2, {1 - p10, p01, p10, 1 - p01}});
  }
  return a;
}

std::vector<double> multiply(const Matrix& m, const std::vector<double>& v, bool transpose = false) {
  std::vector<double> r(m.n, 0.0);
  for (int i = 0; i < m.n; ++i)
    for (int j = 0; j < m.n; ++j) r[i] += (transpose ? m(j, i) : m(i, j)) * v[j];
  return r;
}

/// Solves the symmetric positive definite system m x = b by Gaussian elimination.
std::vector<double> solve(std::vector<std::vector<double>> m, std::vector<double> b) {
  const std::size_t n = b.size();
  for (std::size_t c = 0; c < n; ++c) {
    std::size_t pivot = c;
    for (std::size_t r = c + 1; r < n; ++r)
      if (std::abs(m[r][c]) > std::abs(m[pivot][c])) pivot = r;
    std::swap(m[c], m[pivot]);
    std::swap(b[c], b[pivot]);
    for (std::size_t r = c + 1; r < n; ++r) {
      const double factor = m[r][c] / m[c][c];
      for (std::size_t k = c; k < n; ++k) m[r][k] -= factor * m[c][k];
      b[r] -= factor * b[c];
    }
  }
  std::vector<double> x(n);
  for (std::size_t c = n; c-- > 0;) {
    double s = b[c];
    for (std::size_t k = c + 1; k < n; ++k) s -= m[c][k] * x[k];
    x[c] = s / m[c][c];
  }
  return x;
}

/// argmin_{p >= 0} ||A p - f||^2 by brute force: for every set F of free variables, the
/// least-squares solution on F (normal equations); the one with p_F >= 0 and a non-negative
/// gradient on the others is the KKT point, the unique minimiser (A has full rank).
std::vector<double> brute_force_nnls(const Matrix& a, const std::vector<double>& f) {
  const int n = a.n;
  for (unsigned set = 1; set < (1u << n); ++set) {
    std::vector<int> free;
    for (int j = 0; j < n; ++j)
      if (set >> j & 1) free.push_back(j);
    const std::size_t m = free.size();
    std::vector<std::vector<double>> normal(m, std::vector<double>(m, 0.0));
    std::vector<double> rhs(m, 0.0);
    for (std::size_t r = 0; r < m; ++r) {
      for (int i = 0; i < n; ++i) rhs[r] += a(i, free[r]) * f[i];
      for (std::size_t c = 0; c < m; ++c)
        for (int i = 0; i < n; ++i) normal[r][c] += a(i, free[r]) * a(i, free[c]);
    }
    const std::vector<double> xf = solve(normal, rhs);
    if (std::any_of(xf.begin(), xf.end(), [](double x) { return x < -1e-14; })) continue;
    std::vector<double> p(n, 0.0);
    for (std::size_t r = 0; r < m; ++r) p[free[r]] = std::max(xf[r], 0.0);
    std::vector<double> residual = multiply(a, p);
    for (int i = 0; i < n; ++i) residual[i] -= f[i];
    const std::vector<double> gradient = multiply(a, residual, true);
    bool kkt = true;
    for (int j = 0; j < n; ++j)
      if (!(set >> j & 1) && gradient[j] < -1e-13) kkt = false;
    if (kkt) return p;
  }
  ADD_FAILURE() << "brute-force NNLS found no KKT point";
  return {};
}

double sum_of(std::span<const double> v) { return std::accumulate(v.begin(), v.end(), 0.0); }

// ---- the per-qubit passes ---------------------------------------------------------------------

TEST(ReadoutMitigation, PerQubitPassesEqualTheDenseKroneckerProduct) {
  const ReadoutCalibration c = random_calibration(3, 1);
  const Matrix a = dense_assignment(c);
  for (std::uint64_t seed = 1; seed <= 3; ++seed) {
    core::RandomStream s(seed, 13);
    std::vector<double> v(8);
    for (double& x : v) x = 2 * s.next_uniform() - 1;
    std::vector<double> av = v, atv = v, inv = v;
    c.apply(av);
    c.apply_transpose(atv);
    c.apply_inverse(inv);
    EXPECT_LT(testing::max_difference(av, multiply(a, v)), 1e-15);
    EXPECT_LT(testing::max_difference(atv, multiply(a, v, true)), 1e-15);
    EXPECT_LT(testing::max_difference(multiply(a, inv), v), 1e-14);  // A (A^-1 v) = v
  }
  // Column-stochastic: every column of the dense A sums to 1.
  for (int j = 0; j < a.n; ++j) {
    double column = 0.0;
    for (int i = 0; i < a.n; ++i) column += a(i, j);
    EXPECT_NEAR(column, 1.0, 1e-15);
  }
  // The emulator applies the same A (sim::apply_readout_errors).
  std::vector<double> p = random_distribution(3, 4, false), q = p;
  c.apply(p);
  sim::apply_readout_errors(q, c.per_qubit());
  EXPECT_LT(testing::max_difference(p, q), 1e-16);
}

// ---- the solve --------------------------------------------------------------------------------

TEST(ReadoutMitigation, RecoversAnExactDistribution) {
  for (int q = 1; q <= 8; ++q)
    for (bool with_zeros : {false, true}) {
      const ReadoutCalibration c = random_calibration(q, 20 + q);
      const std::vector<double> p_true = random_distribution(q, 30 + q, with_zeros);
      std::vector<double> f = p_true;
      c.apply(f);
      EXPECT_LT(testing::max_difference(inverse_estimate(c, f), p_true), 1e-13) << q;
      for (const char* type : {"bqnls", "blmvm", "bnls", "bntr"})
        for (bool from_inverse : {true, false}) {
          MitigationOptions o;
          o.tao_type = type;
          o.start_from_inverse = from_inverse;
          const MitigationResult r = solve_mitigation(c, f, o);
          EXPECT_TRUE(r.converged) << r.tao_reason;
          EXPECT_LT(testing::max_difference(r.probabilities, p_true), 1e-10)
              << "Q=" << q << " " << type << (from_inverse ? " from the inverse" : " from uniform")
              << ", " << r.iterations << " iterations, " << r.tao_reason;
          EXPECT_LT(r.residual, 1e-12);
        }
    }
}

TEST(ReadoutMitigation, MatchesBruteForceNonNegativeLeastSquares) {
  int cases = 0, clipped_differs = 0;
  for (int q = 2; q <= 3; ++q)
    for (std::uint64_t seed = 1; seed <= 6; ++seed) {
      const ReadoutCalibration c = random_calibration(q, 40 + seed);
      // A measured distribution with empty outcomes: its inverse goes negative there.
      const std::vector<double> f = random_distribution(q, 50 + seed + 10 * q, true);
      const std::vector<double> inverse = inverse_estimate(c, f);
      if (*std::min_element(inverse.begin(), inverse.end()) >= 0) continue;
      ++cases;
      std::vector<double> expected = brute_force_nnls(dense_assignment(c), f);
      ASSERT_FALSE(expected.empty());
      const double sum = sum_of(expected);
      for (double& x : expected) x /= sum;
      for (const char* type : {"bqnls", "blmvm", "bnls", "bntr"}) {
        MitigationOptions o;
        o.tao_type = type;
        const MitigationResult r = solve_mitigation(c, f, o);
        EXPECT_LT(testing::max_difference(r.probabilities, expected), 1e-9)
            << "Q=" << q << " seed " << seed << " " << type << ": " << r.tao_reason;
        EXPECT_GE(*std::min_element(r.probabilities.begin(), r.probabilities.end()), 0.0);
        EXPECT_NEAR(sum_of(r.probabilities), 1.0, 1e-14);
      }
      // The clipped inverse is in general a different (not least-squares) estimate.
      if (testing::max_difference(clipped_inverse_estimate(c, f), expected) > 1e-6) ++clipped_differs;
    }
  EXPECT_GE(cases, 6);  // the test must exercise active bounds
  EXPECT_GE(clipped_differs, cases / 2);
}

/// argmin_{p >= 0} ||A p - f||^2 by projected gradient descent on the dense A, step 1/L with
/// L = 2 |A|_1 |A|_inf >= 2 sigma_max^2, for `steps` steps (linear convergence: A is well
/// conditioned).
std::vector<double> projected_gradient_nnls(const Matrix& a, const std::vector<double>& f, int steps) {
  double norm1 = 0.0, norm_inf = 0.0;
  for (int i = 0; i < a.n; ++i) {
    double row = 0.0, column = 0.0;
    for (int j = 0; j < a.n; ++j) {
      row += std::abs(a(i, j));
      column += std::abs(a(j, i));
    }
    norm_inf = std::max(norm_inf, row);
    norm1 = std::max(norm1, column);
  }
  const double step = 1.0 / (2 * norm1 * norm_inf);
  std::vector<double> p(a.n, 1.0 / a.n);
  for (int s = 0; s < steps; ++s) {
    std::vector<double> r = multiply(a, p);
    for (int i = 0; i < a.n; ++i) r[i] -= f[i];
    const std::vector<double> g = multiply(a, r, true);
    for (int j = 0; j < a.n; ++j) p[j] = std::max(0.0, p[j] - step * 2 * g[j]);
  }
  return p;
}

TEST(ReadoutMitigation, MatchesDenseProjectedGradientOnSampledCounts) {
  // Sparse distributions with shot noise: many bounds active, a residual ~ 1/sqrt(shots) left,
  // so the line search reaches the rounding of F before gradient_tolerance (see the header).
  for (int q = 6; q <= 8; ++q) {
    const ReadoutCalibration c = random_calibration(q, 60 + q);
    std::vector<double> p_true = random_distribution(q, 70 + q, false);
    for (double& x : p_true) x = std::pow(x, 4);  // peaked
    const double total = sum_of(p_true);
    for (double& x : p_true) x /= total;
    c.apply(p_true);
    core::RandomStream stream(80 + q, 0);
    const std::uint64_t shots = 20000;
    const std::vector<std::uint64_t> counts = sim::sample_counts(p_true, shots, stream);
    std::vector<double> f(counts.begin(), counts.end());
    for (double& x : f) x /= static_cast<double>(shots);
    std::vector<double> expected = projected_gradient_nnls(dense_assignment(c), f, 1500);
    const double sum = sum_of(expected);
    for (double& x : expected) x /= sum;
    const std::vector<double> inverse = inverse_estimate(c, f);
    ASSERT_LT(*std::min_element(inverse.begin(), inverse.end()), 0.0);
    for (const char* type : {"blmvm", "bqnls", "bnls", "bntr"}) {
      MitigationOptions o;
      o.tao_type = type;
      const MitigationResult r = solve_mitigation(c, f, o);
      std::printf("Q=%d %s: %s after %d iterations, projected gradient %.1e\n", q, type,
                  r.tao_reason.c_str(), r.iterations, r.gradient_norm);
      EXPECT_TRUE(r.converged) << r.tao_reason;
      EXPECT_LT(testing::max_difference(r.probabilities, expected), 1e-7)
          << "Q=" << q << " " << type << ": " << r.iterations << " iterations, " << r.tao_reason
          << ", projected gradient " << r.gradient_norm;
    }
  }
}

TEST(ReadoutMitigation, CountsGiveANonNegativeNormalisedDistribution) {
  const ReadoutCalibration c = random_calibration(6, 3);
  std::vector<double> p_true = random_distribution(6, 4, true);
  c.apply(p_true);
  core::RandomStream stream(5, 0);
  const std::vector<std::uint64_t> counts = sim::sample_counts(p_true, 500, stream);
  std::vector<double> f(counts.begin(), counts.end());
  for (double& x : f) x /= 500;
  const std::vector<double> inverse = inverse_estimate(c, f);
  ASSERT_LT(*std::min_element(inverse.begin(), inverse.end()), 0.0);
  const std::vector<double> p = mitigate(c, counts);
  ASSERT_EQ(p.size(), 64u);
  EXPECT_GE(*std::min_element(p.begin(), p.end()), 0.0);
  EXPECT_NEAR(sum_of(p), 1.0, 1e-14);
  EXPECT_EQ(p, mitigate_distribution(c, f));
}

// ---- calibrations -----------------------------------------------------------------------------

TEST(ReadoutMitigation, CalibrationCountsGiveTheMarginalFlipRates) {
  // Q = 2 by hand: outcome index = 2 b0 + b1 (qubit 0 the most significant bit).
  const std::vector<std::uint64_t> all0{90, 6, 3, 1}, all1{2, 5, 10, 183};
  const ReadoutCalibration c = from_calibration_counts(all0, all1);
  ASSERT_EQ(c.num_qubits(), 2);
  EXPECT_DOUBLE_EQ(c.qubit(0).p1_given_0, 4.0 / 100);   // outcomes 10, 11
  EXPECT_DOUBLE_EQ(c.qubit(1).p1_given_0, 7.0 / 100);   // outcomes 01, 11
  EXPECT_DOUBLE_EQ(c.qubit(0).p0_given_1, 7.0 / 200);   // outcomes 00, 01
  EXPECT_DOUBLE_EQ(c.qubit(1).p0_given_1, 12.0 / 200);  // outcomes 00, 10

  // Sampled: the tensored model's |0...0> and |1...1> columns, 10^6 shots each.
  const ReadoutCalibration truth = random_calibration(5, 8);
  std::vector<double> col0(32, 0.0), col1(32, 0.0);
  col0[0] = 1;
  col1[31] = 1;
  truth.apply(col0);
  truth.apply(col1);
  core::RandomStream s0(9, 0), s1(9, 1);
  const std::uint64_t shots = 1'000'000;
  const ReadoutCalibration m =
      from_calibration_counts(sim::sample_counts(col0, shots, s0), sim::sample_counts(col1, shots, s1));
  for (int k = 0; k < 5; ++k)
    for (auto rate : {&sim::ReadoutError::p1_given_0, &sim::ReadoutError::p0_given_1}) {
      const double p = truth.qubit(k).*rate;
      EXPECT_NEAR(m.qubit(k).*rate, p, 5 * std::sqrt(p * (1 - p) / shots)) << "qubit " << k;
    }
}

TEST(ReadoutMitigation, DeviceCalibrationFollowsTheLayout) {
  // Hand-made layout: circuit qubit k is measured on compact qubit final[k].
  Layout layout;
  layout.physical = {5, 3, 8, 11};
  layout.final = {2, 0, 3};
  const ReadoutCalibration c = from_device(guadalupe(), layout);
  ASSERT_EQ(c.num_qubits(), 3);
  const int expected_device[] = {8, 5, 11};
  for (int k = 0; k < 3; ++k) {
    EXPECT_EQ(c.qubit(k).p1_given_0, guadalupe().qubit(expected_device[k]).prob_meas1_prep0);
    EXPECT_EQ(c.qubit(k).p0_given_1, guadalupe().qubit(expected_device[k]).prob_meas0_prep1);
  }
  // The qubits of guadalupe differ, so a wrong choice would show.
  EXPECT_NE(c.qubit(0).p1_given_0, c.qubit(1).p1_given_0);
}

/// A 5-star: routed on heavy-hex guadalupe (SWAPs, the readout permuted).
sim::Circuit star() {
  sim::Circuit c(5);
  for (int q = 0; q < 5; ++q) c.rot(q, sim::Angle::of(3 * q), sim::Angle::of(3 * q + 1), sim::Angle::of(3 * q + 2));
  for (int leaf = 1; leaf < 5; ++leaf) c.cnot(0, leaf);
  return c;
}

EmulatorOptions readout_only() {
  EmulatorOptions o;
  o.noise.gate_errors = o.noise.relaxation = false;
  o.noise.readout = true;
  return o;
}

TEST(ReadoutMitigation, UndoesTheEmulatorsReadoutExactly) {
  const sim::Circuit a1 = circuits::build_qcbm_circuit({1, 4, 2, 0, circuits::InitialState::zero});
  const sim::Circuit s = star();
  for (const sim::Circuit* circuit : {&a1, &s}) {
    const NoisyEmulator e(guadalupe(), *circuit, readout_only());
    if (circuit == &s) {
      bool permuted = false;
      for (int k = 0; k < 5; ++k) permuted = permuted || e.layout().final[k] != k;
      EXPECT_TRUE(permuted && e.layout().swaps > 0) << "the star should be routed";
    }
    const auto theta = testing::random_parameters(circuit->num_parameters(), 6);
    const std::vector<double> ideal = sim::Simulator(*circuit).probabilities(theta);
    const std::vector<double> measured = e.probabilities(theta);
    ASSERT_GT(testing::max_difference(ideal, measured), 1e-3);
    const ReadoutCalibration c = from_device(guadalupe(), e.layout());
    std::vector<double> forward = ideal;
    c.apply(forward);
    EXPECT_LT(testing::max_difference(forward, measured), 1e-14);
    EXPECT_LT(testing::max_difference(mitigate_distribution(c, measured), ideal), 1e-9)
        << circuit->num_qubits() << " qubits";
  }
}

TEST(ReadoutMitigation, LowersTheJensenShannonDistanceOfCounts) {
  const sim::Circuit s = star();
  const NoisyEmulator e(guadalupe(), s, readout_only());
  const auto theta = testing::random_parameters(s.num_parameters(), 7);
  const std::vector<double> ideal = sim::Simulator(s).probabilities(theta);
  const ReadoutCalibration c = from_device(guadalupe(), e.layout());
  core::RandomStream stream(3, 0);
  const std::uint64_t shots = 20000;
  const std::vector<std::uint64_t> counts = e.counts(theta, shots, stream);
  std::vector<double> f(counts.begin(), counts.end());
  for (double& x : f) x /= static_cast<double>(shots);
  const double js_noisy = train::jensen_shannon(ideal, f);
  const double js_mitigated = train::jensen_shannon(ideal, mitigate(c, counts));
  std::printf("JS to the noiseless distribution, 20000 shots: noisy %.3e, mitigated %.3e\n", js_noisy, js_mitigated);
  EXPECT_LT(js_mitigated, 0.5 * js_noisy) << "noisy " << js_noisy << ", mitigated " << js_mitigated;
}

// ---- errors -----------------------------------------------------------------------------------

TEST(ReadoutMitigation, RejectsBadInput) {
  const ReadoutCalibration c = random_calibration(3, 1);
  const std::vector<std::uint64_t> seven(7, 1), eight_zero(8, 0), four(4, 1);
  expect_error<core::InputError>([&] { mitigate(c, seven); }, "counts of 7 outcomes");
  expect_error<core::InputError>([&] { mitigate(c, four); }, "calibration of 3 qubits");
  expect_error<core::InputError>([&] { mitigate(c, eight_zero); }, "zero shots");
  const std::vector<double> unnormalised(8, 0.2);
  expect_error<core::InputError>([&] { mitigate_distribution(c, unnormalised); }, "sums to");
  expect_error<core::InputError>([] { ReadoutCalibration(std::vector<sim::ReadoutError>{{0.6, 0.4}}); }, "sum must be < 1");
  expect_error<core::InputError>([] { ReadoutCalibration(std::vector<sim::ReadoutError>{{0.01, 0.02}, {0.7, 0.5}}); }, "qubit 1");
  expect_error<core::InputError>([] { ReadoutCalibration(std::vector<sim::ReadoutError>{{-0.1, 0.02}}); }, "[0, 1]");
  expect_error<core::InputError>([] { ReadoutCalibration(std::vector<sim::ReadoutError>{}); }, "0 qubits");
  expect_error<core::InputError>([&] { from_calibration_counts(seven, seven); }, "power of two");
  expect_error<core::InputError>([&] { from_calibration_counts(four, seven); }, "|1...1> circuit 7");
  expect_error<core::InputError>([&] { from_calibration_counts(eight_zero, seven); }, "outcomes");
  expect_error<core::InputError>([&] { from_calibration_counts(eight_zero, std::vector<std::uint64_t>(8, 1)); },
                                 "zero shots");
  // Calibration counts that read qubit 0 as 1 or 0 at random whatever it holds: singular A_0.
  const std::vector<std::uint64_t> bad0{50, 0, 50, 0}, half1{0, 50, 0, 50};
  expect_error<core::DataError>([&] { from_calibration_counts(bad0, half1); }, "qubit 0");
  Layout too_far;
  too_far.physical = {0, 1};
  too_far.final = {0, 2};
  expect_error<core::InputError>([&] { from_device(guadalupe(), too_far); }, "compact qubit 2");
  MitigationOptions o;
  o.tao_type = "no_such_solver";
  const std::vector<double> uniform(8, 0.125);
  EXPECT_THROW(solve_mitigation(c, uniform, o), core::InputError);
}

}  // namespace
}  // namespace qgen::hw
