// Adjoint differentiation against exact parameter shift and finite differences; the reduced
// overlap kernel against a direct sum; the fused backward steps (with R and with Pauli
// overlaps) against dense products; the factored and blocked sweeps against parameter shift.
#include <gtest/gtest.h>

#include <random>

#include "../support/dense_reference.hpp"
#include "../support/finite_difference.hpp"
#include "../support/random_circuit.hpp"
#include "qgen/circuits/ansatz.hpp"
#include "qgen/sim/adjoint.hpp"
#include "qgen/sim/adjoint_step.hpp"
#include "qgen/sim/kernels.hpp"
#include "qgen/sim/parameter_shift.hpp"
#include "qgen/sim/simulator.hpp"

namespace qgen::sim {
namespace {

StateVector load_state(const std::vector<Complex>& a, int n) {
  StateVector s(n);
  for (std::size_t i = 0; i < a.size(); ++i) s.set_amplitude(i, a[i]);
  return s;
}

TEST(ReducedOverlap, MatchesDirectSumOnEveryQubitAndPair) {
  for (int n = 1; n <= 7; ++n) {
    const auto bra = testing::random_state(n, 10 + n), ket = testing::random_state(n, 20 + n);
    const StateVector b = load_state(bra, n), k = load_state(ket, n);
    for (int qa = 0; qa < n; ++qa) {
      // Direct: R(a, c) = sum over indices i with bit(qa) = a of conj(bra[i]) ket[i with bit c].
      const int bit = n - 1 - qa;
      Matrix2 expected;
      for (std::size_t i = 0; i < bra.size(); ++i) {
        const int a = (i >> bit) & 1;
        for (int c = 0; c < 2; ++c) {
          const std::size_t j = (i & ~(std::size_t{1} << bit)) | (std::size_t(c) << bit);
          expected(a, c) += std::conj(bra[i]) * ket[j];
        }
      }
      const Matrix2 got = reduced_overlap(b, k, qa);
      for (int e = 0; e < 4; ++e) EXPECT_LT(std::abs(got.m[e] - expected.m[e]), 1e-13) << n << " " << qa;
      for (int qb = 0; qb < n; ++qb) {
        if (qb == qa) continue;
        // Check through the identity <bra| G |ket> = sum G(a,b) R(a,b) with a random G.
        const auto g = testing::random_unitary(4, 100 * qa + qb);
        const std::vector<int> targets{qa, qb};
        const auto gket = testing::embed(n, targets, g) * ket;
        Complex direct = 0.0;
        for (std::size_t i = 0; i < bra.size(); ++i) direct += std::conj(bra[i]) * gket[i];
        const Matrix4 r = reduced_overlap(b, k, qa, qb);
        Complex via = 0.0;
        for (int x = 0; x < 4; ++x)
          for (int y = 0; y < 4; ++y) via += g(x, y) * r(x, y);
        EXPECT_LT(std::abs(via - direct), 1e-13) << n << " " << qa << " " << qb;
      }
    }
  }
}

std::vector<Complex> amplitudes(const StateVector& s) {
  std::vector<Complex> a(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) a[i] = s.amplitude(i);
  return a;
}

testing::Dense conjugate_transpose(const testing::Dense& m) {
  testing::Dense t = testing::zeros(m.dim);
  for (int r = 0; r < m.dim; ++r)
    for (int c = 0; c < m.dim; ++c) t(r, c) = std::conj(m(c, r));
  return t;
}

TEST(AdjointStep, EqualsDenseProductsOnEveryQubitAndPair) {
  // bra' = U^+ bra, ket' = U^+ ket (recovering) or ket (kept), and R checked through
  // <bra|G|ket'> = sum G(a,b) R(a,b) with a random G: 1 to 7 qubits cover states below a lane
  // block and targets inside and across blocks.
  for (int n = 1; n <= 7; ++n)
    for (bool recover : {false, true})
      for (int qa = 0; qa < n; ++qa)
        for (int qb = -1; qb < n; ++qb) {
          if (qb == qa) continue;
          const bool two = qb >= 0;
          const std::vector<int> targets = two ? std::vector<int>{qa, qb} : std::vector<int>{qa};
          const int dim = two ? 4 : 2;
          const auto u = testing::random_unitary(dim, 7 * n + 3 * qa + qb + 1);
          const auto undo = conjugate_transpose(u);
          const auto g = testing::random_unitary(dim, 50 + qa);
          const auto bra = testing::random_state(n, 10 + qa), ket = testing::random_state(n, 20 + qb);
          StateVector b = load_state(bra, n), k = load_state(ket, n);
          const auto full_undo = testing::embed(n, targets, undo);
          const auto ket_used = recover ? full_undo * ket : ket;
          const auto g_ket = testing::embed(n, targets, g) * ket_used;
          Complex direct = 0.0;
          for (std::size_t i = 0; i < bra.size(); ++i) direct += std::conj(bra[i]) * g_ket[i];
          Complex via = 0.0;
          if (two) {
            Matrix4 m;
            std::copy(undo.a.begin(), undo.a.end(), m.m.begin());
            const Matrix4 r = adjoint_step(b, k, recover, qa, qb, m);
            for (int x = 0; x < 4; ++x)
              for (int y = 0; y < 4; ++y) via += g(x, y) * r(x, y);
          } else {
            Matrix2 m;
            std::copy(undo.a.begin(), undo.a.end(), m.m.begin());
            const Matrix2 r = adjoint_step(b, k, recover, qa, m);
            for (int x = 0; x < 2; ++x)
              for (int y = 0; y < 2; ++y) via += g(x, y) * r(x, y);
          }
          const std::string where = std::to_string(n) + " qubits, " + std::to_string(qa) + "," +
                                    std::to_string(qb) + (recover ? ", recovering" : ", kept");
          EXPECT_LT(std::abs(via - direct), 1e-13) << where;
          EXPECT_LT(testing::max_difference(amplitudes(b), full_undo * bra), 1e-13) << where;
          EXPECT_LT(testing::max_difference(amplitudes(k), ket_used), 1e-13) << where;
        }
}

TEST(AdjointStepPaulis, EqualsDenseProductsOnEveryPair) {
  // bra' = U^+ bra, ket' = U^+ ket (recovering) or ket (kept); the Pauli overlaps after the
  // gate, Im <bra|P|ket>, and before it, Im <bra'|P|ket'>, for P = X, Y, Z on either qubit,
  // against dense products. 2 to 7 qubits: below a lane block, and both targets low, one
  // high, both high, in either order.
  const std::array<testing::Dense, 3> paulis{testing::pauli::x(), testing::pauli::y(), testing::pauli::z()};
  auto im_overlap = [](const std::vector<Complex>& bra, const std::vector<Complex>& ket) {
    Complex o = 0.0;
    for (std::size_t i = 0; i < bra.size(); ++i) o += std::conj(bra[i]) * ket[i];
    return o.imag();
  };
  for (int n = 2; n <= 7; ++n)
    for (int qa = 0; qa < n; ++qa)
      for (int qb = 0; qb < n; ++qb) {
        if (qb == qa) continue;
        const std::vector<int> targets{qa, qb};
        const auto u = testing::random_unitary(4, 11 * n + 5 * qa + qb);
        const auto full_undo = testing::embed(n, targets, conjugate_transpose(u));
        const auto bra = testing::random_state(n, 30 + qa), ket = testing::random_state(n, 40 + qb);
        for (int mode = 0; mode < 4; ++mode) {
          // 0: recovering, after and before; 1: recovering, after; 2: recovering, before;
          // 3: kept, before.
          const bool recover = mode < 3, at_after = mode < 2, at_before = mode != 1;
          StateVector b = load_state(bra, n), k = load_state(ket, n);
          Matrix4 m;
          const auto undo = conjugate_transpose(u);
          std::copy(undo.a.begin(), undo.a.end(), m.m.begin());
          PauliOverlaps after{}, before{};
          adjoint_step_paulis(b, k, recover, qa, qb, m, at_after ? &after : nullptr,
                              at_before ? &before : nullptr);
          const auto bra_out = full_undo * bra;
          const auto ket_out = recover ? full_undo * ket : ket;
          const std::string where = std::to_string(n) + " qubits, " + std::to_string(qa) + "," +
                                    std::to_string(qb) + ", mode " + std::to_string(mode);
          EXPECT_LT(testing::max_difference(amplitudes(b), bra_out), 1e-13) << where;
          EXPECT_LT(testing::max_difference(amplitudes(k), ket_out), 1e-13) << where;
          for (int j = 0; j < 2; ++j)
            for (int s = 0; s < 3; ++s) {
              const std::vector<int> on{targets[j]};
              const auto p = testing::embed(n, on, paulis[s]);
              if (at_after) {
                EXPECT_NEAR(after[3 * j + s], im_overlap(bra, p * ket), 1e-13) << where << " after " << j << s;
              }
              if (at_before) {
                EXPECT_NEAR(before[3 * j + s], im_overlap(bra_out, p * ket_out), 1e-13) << where << " before " << j << s;
              }
            }
        }
      }
  StateVector b(3), k(3);
  PauliOverlaps after{};
  EXPECT_THROW(adjoint_step_paulis(b, k, /*recover_ket=*/false, 0, 1, Matrix4{}, &after, nullptr),
               std::invalid_argument);
}

// Gradient of sum_x w_x p_x by exact parameter shift, as the reference.
std::vector<double> shift_gradient(const Circuit& c, std::span<const double> theta,
                                   const std::vector<double>& w) {
  const ParameterShift shift(c, FusionLevel::none, ShiftEvaluation::direct);
  std::vector<int> all(shift.sites().size());
  for (std::size_t i = 0; i < all.size(); ++i) all[i] = static_cast<int>(i);
  std::vector<double> g(c.num_parameters(), 0.0);
  shift.evaluate(theta, all, [&](int site, int sign, std::span<const double> p) {
    double dot = 0.0;
    for (std::size_t x = 0; x < p.size(); ++x) dot += w[x] * p[x];
    g[shift.sites()[site].parameter] += 0.5 * sign * shift.sites()[site].scale * dot;
  });
  return g;
}

TEST(Adjoint, EqualsExactParameterShift) {
  for (std::uint64_t seed = 0; seed < 6; ++seed)
    for (int n : {2, 4, 6}) {
      const int P = 8;
      const Circuit c = testing::random_circuit(n, 60, P, 500 + 10 * seed + n);
      const auto theta = testing::random_parameters(P, seed);
      std::mt19937_64 rng(seed);
      std::normal_distribution<double> normal;
      std::vector<double> w(std::size_t{1} << n);
      for (double& x : w) x = normal(rng);
      const auto expected = shift_gradient(c, theta, w);
      for (FusionLevel level : {FusionLevel::none, FusionLevel::one_qubit, FusionLevel::two_qubit})
        for (int keep : {0, 3, 1000}) {
          // Recovering every state, keeping the last three, keeping all.
          const std::size_t budget = keep * (std::size_t{16} << n);
          AdjointDifferentiator adjoint(c, level, budget);
          const int gates = static_cast<int>(plan_fusion(c, level).groups.size());
          EXPECT_EQ(adjoint.kept_states(), std::min(keep, gates));
          std::vector<double> p(w.size()), g(P);
          adjoint.forward(theta, p);
          EXPECT_LT(testing::max_difference(p, Simulator(c).probabilities(theta)), 1e-14);
          adjoint.backward(w, g);
          EXPECT_LT(testing::max_difference(g, expected), 1e-9)
              << "n " << n << " seed " << seed << " fusion " << core::name_of(level) << " budget " << budget;
        }
    }
}

TEST(Adjoint, FactoredAndBlockedSweepsEqualExactParameterShift) {
  // The QCBM ansatzes (whose fused gates take the factored form) and random circuits (where
  // some do not), 7 qubits, with the factored steps on and off, blocks of 3 to 5 bits and
  // none, recovering every state or keeping the last three.
  std::vector<Circuit> circuits{circuits::build_qcbm_circuit({1, 7, 2, 0}),
                                circuits::build_qcbm_circuit({2, 6, 2, 3}),
                                testing::random_circuit(7, 80, 10, 4242)};
  for (const Circuit& c : circuits) {
    const int n = c.num_qubits(), P = c.num_parameters();
    const AdjointGates gates(c, FusionLevel::two_qubit);
    int factored = 0;
    for (int g = 0; g < static_cast<int>(gates.plan().groups.size()); ++g) factored += gates.factored(g);
    EXPECT_GT(factored, 0) << "no fused gate takes the factored form";
    const auto theta = testing::random_parameters(P, 21);
    std::mt19937_64 rng(n);
    std::normal_distribution<double> normal;
    std::vector<double> w(std::size_t{1} << n);
    for (double& x : w) x = normal(rng);
    const auto expected = shift_gradient(c, theta, w);
    for (bool factored_steps : {true, false})
      for (int block_bits : {0, 3, 4, 5})
        for (int keep : {0, 3}) {
          AdjointDifferentiator adjoint(c, FusionLevel::two_qubit, keep * (std::size_t{16} << n));
          adjoint.set_factored_steps(factored_steps);
          adjoint.set_block_bits(block_bits);
          std::vector<double> p(w.size()), g(P);
          adjoint.forward(theta, p);
          adjoint.backward(w, g);
          EXPECT_LT(testing::max_difference(g, expected), 1e-9)
              << n << " qubits, factored " << factored_steps << ", block bits " << block_bits
              << ", keep " << keep;
        }
  }
  AdjointDifferentiator adjoint(circuits[0]);
  EXPECT_THROW(adjoint.set_block_bits(2), std::invalid_argument);
  EXPECT_THROW(adjoint.set_block_bits(-2), std::invalid_argument);
  // Automatic blocks: from 16 MiB of lambda and phi (Q = 19) on, 2^14 amplitudes.
  EXPECT_EQ(block_bits_for(kAutomaticBlocks, 18), 0);
  EXPECT_EQ(block_bits_for(kAutomaticBlocks, 19), 14);
  EXPECT_EQ(block_bits_for(kAutomaticBlocks, 30), 14);
  EXPECT_EQ(block_bits_for(4, 7), 4);
  EXPECT_EQ(block_bits_for(7, 7), 0);
  EXPECT_EQ(block_bits_for(0, 20), 0);
}

TEST(Adjoint, QcbmAnsatzAgainstFiniteDifferencesOfALoss) {
  // A concrete loss, L = sum_x t_x log p_x (cross-entropy up to sign), differentiated through
  // its weights w = t / p, against central differences of L itself.
  Circuit c(5);
  int k = 0;
  for (int layer = 0; layer < 3; ++layer) {
    for (int q = 0; q < 5; ++q, k += 3) c.rot(q, Angle::of(k), Angle::of(k + 1), Angle::of(k + 2));
    for (int q = 0; q + 1 < 5; ++q) c.cnot(q, q + 1);
  }
  const auto theta = testing::random_parameters(k, 3);
  std::vector<double> target(32, 1.0 / 32);
  auto loss = [&](std::span<const double> t) {
    const auto p = Simulator(c).probabilities(t);
    double l = 0;
    for (std::size_t x = 0; x < p.size(); ++x) l += target[x] * std::log(p[x]);
    return l;
  };
  AdjointDifferentiator adjoint(c);
  std::vector<double> p(32), w(32), g(k);
  adjoint.forward(theta, p);
  for (std::size_t x = 0; x < 32; ++x) w[x] = target[x] / p[x];
  adjoint.backward(w, g);
  const double h = 1e-6;
  for (int j = 0; j < k; ++j) {
    auto up = theta, down = theta;
    up[j] += h;
    down[j] -= h;
    EXPECT_NEAR(g[j], (loss(up) - loss(down)) / (2 * h), 1e-6) << j;
  }
}

// From an input state |psi_0(s)> (unnormalised, as a batch of events is): the probabilities
// and the angle gradient against dense products and parameter shift on the same circuit, and
// d/ds sum w p = 2 Re <lambda_0| d psi_0/ds> against central differences.
TEST(Adjoint, FromAnInputStateWithItsDerivative) {
  for (int n : {3, 5, 7})
    for (int keep : {0, 1000}) {
      const int P = 6;
      const Circuit c = testing::random_circuit(n, 40, P, 900 + n);
      const auto theta = testing::random_parameters(P, 17);
      std::vector<double> w(std::size_t{1} << n);
      std::mt19937_64 rng(n);
      std::normal_distribution<double> normal;
      for (double& x : w) x = normal(rng);
      // psi_0(s) = a + s b + s^2 c with random vectors: d psi_0/ds = b + 2 s c.
      const auto a = testing::random_state(n, 1), b = testing::random_state(n, 2),
                 cc = testing::random_state(n, 3);
      auto input = [&](double s) {
        std::vector<Complex> v(a.size());
        for (std::size_t i = 0; i < v.size(); ++i) v[i] = 1.5 * a[i] + s * b[i] + s * s * cc[i];
        return v;
      };
      // The reference: U as a dense matrix (the circuit applied to each basis state).
      testing::Dense u = testing::identity(1 << n);
      for (const Operation& op : c.operations()) u = testing::operation_matrix(n, op, theta) * u;
      auto loss = [&](std::span<const double> t, double s) {
        testing::Dense m = testing::identity(1 << n);
        for (const Operation& op : c.operations()) m = testing::operation_matrix(n, op, t) * m;
        const auto out = m * input(s);
        double l = 0;
        for (std::size_t x = 0; x < out.size(); ++x) l += w[x] * std::norm(out[x]);
        return l;
      };
      const double s0 = 0.3;
      AdjointDifferentiator adjoint(c, FusionLevel::two_qubit, keep * (std::size_t{16} << n));
      const StateVector psi0 = load_state(input(s0), n);
      std::vector<double> p(w.size()), g(P);
      adjoint.forward(theta, p, psi0);
      const auto out = u * input(s0);
      for (std::size_t x = 0; x < p.size(); ++x) EXPECT_NEAR(p[x], std::norm(out[x]), 1e-12);
      adjoint.backward(w, g);
      const auto fd = testing::central_differences([&](const std::vector<double>& t) { return loss(t, s0); }, theta);
      for (int j = 0; j < P; ++j) EXPECT_NEAR(g[j], fd[j], 1e-6) << n << " " << j;
      const double h = 1e-6;
      // lambda_0 = U^+ W U psi_0 by dense products.
      std::vector<Complex> wout(out.size());
      for (std::size_t x = 0; x < out.size(); ++x) wout[x] = w[x] * out[x];
      const auto lambda0 = conjugate_transpose(u) * wout;
      EXPECT_LT(testing::max_difference(amplitudes(adjoint.initial_adjoint()), lambda0), 1e-12);
      Complex overlap = 0.0;
      for (std::size_t i = 0; i < a.size(); ++i)
        overlap += std::conj(adjoint.initial_adjoint().amplitude(i)) * (b[i] + 2 * s0 * cc[i]);
      EXPECT_NEAR(2 * overlap.real(), (loss(theta, s0 + h) - loss(theta, s0 - h)) / (2 * h), 1e-6);
    }
  Circuit c(3);
  c.rx(0, Angle::of(0));
  AdjointDifferentiator adjoint(c);
  std::vector<double> p(8);
  EXPECT_THROW(adjoint.forward(std::vector<double>{0.1}, p, StateVector(4)), std::invalid_argument);
}

// A loss of amplitudes: F = |<chi|psi>|^2 with lambda = <chi|psi> chi, against central
// differences; the final state is U|psi_0> and survives the backward sweep.
TEST(Adjoint, BackwardFromAnyLambda) {
  const int n = 5, P = 7;
  const Circuit c = testing::random_circuit(n, 50, P, 77);
  const auto theta = testing::random_parameters(P, 5);
  const auto chi = testing::random_state(n, 9);
  const StateVector psi0 = load_state(testing::random_state(n, 8), n);
  auto fidelity = [&](std::span<const double> t) {
    StateVector s = psi0;
    Simulator(c).run(t, s);
    Complex o = 0.0;
    for (std::size_t i = 0; i < chi.size(); ++i) o += std::conj(chi[i]) * s.amplitude(i);
    return std::norm(o);
  };
  for (int keep : {0, 2, 1000}) {
    AdjointDifferentiator adjoint(c, FusionLevel::two_qubit, keep * (std::size_t{16} << n));
    std::vector<double> p(32), g(P);
    adjoint.forward(theta, p, psi0);
    Complex o = 0.0;
    for (std::size_t i = 0; i < chi.size(); ++i) o += std::conj(chi[i]) * adjoint.final_state().amplitude(i);
    StateVector lambda(n);
    for (std::size_t i = 0; i < chi.size(); ++i) lambda.set_amplitude(i, o * chi[i]);
    const auto before = amplitudes(adjoint.final_state());
    adjoint.backward(lambda, g);
    EXPECT_EQ(amplitudes(adjoint.final_state()), before);
    const auto fd = testing::central_differences(fidelity, theta);
    for (int j = 0; j < P; ++j) EXPECT_NEAR(g[j], fd[j], 1e-7) << keep << " " << j;
  }
}

TEST(Adjoint, RejectsWrongSizes) {
  const Circuit c = testing::random_circuit(3, 10, 2, 1);
  AdjointDifferentiator adjoint(c);
  std::vector<double> small(4), p(8), g(2);
  EXPECT_THROW(adjoint.forward(std::vector<double>{0.1, 0.2}, small), std::invalid_argument);
  adjoint.forward(std::vector<double>{0.1, 0.2}, p);
  EXPECT_THROW(adjoint.backward(small, g), std::invalid_argument);
  std::vector<double> wrong(3);
  EXPECT_THROW(adjoint.backward(p, wrong), std::invalid_argument);
}

TEST(Adjoint, OneBackwardPerCompleteForward) {
  // The backward sweep uses up the kept states, and a forward that failed leaves nothing to
  // differentiate: both are logic errors, not wrong gradients.
  const Circuit c = testing::random_circuit(3, 10, 2, 1);
  AdjointDifferentiator adjoint(c, FusionLevel::none, 2 * (16 << 3));  // keeps 2 states
  std::vector<double> p(8), g(2), w(8, 1.0);
  EXPECT_THROW(adjoint.backward(w, g), std::logic_error);
  adjoint.forward(std::vector<double>{0.1, 0.2}, p);
  adjoint.backward(w, g);
  EXPECT_THROW(adjoint.backward(w, g), std::logic_error);
  adjoint.forward(std::vector<double>{0.1, 0.2}, p);
  EXPECT_THROW(adjoint.forward(std::vector<double>{0.1}, p), std::invalid_argument);
  EXPECT_THROW(adjoint.backward(w, g), std::logic_error);
}

}  // namespace
}  // namespace qgen::sim
