// The QINN circuits of paper 004 against textbook dense matrices: one layer written out by
// hand, and the adjoint layers as the conjugate transpose of the forward ones.
#include <gtest/gtest.h>

#include "../support/dense_reference.hpp"
#include "qgen/circuits/qinn_ansatz.hpp"

namespace qgen::circuits {
namespace {

using testing::Dense;

Dense circuit_matrix(const sim::Circuit& c, std::span<const double> theta) {
  Dense m = testing::identity(1 << c.num_qubits());
  for (const sim::Operation& op : c.operations()) m = testing::operation_matrix(c.num_qubits(), op, theta) * m;
  return m;
}

Dense dagger(const Dense& m) {
  Dense t = testing::zeros(m.dim);
  for (int r = 0; r < m.dim; ++r)
    for (int c = 0; c < m.dim; ++c) t(r, c) = std::conj(m(c, r));
  return t;
}

double max_abs_difference(const Dense& a, const Dense& b) {
  double d = 0;
  for (std::size_t i = 0; i < a.a.size(); ++i) d = std::max(d, std::abs(a.a[i] - b.a[i]));
  return d;
}

Dense cnot_matrix(int n, int control, int target) {
  Dense cnot = testing::zeros(4);
  cnot(0, 0) = cnot(1, 1) = cnot(2, 3) = cnot(3, 2) = 1.0;
  const int qubits[2] = {control, target};
  return testing::embed(n, qubits, cnot);
}

TEST(QinnAnsatz, OneLayerIsRotOnEveryQubitThenTheCnotRing) {
  const int n = 3;
  const auto theta = testing::random_parameters(qinn_layer_parameters(n, 1), 4);
  sim::Circuit c(n);
  add_qinn_layers(c, n, 1, 0);
  EXPECT_EQ(c.num_parameters(), 9);
  // Rot(phi, theta, omega) = RZ(omega) RY(theta) RZ(phi), qubit 0 the leftmost factor.
  Dense rots = testing::identity(1);
  for (int q = 0; q < n; ++q) {
    const double* a = &theta[3 * q];
    const Dense rot = testing::pauli_rotation(testing::pauli::z(), a[2]) *
                      testing::pauli_rotation(testing::pauli::y(), a[1]) *
                      testing::pauli_rotation(testing::pauli::z(), a[0]);
    rots = testing::kron(rots, rot);
  }
  const Dense expected = cnot_matrix(n, 2, 0) * cnot_matrix(n, 1, 2) * cnot_matrix(n, 0, 1) * rots;
  EXPECT_LT(max_abs_difference(circuit_matrix(c, theta), expected), 1e-13);
}

TEST(QinnAnsatz, TwoQubitRingAndOneQubit) {
  sim::Circuit two(2);
  add_qinn_layers(two, 2, 1, 0);
  ASSERT_EQ(two.size(), 4u);
  EXPECT_EQ(two[2].qubits, (std::array<int, 2>{0, 1}));
  EXPECT_EQ(two[3].qubits, (std::array<int, 2>{1, 0}));
  sim::Circuit one(1);
  add_qinn_layers(one, 1, 3, 0);
  EXPECT_EQ(one.size(), 3u);  // three Rots, no CNOT
}

TEST(QinnAnsatz, AdjointIsTheConjugateTransposeAndUndoesTheLayers) {
  for (int n = 1; n <= 5; ++n)
    for (int layers : {1, 3}) {
      // Slots after an offset, in a circuit with two more (untouched) qubits.
      const int first = 7, P = first + qinn_layer_parameters(n, layers);
      const auto theta = testing::random_parameters(P, 10 * n + layers);
      sim::Circuit forward(n + 2), backward(n + 2), both(n + 2);
      add_qinn_layers(forward, n, layers, first);
      add_qinn_layers_adjoint(backward, n, layers, first);
      both.append(forward);
      both.append(backward);
      EXPECT_EQ(forward.num_parameters(), P);
      EXPECT_EQ(backward.num_parameters(), P);
      for (const auto& op : backward.operations()) EXPECT_LT(std::max(op.qubits[0], op.qubits[1]), n);
      const Dense u = circuit_matrix(forward, theta);
      EXPECT_LT(max_abs_difference(circuit_matrix(backward, theta), dagger(u)), 1e-12) << n;
      EXPECT_LT(max_abs_difference(circuit_matrix(both, theta), testing::identity(1 << (n + 2))), 1e-12);
    }
}

}  // namespace
}  // namespace qgen::circuits
