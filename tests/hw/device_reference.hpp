// Dense references for device circuits: the basis gates from their textbook definitions
// (sx = sqrt(X), rz = exp(-i a Z/2), cx), full-matrix products, and equality up to a global
// phase. Shares no code with hw::transpile or hw::basis_matrix.
#pragma once

#include <cmath>

#include "../support/dense_reference.hpp"
#include "qgen/hw/transpile.hpp"

namespace qgen::testing {

/// sqrt(X) = (I + X)/2 + i (I - X)/2, the principal square root: [[1+i, 1-i], [1-i, 1+i]]/2.
inline Dense sqrt_x() {
  return Complex(0.5, 0.5) * identity(2) + Complex(0.5, -0.5) * pauli::x();
}

inline Dense device_gate_matrix(int n, const hw::DeviceGate& g) {
  const std::vector<int> one{g.qubits[0]}, two{g.qubits[0], g.qubits[1]};
  switch (g.gate) {
    case hw::BasisGate::rz: return embed(n, one, pauli_rotation(pauli::z(), g.angle));
    case hw::BasisGate::sx: return embed(n, one, sqrt_x());
    case hw::BasisGate::x: return embed(n, one, pauli::x());
    case hw::BasisGate::cx: {
      const Dense p0{2, {1.0, 0.0, 0.0, 0.0}}, p1{2, {0.0, 0.0, 0.0, 1.0}};
      return embed(n, two, kron(p0, pauli::i()) + kron(p1, pauli::x()));
    }
  }
  return identity(1 << n);
}

/// The unitary of a device circuit: the product of its gates.
inline Dense device_unitary(const hw::DeviceCircuit& c) {
  Dense u = identity(1 << c.num_qubits);
  for (const hw::DeviceGate& g : c.gates) u = device_gate_matrix(c.num_qubits, g) * u;
  return u;
}

/// |<x| U |0...0>|^2 of a device circuit's unitary U.
inline std::vector<double> device_probabilities(const hw::DeviceCircuit& c) {
  const Dense u = device_unitary(c);
  std::vector<double> p(u.dim);
  for (int x = 0; x < u.dim; ++x) p[x] = std::norm(u(x, 0));
  return p;
}

/// max |a - e^{i phi} b| over entries, for the phase that matches the largest entry of b.
inline double difference_up_to_phase(const Dense& a, const Dense& b) {
  std::size_t k = 0;
  for (std::size_t i = 0; i < b.a.size(); ++i)
    if (std::abs(b.a[i]) > std::abs(b.a[k])) k = i;
  const Complex phase = a.a[k] / b.a[k];
  double d = std::abs(std::abs(phase) - 1.0);
  for (std::size_t i = 0; i < a.a.size(); ++i) d = std::max(d, std::abs(a.a[i] - phase * b.a[i]));
  return d;
}

}  // namespace qgen::testing
