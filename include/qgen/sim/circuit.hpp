// A circuit whose gate angles refer to parameter slots.
//
// Every angle of a gate is an Angle: either a constant, or `scale * theta[parameter] + offset`.
// The same Circuit object therefore serves forward simulation (bind a parameter vector), the
// parameter-shift rule (bind it with one angle moved by +-pi/2) and adjoint differentiation (walk
// the gates backwards and ask which parameter an angle depends on), without ever being rebuilt.
// Gates follow gate_matrix.hpp; qubit 0 is the most significant bit of a basis index.
#pragma once

#include <array>
#include <span>
#include <string>
#include <vector>

#include "qgen/core/enum_names.hpp"
#include "qgen/sim/gate_matrix.hpp"

namespace qgen::sim {

enum class GateKind { H, X, Y, Z, RX, RY, RZ, Rot, CNOT, CZ, SWAP };

constexpr auto enum_names(GateKind) {
  using enum GateKind;
  return std::array{core::EnumName{H, "h"}, core::EnumName{X, "x"}, core::EnumName{Y, "y"}, core::EnumName{Z, "z"}, core::EnumName{RX, "rx"}, core::EnumName{RY, "ry"}, core::EnumName{RZ, "rz"}, core::EnumName{Rot, "rot"}, core::EnumName{CNOT, "cnot"}, core::EnumName{CZ, "cz"}, core::EnumName{SWAP, "swap"}};
}
int num_qubits_of(GateKind kind);   // 1 or 2
int num_angles_of(GateKind kind);   // 0, 1 (RX, RY, RZ) or 3 (Rot: phi, theta, omega)
bool is_diagonal(GateKind kind);    // Z, RZ, CZ: diagonal in the computational basis

struct Angle {
  int parameter = -1;  // parameter slot, or -1 for a constant angle
  double scale = 1.0;
  double offset = 0.0;

  static Angle constant(double value) { return {-1, 1.0, value}; }
  static Angle of(int parameter, double scale = 1.0, double offset = 0.0) {
    return {parameter, scale, offset};
  }
  bool is_parameterized() const { return parameter >= 0; }
  double value(std::span<const double> parameters) const {
    return is_parameterized() ? scale * parameters[parameter] + offset : offset;
  }
};

struct Operation {
  GateKind kind;
  std::array<int, 2> qubits{-1, -1};  // the second is -1 for one-qubit gates
  std::array<Angle, 3> angles{};      // the first num_angles_of(kind) are used

  int num_qubits() const { return num_qubits_of(kind); }
  int num_angles() const { return num_angles_of(kind); }
  bool acts_on(int qubit) const { return qubits[0] == qubit || qubits[1] == qubit; }
};

/// A change to one angle of one operation, applied when the circuit is bound to parameters.
///  - `delta`: the angle is moved by delta radians (a parameter-shift circuit: +-pi/2).
///  - `generator`: the angle's rotation exp(-i a P/2) (P = X, Y or Z) is replaced by
///    P exp(-i a P/2) = 2i d/da exp(-i a P/2). Since exp(-i(a +- pi/2)P/2) =
///    exp(-i a P/2)(I -+ iP)/sqrt 2, both shifted circuits follow from the unshifted one and
///    this "generator-inserted" one; the adjoint method uses the same matrices.
struct AngleEdit {
  int operation = -1;  // -1: no edit
  int angle = 0;
  double delta = 0.0;
  bool generator = false;

  bool applies_to(int op_index) const { return operation >= 0 && operation == op_index; }
};

class Circuit {
public:
  explicit Circuit(int num_qubits);

  int num_qubits() const { return num_qubits_; }
  /// One more than the highest parameter slot any angle refers to.
  int num_parameters() const { return num_parameters_; }
  const std::vector<Operation>& operations() const { return operations_; }
  std::size_t size() const { return operations_.size(); }
  const Operation& operator[](std::size_t i) const { return operations_[i]; }

  void add(const Operation& operation);
  void h(int q) { add({GateKind::H, {q, -1}}); }
  void x(int q) { add({GateKind::X, {q, -1}}); }
  void rx(int q, Angle a) { add({GateKind::RX, {q, -1}, {a}}); }
  void ry(int q, Angle a) { add({GateKind::RY, {q, -1}, {a}}); }
  void rz(int q, Angle a) { add({GateKind::RZ, {q, -1}, {a}}); }
  void rot(int q, Angle phi, Angle theta, Angle omega) {
    add({GateKind::Rot, {q, -1}, {phi, theta, omega}});
  }
  void cnot(int control, int target) { add({GateKind::CNOT, {control, target}}); }
  void cz(int a, int b) { add({GateKind::CZ, {a, b}}); }
  void swap(int a, int b) { add({GateKind::SWAP, {a, b}}); }

  /// Appends all operations of `other` (same number of qubits).
  void append(const Circuit& other);

private:
  int num_qubits_;
  int num_parameters_ = 0;
  std::vector<Operation> operations_;
};

/// std::invalid_argument ("`who`: N parameters given, the circuit uses M") when `parameters`
/// has fewer entries than the circuit uses.
void check_parameter_count(const Circuit& circuit, std::span<const double> parameters,
                           const char* who);

/// The angles of `op` for the given parameters, moved by `edit.delta` if the edit names this op.
std::array<double, 3> angle_values(const Operation& op, std::span<const double> parameters,
                                   const AngleEdit& edit = {}, int op_index = -1);

/// The matrix of a one-qubit operation from its angle values.
Matrix2 matrix1(GateKind kind, const std::array<double, 3>& angles);
/// The same with the generator of angle `angle` inserted at its rotation (see AngleEdit):
/// Rot: phi -> Rot Z, theta -> RZ(omega) RY(theta) Y RZ(phi), omega -> Z Rot;
/// RX, RY, RZ -> X RX, Y RY, Z RZ.
Matrix2 matrix1_with_generator(GateKind kind, const std::array<double, 3>& angles, int angle);
/// The same generators as left factors: matrix1_with_generator(kind, angles, a) = P_a U with
/// U = matrix1(kind, angles), P_a Hermitian: X, Y, Z for RX, RY, RZ; for Rot U Z U^+,
/// cos(omega) Y - sin(omega) X and Z. Cheaper than the matrices themselves (one sincos for all
/// of a Rot's angles), and what the adjoint method needs: tr(P_a U S) for every angle from one
/// product U S.
std::array<Matrix2, 3> generator_frames(GateKind kind, const std::array<double, 3>& angles,
                                        const Matrix2& u);
/// The matrix of a two-qubit operation on (qubits[0], qubits[1]).
Matrix4 matrix2(GateKind kind);

}  // namespace qgen::sim
