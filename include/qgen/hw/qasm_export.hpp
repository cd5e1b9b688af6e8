// OpenQASM 2.0 export of a bound circuit, in qelib1.inc gates, for submission to hardware.
//
// Gate mapping (each exact up to a global phase, which no measurement sees):
//   H, X, Y, Z          h, x, y, z
//   RX(a), RY(a)        rx(a), ry(a)          qelib1's rx, ry equal PennyLane's exactly
//   RZ(a)               rz(a)                 qelib1's rz = diag(1, e^{ia}) = e^{ia/2} RZ(a)
//   Rot(phi,theta,omega) u3(theta, omega, phi) RZ(omega)RY(theta)RZ(phi) = e^{-i(phi+omega)/2}
//                                              u3(theta, omega, phi)
//   CNOT, CZ, SWAP      cx, cz, swap
// Qubit k of qgen is q[k] and is measured into c[k]. Qiskit prints a counts key as
// c[Q-1]...c[0], so qgen's basis index (qubit 0 most significant) is that key read backwards.
// Both exports say so in a comment after the header.
//
// A transpiled, laid-out circuit (transpile.hpp, layout.hpp) is written for its device: qreg q
// over all the device's qubits, rz/sx/x/cx on device qubits, and circuit qubit k measured into
// c[k] from the device qubit it ends on, so a counts key maps to circuit qubits whatever the
// layout and its SWAPs did. Comment lines after the header give the device, the layout, the SWAP
// count and the bit order.
#pragma once

#include <span>
#include <string>

#include "qgen/hw/device_model.hpp"
#include "qgen/hw/layout.hpp"
#include "qgen/hw/transpile.hpp"
#include "qgen/sim/circuit.hpp"

namespace qgen::hw {

struct QasmOptions {
  bool measure = true;  // append `measure q -> c`
  int precision = 17;   // significant digits of angles: enough to round-trip a double
};

std::string to_openqasm2(const sim::Circuit& circuit, std::span<const double> parameters,
                         const QasmOptions& options = {});

/// `circuit` (on the compact qubits of `layout`) for `device`.
std::string to_openqasm2(const DeviceCircuit& circuit, const Layout& layout,
                         const DeviceModel& device, const QasmOptions& options = {});

}  // namespace qgen::hw
