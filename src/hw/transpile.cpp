#include "qgen/hw/transpile.hpp"

#include <cmath>
#include <numbers>
#include <string>

#include "qgen/core/errors.hpp"

namespace qgen::hw {
namespace {

constexpr double kPi = std::numbers::pi;

/// Appends basis gates, merging each rz into an rz directly before it on the same qubit.
class Builder {
public:
  Builder(int num_qubits, const CxAvailable& cx_available)
      : cx_available_(cx_available), last_(num_qubits, -1) {
    out_.num_qubits = num_qubits;
  }

  void rz(int q, double angle) {
    if (last_[q] >= 0 && out_.gates[last_[q]].gate == BasisGate::rz) {
      out_.gates[last_[q]].angle += angle;
      return;
    }
    push({BasisGate::rz, {q, -1}, angle});
  }
  void sx(int q) { push({BasisGate::sx, {q, -1}}); }
  void x(int q) { push({BasisGate::x, {q, -1}}); }
  void h(int q) {
    rz(q, kPi / 2);
    sx(q);
    rz(q, kPi / 2);
  }
  /// RZ(omega) RY(theta) RZ(phi).
  void rot(int q, double phi, double theta, double omega) {
    rz(q, phi);
    sx(q);
    rz(q, theta + kPi);
    sx(q);
    rz(q, omega + kPi);
  }
  void cnot(int c, int t) {
    if (allowed(c, t)) {
      push({BasisGate::cx, {c, t}});
    } else if (allowed(t, c)) {  // (H x H) CNOT(t, c) (H x H) = CNOT(c, t)
      h(c);
      h(t);
      push({BasisGate::cx, {t, c}});
      h(c);
      h(t);
    } else {
      throw core::InternalError("transpile: no cx between qubits " + std::to_string(c) + " and " +
                                std::to_string(t) + " (the circuit is not laid out)");
    }
  }

  DeviceCircuit take() { return std::move(out_); }

private:
  bool allowed(int c, int t) const { return !cx_available_ || cx_available_(c, t); }
  void push(const DeviceGate& g) {
    out_.gates.push_back(g);
    const int index = static_cast<int>(out_.gates.size()) - 1;
    last_[g.qubits[0]] = index;
    if (g.qubits[1] >= 0) last_[g.qubits[1]] = index;
  }

  const CxAvailable& cx_available_;
  std::vector<int> last_;  // index of the last gate on each qubit
  DeviceCircuit out_;
};

}  // namespace

DeviceCircuit transpile(const sim::Circuit& circuit, std::span<const double> parameters,
                        const CxAvailable& cx_available) {
  sim::check_parameter_count(circuit, parameters, "transpile");
  Builder b(circuit.num_qubits(), cx_available);
  using sim::GateKind;
  for (const sim::Operation& op : circuit.operations()) {
    const auto a = sim::angle_values(op, parameters);
    const int q = op.qubits[0], r = op.qubits[1];
    switch (op.kind) {
      case GateKind::H: b.h(q); break;
      case GateKind::X: b.x(q); break;
      case GateKind::Y:
        b.rz(q, kPi);
        b.x(q);
        break;
      case GateKind::Z: b.rz(q, kPi); break;
      case GateKind::RZ: b.rz(q, a[0]); break;
      case GateKind::RY: b.rot(q, 0.0, a[0], 0.0); break;
      case GateKind::RX: b.rot(q, kPi / 2, a[0], -kPi / 2); break;
      case GateKind::Rot: b.rot(q, a[0], a[1], a[2]); break;
      case GateKind::CNOT: b.cnot(q, r); break;
      case GateKind::CZ:
        b.h(r);
        b.cnot(q, r);
        b.h(r);
        break;
      case GateKind::SWAP:
        b.cnot(q, r);
        b.cnot(r, q);
        b.cnot(q, r);
        break;
    }
  }
  return b.take();
}

sim::Matrix2 basis_matrix(BasisGate gate, double angle) {
  using sim::Complex;
  switch (gate) {
    case BasisGate::rz: return sim::gates::rz(angle);
    case BasisGate::sx:
      return sim::Matrix2{{Complex(0.5, 0.5), Complex(0.5, -0.5), Complex(0.5, -0.5), Complex(0.5, 0.5)}};
    case BasisGate::x: return sim::gates::pauli_x();
    case BasisGate::cx: break;
  }
  throw core::InternalError("basis_matrix: cx is a two-qubit gate");
}

int pulses_of(sim::GateKind kind) {
  using sim::GateKind;
  switch (kind) {
    case GateKind::H:
    case GateKind::X:
    case GateKind::Y: return 1;
    case GateKind::RX:
    case GateKind::RY:
    case GateKind::Rot: return 2;
    case GateKind::Z:
    case GateKind::RZ: return 0;
    case GateKind::CNOT:
    case GateKind::CZ:
    case GateKind::SWAP: return 0;  // two-qubit gates are weighed by their cx error
  }
  return 0;
}

}  // namespace qgen::hw
