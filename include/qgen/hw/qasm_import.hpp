// Reading back OpenQASM 2.0 circuits in a device's basis: what `qgen serve-exchange` runs.
//
// The subset qgen writes for a device (qasm_export.hpp), one statement per `;`:
//   OPENQASM 2.0;                 first statement
//   include "qelib1.inc";         (any include is accepted and ignored: the gates below are fixed)
//   qreg q[N];  creg c[M];        one of each, N <= the device's qubits (q[i] is device qubit i)
//   rz(angle) q[i];               angle: a number, pi, + - * / and parentheses (Qiskit writes pi/2)
//   sx q[i];  x q[i];
//   cx q[i],q[j];                 only where the device has cx(i, j)
//   barrier ...;                  ignored
//   measure q[i] -> c[k];         or `measure q -> c;` (N = M): q[k] into c[k]
// and `//` comments. Every c[k] is measured exactly once, no qubit twice, and no gate follows a
// measurement of its qubit. Anything else (another gate, a statement spread over lines, a qubit
// outside the register, a bad number) is one core::DataError "<file> line <n>: <what>".
//
// Bit order as on the device: c[k] is bit k of the outcome, read into qgen's basis index with
// bit 0 (c[0]) the most significant, the convention of Backend::Counts (backend.hpp).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "qgen/hw/device_model.hpp"
#include "qgen/hw/layout.hpp"
#include "qgen/hw/transpile.hpp"

namespace qgen::hw {

/// A device circuit as its OpenQASM file says it: gates on device qubits, and the qubit measured
/// into each classical bit.
struct DeviceProgram {
  DeviceCircuit circuit;      // num_qubits = the device's qubits; gates on device qubit numbers
  std::vector<int> measured;  // measured[k]: the device qubit measured into c[k]
};

/// Parses `text` (from the file `where`, for messages) for `device`.
DeviceProgram read_device_qasm(std::string_view text, const DeviceModel& device, const std::string& where);

/// The program on its compact register, as the emulator runs it (noisy_emulator.hpp): the device
/// qubits it uses (gates or measurements), ascending, as compact qubits 0..C-1
/// (layout.physical), and layout.final[k] the compact qubit measured into c[k].
struct CompactProgram {
  DeviceCircuit circuit;
  Layout layout;
};
CompactProgram compact_program(const DeviceProgram& program);

}  // namespace qgen::hw
