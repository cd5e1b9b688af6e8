// An independent reference for the simulator: full 2^Q x 2^Q matrices built from Kronecker
// products of 2x2 operators, gates written from their textbook definitions (Pauli exponentials),
// applied by plain matrix-vector products. Shares no code with qgen's kernels, fusion or gate
// matrices, so agreement between the two is evidence, not tautology. Qubit 0 is the leftmost
// Kronecker factor (the most significant bit), as in DESIGN.md.
#pragma once

#include <complex>
#include <cstdint>
#include <span>
#include <vector>

#include "qgen/sim/circuit.hpp"

namespace qgen::testing {

using Complex = std::complex<double>;

struct Dense {
  int dim = 0;
  std::vector<Complex> a;  // row-major
  Complex& operator()(int r, int c) { return a[static_cast<std::size_t>(r) * dim + c]; }
  Complex operator()(int r, int c) const { return a[static_cast<std::size_t>(r) * dim + c]; }
};

Dense zeros(int dim);
Dense identity(int dim);
Dense kron(const Dense& x, const Dense& y);
Dense operator*(const Dense& x, const Dense& y);
Dense operator+(const Dense& x, const Dense& y);
Dense operator*(Complex s, const Dense& x);
std::vector<Complex> operator*(const Dense& m, const std::vector<Complex>& v);

namespace pauli {
Dense i();
Dense x();
Dense y();
Dense z();
}  // namespace pauli

/// exp(-i angle P / 2) = cos(angle/2) I - i sin(angle/2) P.
Dense pauli_rotation(const Dense& pauli, double angle);

/// An operator `m` on the ordered `qubits` (first = most significant of m's index), embedded in
/// Q qubits as a sum of Kronecker products of |r><c| factors.
Dense embed(int num_qubits, std::span<const int> qubits, const Dense& m);

/// The full matrix of one circuit operation, from textbook definitions.
Dense operation_matrix(int num_qubits, const sim::Operation& op,
                       std::span<const double> parameters);

/// U(theta)|0...0> by dense products.
std::vector<Complex> reference_state(const sim::Circuit& circuit,
                                     std::span<const double> parameters);
std::vector<double> reference_probabilities(const sim::Circuit& circuit,
                                            std::span<const double> parameters);

std::vector<Complex> random_state(int num_qubits, std::uint64_t seed);
Dense random_unitary(int dim, std::uint64_t seed);
std::vector<double> random_parameters(int count, std::uint64_t seed);

/// max_i |a_i - b_i|
double max_difference(std::span<const Complex> a, std::span<const Complex> b);
double max_difference(std::span<const double> a, std::span<const double> b);

}  // namespace qgen::testing
