#include "qgen/sim/circuit.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace qgen::sim {

int num_qubits_of(GateKind kind) {
  return (kind == GateKind::CNOT || kind == GateKind::CZ || kind == GateKind::SWAP) ? 2 : 1;
}

int num_angles_of(GateKind kind) {
  switch (kind) {
    case GateKind::RX:
    case GateKind::RY:
    case GateKind::RZ: return 1;
    case GateKind::Rot: return 3;
    default: return 0;
  }
}

bool is_diagonal(GateKind kind) {
  return kind == GateKind::Z || kind == GateKind::RZ || kind == GateKind::CZ;
}

Circuit::Circuit(int num_qubits) : num_qubits_(num_qubits) {
  if (num_qubits < 1) throw std::invalid_argument("circuit: needs at least one qubit");
}

void Circuit::add(const Operation& op) {
  const int nq = op.num_qubits();
  for (int k = 0; k < nq; ++k)
    if (op.qubits[k] < 0 || op.qubits[k] >= num_qubits_)
      throw std::out_of_range("circuit: " + core::name_of(op.kind) + " on qubit " +
                              std::to_string(op.qubits[k]) + " of a " +
                              std::to_string(num_qubits_) + "-qubit circuit");
  if (nq == 2 && op.qubits[0] == op.qubits[1])
    throw std::invalid_argument("circuit: " + core::name_of(op.kind) + " on the same qubit twice");
  Operation stored = op;
  if (nq == 1) stored.qubits[1] = -1;
  for (int a = 0; a < op.num_angles(); ++a)
    num_parameters_ = std::max(num_parameters_, op.angles[a].parameter + 1);
  operations_.push_back(stored);
}

void Circuit::append(const Circuit& other) {
  if (other.num_qubits_ != num_qubits_)
    throw std::invalid_argument("circuit: appending a circuit on another number of qubits");
  for (const Operation& op : other.operations_) add(op);
}

void check_parameter_count(const Circuit& circuit, std::span<const double> parameters,
                           const char* who) {
  if (static_cast<int>(parameters.size()) < circuit.num_parameters())
    throw std::invalid_argument(std::string(who) + ": " + std::to_string(parameters.size()) +
                                " parameters given, the circuit uses " +
                                std::to_string(circuit.num_parameters()));
}

std::array<double, 3> angle_values(const Operation& op, std::span<const double> parameters,
                                   const AngleEdit& edit, int op_index) {
  std::array<double, 3> values{};
  for (int a = 0; a < op.num_angles(); ++a) {
    values[a] = op.angles[a].value(parameters);
    if (edit.applies_to(op_index) && edit.angle == a) values[a] += edit.delta;
  }
  return values;
}

Matrix2 matrix1(GateKind kind, const std::array<double, 3>& a) {
  switch (kind) {
    case GateKind::H: return gates::hadamard();
    case GateKind::X: return gates::pauli_x();
    case GateKind::Y: return gates::pauli_y();
    case GateKind::Z: return gates::pauli_z();
    case GateKind::RX: return gates::rx(a[0]);
    case GateKind::RY: return gates::ry(a[0]);
    case GateKind::RZ: return gates::rz(a[0]);
    case GateKind::Rot: return gates::rot(a[0], a[1], a[2]);
    default: throw std::invalid_argument("matrix1: " + core::name_of(kind) + " is not a one-qubit gate");
  }
}

Matrix2 matrix1_with_generator(GateKind kind, const std::array<double, 3>& a, int angle) {
  switch (kind) {
    case GateKind::RX: return gates::pauli_x() * gates::rx(a[0]);
    case GateKind::RY: return gates::pauli_y() * gates::ry(a[0]);
    case GateKind::RZ: return gates::pauli_z() * gates::rz(a[0]);
    case GateKind::Rot:
      if (angle == 0) return gates::rot(a[0], a[1], a[2]) * gates::pauli_z();
      if (angle == 1)
        return gates::rz(a[2]) * gates::ry(a[1]) * gates::pauli_y() * gates::rz(a[0]);
      return gates::pauli_z() * gates::rot(a[0], a[1], a[2]);
    default:
      throw std::invalid_argument("matrix1_with_generator: " + core::name_of(kind) +
                                  " has no angle");
  }
}

std::array<Matrix2, 3> generator_frames(GateKind kind, const std::array<double, 3>& angles,
                                        const Matrix2& u) {
  switch (kind) {
    case GateKind::RX: return {gates::pauli_x()};
    case GateKind::RY: return {gates::pauli_y()};
    case GateKind::RZ: return {gates::pauli_z()};
    case GateKind::Rot: {
      // theta: RZ(omega) Y RZ(omega)^+, Y rotated about z by omega.
      const double c = std::cos(angles[2]), s = std::sin(angles[2]);
      const Matrix2 y_turned{{0.0, Complex(-s, -c), Complex(-s, c), 0.0}};
      return {u * gates::pauli_z() * adjoint(u), y_turned, gates::pauli_z()};
    }
    default:
      throw std::invalid_argument("generator_frames: " + core::name_of(kind) + " has no angle");
  }
}

Matrix4 matrix2(GateKind kind) {
  switch (kind) {
    case GateKind::CNOT: return gates::cnot();
    case GateKind::CZ: return gates::cz();
    case GateKind::SWAP: return gates::swap();
    default: throw std::invalid_argument("matrix2: " + core::name_of(kind) + " is not a two-qubit gate");
  }
}

}  // namespace qgen::sim
