// The density matrix against dense references: U rho U^+ and sum_k K rho K^+ with full
// 2^Q x 2^Q matrices (dense_reference.hpp, no shared code with the kernels), the two-qubit
// depolarising channel against its Pauli-sum form, the noiseless limit against the state-vector
// simulator, and fused, batched runs against step-by-step application.
#include <gtest/gtest.h>

#include <memory>

#include "../support/dense_reference.hpp"
#include "../support/random_circuit.hpp"
#include "qgen/core/errors.hpp"
#include "qgen/sim/density_matrix.hpp"
#include "qgen/sim/simulator.hpp"

namespace qgen::sim {
namespace {

using testing::Dense;

Dense dagger(const Dense& m) {
  Dense d = testing::zeros(m.dim);
  for (int r = 0; r < m.dim; ++r)
    for (int c = 0; c < m.dim; ++c) d(r, c) = std::conj(m(c, r));
  return d;
}

/// 0.5 |a><a| + 0.3 |b><b| + 0.2 |c><c| for random states: a generic mixed state.
Dense random_density(int n, std::uint64_t seed) {
  Dense rho = testing::zeros(1 << n);
  const double weights[] = {0.5, 0.3, 0.2};
  for (int k = 0; k < 3; ++k) {
    const auto psi = testing::random_state(n, seed + k);
    for (int r = 0; r < rho.dim; ++r)
      for (int c = 0; c < rho.dim; ++c) rho(r, c) += weights[k] * psi[r] * std::conj(psi[c]);
  }
  return rho;
}

DensityMatrix load(const Dense& rho, int n) {
  DensityMatrix d(n);
  for (int r = 0; r < rho.dim; ++r)
    for (int c = 0; c < rho.dim; ++c) d.set_element(r, c, rho(r, c));
  return d;
}

double max_difference(const DensityMatrix& d, const Dense& rho) {
  double m = 0.0;
  for (int r = 0; r < rho.dim; ++r)
    for (int c = 0; c < rho.dim; ++c) m = std::max(m, std::abs(d.element(r, c) - rho(r, c)));
  return m;
}

Dense dense_of(const Matrix2& u) { return Dense{2, {u.m.begin(), u.m.end()}}; }
Dense dense_of(const Matrix4& u) { return Dense{4, {u.m.begin(), u.m.end()}}; }
Matrix2 matrix2_of(const Dense& d) {
  Matrix2 m;
  std::copy(d.a.begin(), d.a.end(), m.m.begin());
  return m;
}
Matrix4 matrix4_of(const Dense& d) {
  Matrix4 m;
  std::copy(d.a.begin(), d.a.end(), m.m.begin());
  return m;
}

TEST(DensityMatrix, GatesAreConjugationsOnEveryQubit) {
  for (int n = 1; n <= 4; ++n) {
    const Dense rho = random_density(n, 10 * n);
    for (int q = 0; q < n; ++q) {
      const Dense u = testing::random_unitary(2, 100 + q);
      DensityMatrix d = load(rho, n);
      d.apply(q, matrix2_of(u));
      const Dense e = testing::embed(n, std::vector<int>{q}, u);
      EXPECT_LT(max_difference(d, e * rho * dagger(e)), 1e-13) << n << " qubits, qubit " << q;
    }
    for (int a = 0; a < n; ++a)
      for (int b = 0; b < n; ++b) {
        if (a == b) continue;
        const std::vector<int> pair{a, b};
        const Dense u = testing::random_unitary(4, 200 + 7 * a + b);
        DensityMatrix d = load(rho, n);
        d.apply(a, b, matrix4_of(u));
        const Dense e = testing::embed(n, pair, u);
        EXPECT_LT(max_difference(d, e * rho * dagger(e)), 1e-13) << "pair " << a << "," << b;
        DensityMatrix c = load(rho, n);
        c.apply_cnot(a, b);
        const Dense x = testing::embed(n, pair, dense_of(gates::cnot()));
        EXPECT_LT(max_difference(c, x * rho * dagger(x)), 1e-14) << "cnot " << a << "," << b;
      }
  }
}

TEST(DensityMatrix, ChannelIsTheKrausSum) {
  const int n = 3;
  const Dense rho = random_density(n, 5);
  for (int q = 0; q < n; ++q) {
    const KrausChannel channel = testing::random_channel(40 + q);
    DensityMatrix d = load(rho, n);
    d.apply(q, channel);
    Dense expected = testing::zeros(rho.dim);
    for (const Matrix2& k : channel.operators()) {
      const Dense e = testing::embed(n, std::vector<int>{q}, dense_of(k));
      expected = expected + e * rho * dagger(e);
    }
    EXPECT_LT(max_difference(d, expected), 1e-13) << "qubit " << q;
    EXPECT_NEAR(d.trace(), 1.0, 1e-13);
  }
}

TEST(DensityMatrix, TwoQubitDepolarizingIsTheUniformPauliMixture) {
  const int n = 3;
  const Dense rho = random_density(n, 9);
  const Dense paulis[] = {testing::pauli::i(), testing::pauli::x(), testing::pauli::y(),
                          testing::pauli::z()};
  const double p = 0.37;
  for (int a = 0; a < n; ++a)
    for (int b = 0; b < n; ++b) {
      if (a == b) continue;
      DensityMatrix d = load(rho, n);
      d.depolarize(a, b, p);
      // (1 - 15p/16) rho + p/16 sum over the 15 non-identity Pauli pairs of P rho P.
      Dense expected = (1.0 - 15.0 * p / 16.0) * rho;
      for (int k = 1; k < 16; ++k) {
        const Dense e = testing::embed(n, std::vector<int>{a, b}, testing::kron(paulis[k >> 2], paulis[k & 3]));
        expected = expected + (p / 16.0) * (e * rho * e);
      }
      EXPECT_LT(max_difference(d, expected), 1e-14) << "pair " << a << "," << b;
    }
}

TEST(DensityMatrix, PureStateAndNoiselessCircuitsMatchTheStateVector) {
  for (int n : {1, 3, 5}) {
    const Circuit circuit = testing::random_circuit(n, 40, 3, 70 + n);
    const auto theta = testing::random_parameters(3, n);
    const StateVector psi = Simulator(circuit).state(theta);
    const DensityMatrix pure(psi);
    for (std::size_t r = 0; r < psi.size(); ++r)
      for (std::size_t c = 0; c < psi.size(); ++c)
        ASSERT_LT(std::abs(pure.element(r, c) - psi.amplitude(r) * std::conj(psi.amplitude(c))), 1e-15);
    const std::vector<NoisyCircuit> noiseless{bind_noiseless(circuit, theta)};
    const auto p = density_matrix_probabilities(noiseless);
    EXPECT_LT(testing::max_difference(p[0], Simulator(circuit).probabilities(theta)), 1e-12) << n;
    EXPECT_NEAR(pure.purity(), 1.0, 1e-12);
  }
}

/// Every operation applied on its own, with no fusion.
std::vector<double> step_by_step(const NoisyCircuit& c) {
  DensityMatrix d(c.num_qubits());
  for (const NoisyOp& op : c.operations()) {
    switch (op.kind) {
      case NoisyOpKind::unitary1: d.apply(op.qubits[0], c.matrix1(op)); break;
      case NoisyOpKind::unitary2: d.apply(op.qubits[0], op.qubits[1], c.matrix2(op)); break;
      case NoisyOpKind::cnot: d.apply_cnot(op.qubits[0], op.qubits[1]); break;
      case NoisyOpKind::channel1: d.apply(op.qubits[0], c.channel(op)); break;
      case NoisyOpKind::depolarizing2:
        d.depolarize(op.qubits[0], op.qubits[1], c.depolarizing(op));
        break;
    }
  }
  return d.probabilities();
}

TEST(DensityMatrix, FusedRunsEqualStepByStepAndSharePrefixesExactly) {
  const NoisyCircuit base = testing::random_noisy_circuit(4, 80, 1.0, 3);
  // Variants that differ from the base in one unitary at various depths, plus the base twice.
  std::vector<NoisyCircuit> batch{base};
  for (std::size_t cut : {5u, 30u, 30u, 60u, 79u}) {
    NoisyCircuit v(base.num_qubits());
    for (std::size_t i = 0; i < base.size(); ++i) {
      const NoisyOp& op = base.operations()[i];
      if (i == cut) v.unitary(op.qubits[0], matrix2_of(testing::random_unitary(2, cut + batch.size())));
      if (op.kind == NoisyOpKind::unitary1) v.unitary(op.qubits[0], base.matrix1(op));
      else if (op.kind == NoisyOpKind::unitary2) v.unitary(op.qubits[0], op.qubits[1], base.matrix2(op));
      else if (op.kind == NoisyOpKind::cnot) v.cnot(op.qubits[0], op.qubits[1]);
      else if (op.kind == NoisyOpKind::channel1) v.channel(op.qubits[0], std::make_shared<KrausChannel>(base.channel(op)));
      else v.depolarize(op.qubits[0], op.qubits[1], base.depolarizing(op));
    }
    batch.push_back(std::move(v));
  }
  batch.push_back(base);
  const auto together = density_matrix_probabilities(batch);
  for (std::size_t i = 0; i < batch.size(); ++i) {
    const auto alone = density_matrix_probabilities(std::span(&batch[i], 1));
    EXPECT_EQ(together[i], alone[0]) << "circuit " << i;  // bit for bit
    EXPECT_LT(testing::max_difference(together[i], step_by_step(batch[i])), 1e-13) << i;
    double sum = 0.0;
    for (double x : together[i]) sum += x;
    EXPECT_NEAR(sum, 1.0, 1e-12);
  }
  EXPECT_NE(together[0], together[1]);
}

TEST(DensityMatrix, RefusesTooManyQubits) {
  EXPECT_THROW(DensityMatrix(DensityMatrix::kMaxQubits + 1), core::InputError);
  EXPECT_THROW(DensityMatrix(0), core::InputError);
}

}  // namespace
}  // namespace qgen::sim
