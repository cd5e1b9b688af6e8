#include "dense_reference.hpp"

#include <algorithm>
#include <cmath>
#include <random>
#include <stdexcept>

namespace qgen::testing {

Dense zeros(int dim) { return Dense{dim, std::vector<Complex>(static_cast<std::size_t>(dim) * dim)}; }

Dense identity(int dim) {
  Dense m = zeros(dim);
  for (int k = 0; k < dim; ++k) m(k, k) = 1.0;
  return m;
}

Dense kron(const Dense& x, const Dense& y) {
  Dense m = zeros(x.dim * y.dim);
  for (int r1 = 0; r1 < x.dim; ++r1)
    for (int c1 = 0; c1 < x.dim; ++c1)
      for (int r2 = 0; r2 < y.dim; ++r2)
        for (int c2 = 0; c2 < y.dim; ++c2)
          m(r1 * y.dim + r2, c1 * y.dim + c2) = x(r1, c1) * y(r2, c2);
  return m;
}

Dense operator*(const Dense& x, const Dense& y) {
  Dense m = zeros(x.dim);
  for (int r = 0; r < x.dim; ++r)
    for (int k = 0; k < x.dim; ++k) {
      const Complex xrk = x(r, k);
      if (xrk == 0.0) continue;
      for (int c = 0; c < x.dim; ++c) m(r, c) += xrk * y(k, c);
    }
  return m;
}

Dense operator+(const Dense& x, const Dense& y) {
  Dense m = x;
  for (std::size_t k = 0; k < m.a.size(); ++k) m.a[k] += y.a[k];
  return m;
}

Dense operator*(Complex s, const Dense& x) {
  Dense m = x;
  for (Complex& v : m.a) v *= s;
  return m;
}

std::vector<Complex> operator*(const Dense& m, const std::vector<Complex>& v) {
  std::vector<Complex> out(m.dim);
  for (int r = 0; r < m.dim; ++r)
    for (int c = 0; c < m.dim; ++c) out[r] += m(r, c) * v[c];
  return out;
}

namespace pauli {
Dense i() { return identity(2); }
Dense x() { return Dense{2, {0.0, 1.0, 1.0, 0.0}}; }
Dense y() { return Dense{2, {0.0, Complex(0, -1), Complex(0, 1), 0.0}}; }
Dense z() { return Dense{2, {1.0, 0.0, 0.0, -1.0}}; }
}  // namespace pauli

Dense pauli_rotation(const Dense& p, double angle) {
  return std::cos(angle / 2) * identity(2) + Complex(0, -std::sin(angle / 2)) * p;
}

Dense embed(int num_qubits, std::span<const int> qubits, const Dense& m) {
  const int k = static_cast<int>(qubits.size());
  Dense full = zeros(1 << num_qubits);
  for (int r = 0; r < m.dim; ++r)
    for (int c = 0; c < m.dim; ++c) {
      if (m(r, c) == 0.0) continue;
      Dense term = identity(1);
      for (int q = 0; q < num_qubits; ++q) {
        const auto it = std::find(qubits.begin(), qubits.end(), q);
        if (it == qubits.end()) {
          term = kron(term, identity(2));
        } else {
          const int j = static_cast<int>(it - qubits.begin());
          Dense unit = zeros(2);  // |r_j><c_j|
          unit((r >> (k - 1 - j)) & 1, (c >> (k - 1 - j)) & 1) = 1.0;
          term = kron(term, unit);
        }
      }
      full = full + m(r, c) * term;
    }
  return full;
}

Dense operation_matrix(int n, const sim::Operation& op, std::span<const double> parameters) {
  using sim::GateKind;
  std::vector<double> angle(3);
  for (int a = 0; a < op.num_angles(); ++a) angle[a] = op.angles[a].value(parameters);
  const int q0 = op.qubits[0], q1 = op.qubits[1];
  const std::vector<int> one{q0}, two{q0, q1};
  const double r = 1.0 / std::sqrt(2.0);
  switch (op.kind) {
    case GateKind::H: return embed(n, one, r * (pauli::x() + pauli::z()));
    case GateKind::X: return embed(n, one, pauli::x());
    case GateKind::Y: return embed(n, one, pauli::y());
    case GateKind::Z: return embed(n, one, pauli::z());
    case GateKind::RX: return embed(n, one, pauli_rotation(pauli::x(), angle[0]));
    case GateKind::RY: return embed(n, one, pauli_rotation(pauli::y(), angle[0]));
    case GateKind::RZ: return embed(n, one, pauli_rotation(pauli::z(), angle[0]));
    case GateKind::Rot:
      return embed(n, one,
                   pauli_rotation(pauli::z(), angle[2]) * pauli_rotation(pauli::y(), angle[1]) *
                       pauli_rotation(pauli::z(), angle[0]));
    case GateKind::CNOT: {
      // |0><0| (x) I + |1><1| (x) X
      const Dense p0{2, {1.0, 0.0, 0.0, 0.0}}, p1{2, {0.0, 0.0, 0.0, 1.0}};
      return embed(n, two, kron(p0, pauli::i()) + kron(p1, pauli::x()));
    }
    case GateKind::CZ: {
      const Dense p0{2, {1.0, 0.0, 0.0, 0.0}}, p1{2, {0.0, 0.0, 0.0, 1.0}};
      return embed(n, two, kron(p0, pauli::i()) + kron(p1, pauli::z()));
    }
    case GateKind::SWAP:
      // (I I + X X + Y Y + Z Z) / 2
      return embed(n, two,
                   0.5 * (kron(pauli::i(), pauli::i()) + kron(pauli::x(), pauli::x()) +
                          kron(pauli::y(), pauli::y()) + kron(pauli::z(), pauli::z())));
  }
  throw std::logic_error("reference: unknown gate");
}

std::vector<Complex> reference_state(const sim::Circuit& circuit,
                                     std::span<const double> parameters) {
  std::vector<Complex> psi(std::size_t{1} << circuit.num_qubits());
  psi[0] = 1.0;
  for (const sim::Operation& op : circuit.operations())
    psi = operation_matrix(circuit.num_qubits(), op, parameters) * psi;
  return psi;
}

std::vector<double> reference_probabilities(const sim::Circuit& circuit,
                                            std::span<const double> parameters) {
  const auto psi = reference_state(circuit, parameters);
  std::vector<double> p(psi.size());
  for (std::size_t i = 0; i < psi.size(); ++i) p[i] = std::norm(psi[i]);
  return p;
}

std::vector<Complex> random_state(int num_qubits, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> normal;
  std::vector<Complex> psi(std::size_t{1} << num_qubits);
  double norm = 0.0;
  for (Complex& a : psi) {
    a = {normal(rng), normal(rng)};
    norm += std::norm(a);
  }
  for (Complex& a : psi) a /= std::sqrt(norm);
  return psi;
}

Dense random_unitary(int dim, std::uint64_t seed) {
  // Gram-Schmidt on the columns of a complex Gaussian matrix.
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> normal;
  Dense m = zeros(dim);
  for (Complex& v : m.a) v = {normal(rng), normal(rng)};
  for (int c = 0; c < dim; ++c) {
    for (int p = 0; p < c; ++p) {
      Complex dot = 0.0;
      for (int r = 0; r < dim; ++r) dot += std::conj(m(r, p)) * m(r, c);
      for (int r = 0; r < dim; ++r) m(r, c) -= dot * m(r, p);
    }
    double norm = 0.0;
    for (int r = 0; r < dim; ++r) norm += std::norm(m(r, c));
    for (int r = 0; r < dim; ++r) m(r, c) /= std::sqrt(norm);
  }
  return m;
}

std::vector<double> random_parameters(int count, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> angle(0.0, 2.0 * M_PI);
  std::vector<double> theta(count);
  for (double& t : theta) t = angle(rng);
  return theta;
}

double max_difference(std::span<const Complex> a, std::span<const Complex> b) {
  if (a.size() != b.size()) return INFINITY;
  double d = 0.0;
  for (std::size_t i = 0; i < a.size(); ++i) d = std::max(d, std::abs(a[i] - b[i]));
  return d;
}

double max_difference(std::span<const double> a, std::span<const double> b) {
  if (a.size() != b.size()) return INFINITY;
  double d = 0.0;
  for (std::size_t i = 0; i < a.size(); ++i) d = std::max(d, std::abs(a[i] - b[i]));
  return d;
}

}  // namespace qgen::testing
