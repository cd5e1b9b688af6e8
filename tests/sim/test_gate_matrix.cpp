// Every named gate against its analytic matrix (Pauli exponentials from the test reference).
#include <gtest/gtest.h>

#include <cmath>

#include "../support/dense_reference.hpp"
#include "qgen/sim/circuit.hpp"
#include "qgen/sim/gate_matrix.hpp"

namespace qgen::sim {
namespace {

using testing::Dense;
namespace pauli = testing::pauli;

Dense as_dense(const Matrix2& m) { return Dense{2, {m.m.begin(), m.m.end()}}; }
Dense as_dense(const Matrix4& m) { return Dense{4, {m.m.begin(), m.m.end()}}; }

void expect_equal(const Dense& a, const Dense& b, double tolerance = 1e-14) {
  ASSERT_EQ(a.dim, b.dim);
  EXPECT_LT(testing::max_difference(a.a, b.a), tolerance);
}

class RotationAngle : public ::testing::TestWithParam<double> {};

TEST_P(RotationAngle, PauliRotationsMatchExponentials) {
  const double a = GetParam();
  expect_equal(as_dense(gates::rx(a)), testing::pauli_rotation(pauli::x(), a));
  expect_equal(as_dense(gates::ry(a)), testing::pauli_rotation(pauli::y(), a));
  expect_equal(as_dense(gates::rz(a)), testing::pauli_rotation(pauli::z(), a));
}

TEST_P(RotationAngle, RotIsRzRyRzInPennyLaneOrder) {
  const double phi = GetParam(), theta = 0.7 - GetParam(), omega = 2.1 * GetParam() + 0.3;
  const Dense expected = testing::pauli_rotation(pauli::z(), omega) *
                         testing::pauli_rotation(pauli::y(), theta) *
                         testing::pauli_rotation(pauli::z(), phi);
  expect_equal(as_dense(gates::rot(phi, theta, omega)), expected);
}

TEST_P(RotationAngle, GeneratorFramesTimesTheGateAreTwoITheDerivative) {
  // P_a U = 2i dU/da, by a central difference (h = 1e-6, error O(h^2)), and P_a Hermitian.
  const std::array<double, 3> angles = {GetParam(), 0.7 - GetParam(), 2.1 * GetParam() + 0.3};
  const double h = 1e-6;
  for (GateKind kind : {GateKind::RX, GateKind::RY, GateKind::RZ, GateKind::Rot}) {
    const int num_angles = kind == GateKind::Rot ? 3 : 1;
    const Matrix2 u = matrix1(kind, angles);
    const auto frames = generator_frames(kind, angles, u);
    for (int a = 0; a < num_angles; ++a) {
      auto up = angles, down = angles;
      up[a] += h;
      down[a] -= h;
      const Matrix2 plus = matrix1(kind, up), minus = matrix1(kind, down);
      const Matrix2 g = frames[a] * u;
      for (int k = 0; k < 4; ++k) {
        const Complex derivative = (plus.m[k] - minus.m[k]) / (2 * h);
        EXPECT_LT(std::abs(g.m[k] - Complex(0, 2) * derivative), 1e-8) << core::name_of(kind) << " angle " << a;
        EXPECT_LT(std::abs(frames[a].m[k] - adjoint(frames[a]).m[k]), 1e-15) << "not Hermitian";
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Angles, RotationAngle,
                         ::testing::Values(0.0, 0.3, -1.1, M_PI / 2, M_PI, 4.0, -6.2));

TEST(GateMatrix, FixedGates) {
  const double r = 1 / std::sqrt(2.0);
  expect_equal(as_dense(gates::hadamard()), Dense{2, {r, r, r, -r}});
  expect_equal(as_dense(gates::pauli_x()), pauli::x());
  expect_equal(as_dense(gates::pauli_y()), pauli::y());
  expect_equal(as_dense(gates::pauli_z()), pauli::z());
  // CNOT with the first qubit as control: |10> <-> |11>.
  Dense cnot = testing::identity(4);
  cnot(2, 2) = cnot(3, 3) = 0.0;
  cnot(2, 3) = cnot(3, 2) = 1.0;
  expect_equal(as_dense(gates::cnot()), cnot);
  Dense cz = testing::identity(4);
  cz(3, 3) = -1.0;
  expect_equal(as_dense(gates::cz()), cz);
  Dense swap = testing::identity(4);
  swap(1, 1) = swap(2, 2) = 0.0;
  swap(1, 2) = swap(2, 1) = 1.0;
  expect_equal(as_dense(gates::swap()), swap);
}

TEST(GateMatrix, KronPutsFirstFactorOnMostSignificantBit) {
  const Matrix2 a = gates::rot(0.1, 0.2, 0.3), b = gates::rx(0.9);
  expect_equal(as_dense(kron(a, b)), testing::kron(as_dense(a), as_dense(b)));
}

TEST(GateMatrix, SwapQubitOrderConjugatesWithSwap) {
  const Matrix4 m = kron(gates::rot(0.4, 1.2, -0.5), gates::hadamard()) * gates::cnot();
  const Matrix4 expected = gates::swap() * m * gates::swap();
  expect_equal(as_dense(swap_qubit_order(m)), as_dense(expected));
}

TEST(GateMatrix, ProductsAndAdjoints) {
  const Matrix2 u = gates::rot(0.4, 1.2, -0.5);
  expect_equal(as_dense(u * adjoint(u)), testing::identity(2));
  const Matrix4 v = kron(u, gates::ry(0.3)) * gates::cnot();
  expect_equal(as_dense(v * adjoint(v)), testing::identity(4));
  expect_equal(as_dense(gates::rx(0.3) * gates::rx(0.4)), as_dense(gates::rx(0.7)));
}

}  // namespace
}  // namespace qgen::sim
