// Translation of a bound circuit into a device's basis gates rz, sx, x, cx.
//
// Basis matrices (Qiskit's): rz(a) = diag(e^{-ia/2}, e^{ia/2}) (= PennyLane's RZ),
// sx = [[1+i, 1-i], [1-i, 1+i]]/2 = e^{i pi/4} RX(pi/2), x = X, cx = CNOT(control, target).
//
// Decompositions, in circuit order, each exact up to a global phase (checked against dense
// matrices in tests/hw/test_transpile.cpp):
//   Rot(phi, theta, omega) = RZ(omega) RY(theta) RZ(phi)   rz(phi) sx rz(theta + pi) sx rz(omega + pi)
//   RY(a) = Rot(0, a, 0),  RX(a) = Rot(pi/2, a, -pi/2)     as Rot
//   RZ(a)                                                  rz(a)
//   H                                                      rz(pi/2) sx rz(pi/2)
//   X, Y, Z                                                x;  rz(pi) x;  rz(pi)
//   CNOT(c, t)                                             cx(c, t), or, where only cx(t, c)
//                                                          exists, H H cx(t, c) H H
//   CZ(a, b)                                               H(b) CNOT(a, b) H(b)
//   SWAP(a, b)                                             CNOT(a, b) CNOT(b, a) CNOT(a, b)
// Consecutive rz on a qubit are merged (rz is a frame change on IBM devices: exact and free).
// The sequence of gate kinds never depends on angle values (no gate is dropped for a zero
// angle), so circuits that differ in one angle have the same structure: their noise sites line
// up, and a batch of them shares its common prefix (sim/shared_prefixes.hpp).
#pragma once

#include <array>
#include <functional>
#include <span>
#include <vector>

#include "qgen/hw/device_model.hpp"
#include "qgen/sim/circuit.hpp"
#include "qgen/sim/gate_matrix.hpp"

namespace qgen::hw {

struct DeviceGate {
  BasisGate gate;
  std::array<int, 2> qubits{-1, -1};  // cx: (control, target)
  double angle = 0.0;                 // rz only, radians
};

struct DeviceCircuit {
  int num_qubits = 0;
  std::vector<DeviceGate> gates;
};

/// Whether cx(control, target) may be used; an empty function allows every pair.
using CxAvailable = std::function<bool(int control, int target)>;

/// `circuit` bound to `parameters` in the basis rz, sx, x, cx, on the same qubits.
/// core::InternalError if a two-qubit gate meets a pair with no cx in either direction (lay the
/// circuit out first: layout.hpp).
DeviceCircuit transpile(const sim::Circuit& circuit, std::span<const double> parameters,
                        const CxAvailable& cx_available = {});

/// The matrix of a one-qubit basis gate.
sim::Matrix2 basis_matrix(BasisGate gate, double angle = 0.0);

/// Number of sx and x pulses each gate kind becomes (what a layout weighs qubit errors by).
int pulses_of(sim::GateKind kind);

}  // namespace qgen::hw
