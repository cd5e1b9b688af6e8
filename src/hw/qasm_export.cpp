#include "qgen/hw/qasm_export.hpp"

#include <sstream>
#include <stdexcept>

#include "qgen/core/errors.hpp"

namespace qgen::hw {
namespace {

/// The header, both registers and (at the end) the measurements of both exports.
class QasmWriter {
public:
  QasmWriter(int num_qubits, int num_bits, const QasmOptions& options)
      : options_(options), num_bits_(num_bits) {
    out_.precision(options.precision);
    out_ << "OPENQASM 2.0;\ninclude \"qelib1.inc\";\n";
    registers_ << "qreg q[" << num_qubits << "];\n";
    if (options.measure) registers_ << "creg c[" << num_bits << "];\n";
  }

  std::ostream& comment() { return out_ << "// "; }
  /// Qiskit prints a counts key the other way round from qgen's basis index: say so in the file.
  void bit_order_comment() {
    comment() << "bit order: qgen writes an outcome with circuit qubit 0 as the most significant"
              << " (leftmost) bit; Qiskit prints a counts key as c[" << num_bits_ - 1
              << "]...c[0], c[0] rightmost: reverse a Qiskit key to read it as qgen does\n";
  }
  /// Ends the comments: the registers follow.
  std::ostream& body() {
    if (!registers_.str().empty()) {
      out_ << registers_.str();
      registers_.str("");
    }
    return out_;
  }
  void one(const std::string& name, int q) { body() << name << " q[" << q << "];\n"; }
  void one(const std::string& name, double angle, int q) {
    body() << name << "(" << angle << ") q[" << q << "];\n";
  }
  void two(const std::string& name, int a, int b) {
    body() << name << " q[" << a << "],q[" << b << "];\n";
  }

  /// `measured_from[k]`: the qubit measured into c[k]; empty: `measure q -> c`.
  std::string finish(const std::vector<int>& measured_from = {}) {
    body();
    if (options_.measure) {
      if (measured_from.empty()) out_ << "measure q -> c;\n";
      for (int k = 0; k < num_bits_ && !measured_from.empty(); ++k)
        out_ << "measure q[" << measured_from[k] << "] -> c[" << k << "];\n";
    }
    return out_.str();
  }

private:
  const QasmOptions& options_;
  int num_bits_;
  std::ostringstream out_;
  std::ostringstream registers_;
};

}  // namespace

std::string to_openqasm2(const sim::Circuit& circuit, std::span<const double> parameters,
                         const QasmOptions& options) {
  if (static_cast<int>(parameters.size()) < circuit.num_parameters())
    throw core::InternalError("qasm export: the circuit uses " +
                                std::to_string(circuit.num_parameters()) + " parameters, " +
                                std::to_string(parameters.size()) + " given");
  const int n = circuit.num_qubits();
  QasmWriter w(n, n, options);
  if (options.measure) w.bit_order_comment();
  using sim::GateKind;
  for (std::size_t i = 0; i < circuit.size(); ++i) {
    const sim::Operation& op = circuit[i];
    const auto a = sim::angle_values(op, parameters);
    const int q0 = op.qubits[0], q1 = op.qubits[1];
    switch (op.kind) {
      case GateKind::H:
      case GateKind::X:
      case GateKind::Y:
      case GateKind::Z: w.one(core::name_of(op.kind), q0); break;
      case GateKind::RX:
      case GateKind::RY:
      case GateKind::RZ: w.one(core::name_of(op.kind), a[0], q0); break;
      case GateKind::Rot:
        w.body() << "u3(" << a[1] << "," << a[2] << "," << a[0] << ") q[" << q0 << "];\n";
        break;
      case GateKind::CNOT: w.two("cx", q0, q1); break;
      case GateKind::CZ: w.two("cz", q0, q1); break;
      case GateKind::SWAP: w.two("swap", q0, q1); break;
    }
  }
  return w.finish();
}

std::string to_openqasm2(const DeviceCircuit& circuit, const Layout& layout,
                         const DeviceModel& device, const QasmOptions& options) {
  if (circuit.num_qubits != static_cast<int>(layout.physical.size()))
    throw core::InternalError("qasm export: a circuit on " + std::to_string(circuit.num_qubits) +
                              " qubits with a layout of " +
                              std::to_string(layout.physical.size()));
  const int q = static_cast<int>(layout.final.size());
  QasmWriter w(device.num_qubits(), q, options);
  w.comment() << "qgen circuit of " << q << " qubits on " << device.name() << " ("
              << layout.swaps << " SWAPs inserted by routing)\n";
  w.comment() << "layout: circuit qubit k starts on q[start k] and is measured from q[end k]"
              << " into c[k]:\n";
  for (int k = 0; k < q; ++k)
    w.comment() << "  " << k << ": start q[" << layout.physical[k] << "], end q["
                << layout.physical[layout.final[k]] << "]\n";
  w.bit_order_comment();
  for (const DeviceGate& g : circuit.gates) {
    const int a = layout.physical.at(g.qubits[0]);
    switch (g.gate) {
      case BasisGate::rz: w.one("rz", g.angle, a); break;
      case BasisGate::sx: w.one("sx", a); break;
      case BasisGate::x: w.one("x", a); break;
      case BasisGate::cx: w.two("cx", a, layout.physical.at(g.qubits[1])); break;
    }
  }
  std::vector<int> measured_from(q);
  for (int k = 0; k < q; ++k) measured_from[k] = layout.physical[layout.final[k]];
  return w.finish(measured_from);
}

}  // namespace qgen::hw
