#include "qgen/sim/gate_matrix.hpp"

#include <cmath>

namespace qgen::sim {

Matrix2 operator*(const Matrix2& a, const Matrix2& b) {
  Matrix2 c;
  for (int i = 0; i < 2; ++i)
    for (int j = 0; j < 2; ++j) c(i, j) = a(i, 0) * b(0, j) + a(i, 1) * b(1, j);
  return c;
}

Matrix4 operator*(const Matrix4& a, const Matrix4& b) {
  Matrix4 c;
  for (int i = 0; i < 4; ++i)
    for (int j = 0; j < 4; ++j) {
      Complex sum = 0.0;
      for (int k = 0; k < 4; ++k) sum += a(i, k) * b(k, j);
      c(i, j) = sum;
    }
  return c;
}

Matrix2 adjoint(const Matrix2& a) {
  Matrix2 c;
  for (int i = 0; i < 2; ++i)
    for (int j = 0; j < 2; ++j) c(i, j) = std::conj(a(j, i));
  return c;
}

Matrix4 adjoint(const Matrix4& a) {
  Matrix4 c;
  for (int i = 0; i < 4; ++i)
    for (int j = 0; j < 4; ++j) c(i, j) = std::conj(a(j, i));
  return c;
}

Matrix4 kron(const Matrix2& a, const Matrix2& b) {
  Matrix4 c;
  for (int i = 0; i < 4; ++i)
    for (int j = 0; j < 4; ++j) c(i, j) = a(i >> 1, j >> 1) * b(i & 1, j & 1);
  return c;
}

Matrix4 swap_qubit_order(const Matrix4& a) {
  // Exchanging the qubits swaps the two bits of every row and column index.
  auto flip = [](int k) { return ((k & 1) << 1) | (k >> 1); };
  Matrix4 c;
  for (int i = 0; i < 4; ++i)
    for (int j = 0; j < 4; ++j) c(flip(i), flip(j)) = a(i, j);
  return c;
}

namespace gates {
namespace {
constexpr Complex kI{0.0, 1.0};
}

Matrix2 identity2() { return Matrix2{{1.0, 0.0, 0.0, 1.0}}; }

Matrix2 hadamard() {
  const double s = 1.0 / std::sqrt(2.0);
  return Matrix2{{s, s, s, -s}};
}

Matrix2 pauli_x() { return Matrix2{{0.0, 1.0, 1.0, 0.0}}; }
Matrix2 pauli_y() { return Matrix2{{0.0, -kI, kI, 0.0}}; }
Matrix2 pauli_z() { return Matrix2{{1.0, 0.0, 0.0, -1.0}}; }

Matrix2 rx(double angle) {
  const double c = std::cos(angle / 2), s = std::sin(angle / 2);
  return Matrix2{{c, -kI * s, -kI * s, c}};
}

Matrix2 ry(double angle) {
  const double c = std::cos(angle / 2), s = std::sin(angle / 2);
  return Matrix2{{c, -s, s, c}};
}

Matrix2 rz(double angle) {
  return Matrix2{{std::polar(1.0, -angle / 2), 0.0, 0.0, std::polar(1.0, angle / 2)}};
}

Matrix2 rot(double phi, double theta, double omega) {
  // RZ(omega) RY(theta) RZ(phi), written out so that one Rot costs three sincos and no
  // products: [[c e^{-i sum}, -s e^{i diff}], [s e^{-i diff}, c e^{i sum}]] with
  // c, s = cos, sin(theta/2), sum = (phi+omega)/2, diff = (phi-omega)/2.
  const double c = std::cos(theta / 2), s = std::sin(theta / 2);
  const double sum = (phi + omega) / 2, difference = (phi - omega) / 2;
  const double cs = std::cos(sum), ss = std::sin(sum);
  const double cd = std::cos(difference), sd = std::sin(difference);
  return Matrix2{{Complex(c * cs, -c * ss), Complex(-s * cd, -s * sd), Complex(s * cd, -s * sd),
                  Complex(c * cs, c * ss)}};
}

Matrix4 identity4() { return kron(identity2(), identity2()); }

Matrix4 cnot() {
  Matrix4 c;
  c(0, 0) = c(1, 1) = c(2, 3) = c(3, 2) = 1.0;
  return c;
}

Matrix4 cz() {
  Matrix4 c;
  c(0, 0) = c(1, 1) = c(2, 2) = 1.0;
  c(3, 3) = -1.0;
  return c;
}

Matrix4 swap() {
  Matrix4 c;
  c(0, 0) = c(1, 2) = c(2, 1) = c(3, 3) = 1.0;
  return c;
}

}  // namespace gates
}  // namespace qgen::sim
