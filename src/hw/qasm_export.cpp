#include "qgen/hw/qasm_export.hpp"

#include <sstream>
#include <stdexcept>

namespace qgen::hw {

std::string to_openqasm2(const sim::Circuit& circuit, std::span<const double> parameters,
                         const QasmOptions& options) {
  if (static_cast<int>(parameters.size()) < circuit.num_parameters())
    throw std::invalid_argument("qasm export: the circuit uses " +
                                std::to_string(circuit.num_parameters()) + " parameters, " +
                                std::to_string(parameters.size()) + " given");
  std::ostringstream out;
  out.precision(options.precision);
  const int n = circuit.num_qubits();
  out << "OPENQASM 2.0;\ninclude \"qelib1.inc\";\n";
  out << "qreg q[" << n << "];\n";
  if (options.measure) out << "creg c[" << n << "];\n";

  using sim::GateKind;
  for (std::size_t i = 0; i < circuit.size(); ++i) {
    const sim::Operation& op = circuit[i];
    const auto a = sim::angle_values(op, parameters);
    const int q0 = op.qubits[0], q1 = op.qubits[1];
    switch (op.kind) {
      case GateKind::H:
      case GateKind::X:
      case GateKind::Y:
      case GateKind::Z: out << core::name_of(op.kind) << " q[" << q0 << "];\n"; break;
      case GateKind::RX:
      case GateKind::RY:
      case GateKind::RZ: out << core::name_of(op.kind) << "(" << a[0] << ") q[" << q0 << "];\n"; break;
      case GateKind::Rot:
        out << "u3(" << a[1] << "," << a[2] << "," << a[0] << ") q[" << q0 << "];\n";
        break;
      case GateKind::CNOT: out << "cx q[" << q0 << "],q[" << q1 << "];\n"; break;
      case GateKind::CZ: out << "cz q[" << q0 << "],q[" << q1 << "];\n"; break;
      case GateKind::SWAP: out << "swap q[" << q0 << "],q[" << q1 << "];\n"; break;
    }
  }
  if (options.measure) out << "measure q -> c;\n";
  return out.str();
}

}  // namespace qgen::hw
