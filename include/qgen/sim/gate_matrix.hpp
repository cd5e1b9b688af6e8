// Dense gate matrices and the analytic matrices of the named gates.
//
// Matrix2 acts on one qubit in the basis (|0>, |1>). Matrix4 acts on an ordered pair of qubits
// (a, b) in the basis |a b> = |00>, |01>, |10>, |11>: the first qubit of the pair is the more
// significant bit, as in a basis index (qubit 0 most significant). Both are row-major.
//
// Angles in radians; rotations follow PennyLane: RX(a) = exp(-i a X/2), RY(a) = exp(-i a Y/2),
// RZ(a) = exp(-i a Z/2), Rot(phi, theta, omega) = RZ(omega) RY(theta) RZ(phi).
#pragma once

#include <array>
#include <complex>

namespace qgen::sim {

using Complex = std::complex<double>;

struct Matrix2 {
  std::array<Complex, 4> m{};
  Complex& operator()(int row, int col) { return m[2 * row + col]; }
  const Complex& operator()(int row, int col) const { return m[2 * row + col]; }
};

struct Matrix4 {
  std::array<Complex, 16> m{};
  Complex& operator()(int row, int col) { return m[4 * row + col]; }
  const Complex& operator()(int row, int col) const { return m[4 * row + col]; }
};

Matrix2 operator*(const Matrix2& a, const Matrix2& b);
Matrix4 operator*(const Matrix4& a, const Matrix4& b);
Matrix2 adjoint(const Matrix2& a);
Matrix4 adjoint(const Matrix4& a);

/// a (on the first, more significant qubit) tensor b (on the second).
Matrix4 kron(const Matrix2& a, const Matrix2& b);
/// The same two-qubit matrix with the roles of its two qubits exchanged.
Matrix4 swap_qubit_order(const Matrix4& a);

namespace gates {
Matrix2 identity2();
Matrix2 hadamard();
Matrix2 pauli_x();
Matrix2 pauli_y();
Matrix2 pauli_z();
Matrix2 rx(double angle);
Matrix2 ry(double angle);
Matrix2 rz(double angle);
Matrix2 rot(double phi, double theta, double omega);
Matrix4 identity4();
Matrix4 cnot();  // control = first qubit, target = second
Matrix4 cz();
Matrix4 swap();
}  // namespace gates

}  // namespace qgen::sim
