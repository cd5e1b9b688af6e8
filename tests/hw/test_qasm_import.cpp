// OpenQASM import of device circuits: qgen's own export parsed back equals the device circuit
// it was written from (gates, device qubits, angles bit for bit, measurement map); the parsed
// circuit run by device_circuit_probabilities gives NoisyEmulator's probabilities (noisy, routed,
// both methods' density matrix); shots drawn from it agree with them within shot noise; angle
// expressions; every refused statement names its line.
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

#include "../support/dense_reference.hpp"
#include "../support/expect_error.hpp"
#include "../support/temp_dir.hpp"
#include "shipped_devices.hpp"
#include "qgen/circuits/ansatz.hpp"
#include "qgen/core/errors.hpp"
#include "qgen/hw/noisy_emulator.hpp"
#include "qgen/hw/qasm_import.hpp"
#include "qgen/sim/sampling.hpp"

namespace qgen::hw {
namespace {

using testing::guadalupe;

using testing::expect_error;


/// A 5-star: routed on heavy-hex (SWAPs, ancillas, a permuted readout).
sim::Circuit star() {
  sim::Circuit c(5);
  for (int q = 0; q < 5; ++q) c.rot(q, sim::Angle::of(3 * q), sim::Angle::of(3 * q + 1), sim::Angle::of(3 * q + 2));
  for (int leaf = 1; leaf < 5; ++leaf) c.cnot(0, leaf);
  c.x(3);
  return c;
}

TEST(QasmImport, ExportParsedBackEqualsTheDeviceCircuit) {
  const sim::Circuit a1 = circuits::build_qcbm_circuit({1, 6, 2, 0, circuits::InitialState::zero});
  for (const sim::Circuit* c : {&a1, static_cast<const sim::Circuit*>(nullptr)}) {
    const sim::Circuit s = star();
    const sim::Circuit& circuit = c ? *c : s;
    const NoisyEmulator e(guadalupe(), circuit);
    const auto theta = testing::random_parameters(circuit.num_parameters(), 9);
    const DeviceCircuit dc = e.device_circuit(theta);
    const DeviceProgram p = read_device_qasm(e.qasm(theta), guadalupe(), "export.qasm");
    const std::vector<int>& physical = e.layout().physical;
    EXPECT_EQ(p.circuit.num_qubits, guadalupe().num_qubits());
    ASSERT_EQ(p.circuit.gates.size(), dc.gates.size());
    for (std::size_t i = 0; i < dc.gates.size(); ++i) {
      const DeviceGate &a = p.circuit.gates[i], &b = dc.gates[i];
      EXPECT_EQ(a.gate, b.gate) << i;
      EXPECT_EQ(a.qubits[0], physical[b.qubits[0]]) << i;
      if (b.gate == BasisGate::cx) {
        EXPECT_EQ(a.qubits[1], physical[b.qubits[1]]) << i;
      }
      EXPECT_EQ(a.angle, b.angle) << i;  // 17 digits: the same double
    }
    ASSERT_EQ(p.measured.size(), static_cast<std::size_t>(circuit.num_qubits()));
    for (int k = 0; k < circuit.num_qubits(); ++k) EXPECT_EQ(p.measured[k], physical[e.layout().final[k]]);
    if (!c) {
      EXPECT_GT(e.layout().swaps, 0);  // the star was routed
    }
  }
}

TEST(QasmImport, ParsedCircuitsGiveTheEmulatorsProbabilities) {
  const sim::Circuit s = star();
  const sim::Circuit a2 = circuits::build_qcbm_circuit({2, 8, 1, 4, circuits::InitialState::zero});
  for (const sim::Circuit* c : {&s, &a2}) {
    EmulatorOptions o;
    o.noise.over_rotation = 0.02;
    o.noise.drift = 0.05;
    const NoisyEmulator e(guadalupe(), *c, o);
    const std::vector<std::vector<double>> thetas{testing::random_parameters(c->num_parameters(), 3),
                                                  testing::random_parameters(c->num_parameters(), 4)};
    std::vector<DeviceCircuit> parsed;
    Layout layout;
    for (const auto& theta : thetas) {
      const CompactProgram p = compact_program(read_device_qasm(e.qasm(theta), guadalupe(), "x.qasm"));
      parsed.push_back(p.circuit);
      layout = p.layout;
    }
    const std::uint32_t batch = 5;
    const auto got = device_circuit_probabilities(NoiseModel(guadalupe(), o.noise), parsed, layout, o, batch);
    const auto want = e.probabilities(thetas, batch);
    for (std::size_t i = 0; i < thetas.size(); ++i) {
      EXPECT_LT(testing::max_difference(got[i], want[i]), 1e-12) << c->num_qubits() << " qubits, circuit " << i;
      // The compact register is ordered differently from the emulator's (ascending device
      // qubits), so this is not the same computation: the permutation and ancillas are undone.
    }
    // Shots from the parsed circuit's distribution: within 5 standard deviations everywhere.
    const std::uint64_t shots = 200000;
    core::RandomStream stream(7, 1);
    const auto counts = sim::sample_counts(got[0], shots, stream);
    for (std::size_t x = 0; x < counts.size(); ++x) {
      const double p = want[0][x], f = static_cast<double>(counts[x]) / shots;
      EXPECT_LE(std::abs(f - p), 5 * std::sqrt(p * (1 - p) / shots) + 1e-6) << x;
    }
  }
}

TEST(QasmImport, CompactRegisterIsTheUsedQubitsAscending) {
  const DeviceProgram p = read_device_qasm(
      "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[16];\ncreg c[2];\n"
      "x q[4];\ncx q[1],q[4];  // a comment\nbarrier q[1],q[4];\nmeasure q[4] -> c[0];\nmeasure q[1] -> c[1];\n",
      guadalupe(), "t");
  const CompactProgram c = compact_program(p);
  EXPECT_EQ(c.layout.physical, (std::vector<int>{1, 4}));
  EXPECT_EQ(c.layout.final, (std::vector<int>{1, 0}));
  ASSERT_EQ(c.circuit.gates.size(), 2u);
  EXPECT_EQ(c.circuit.gates[1].qubits, (std::array<int, 2>{0, 1}));
  // x on q[4], measured into c[0]: qgen's outcome 0b10, noiseless.
  EmulatorOptions o;
  o.noise.gate_errors = o.noise.relaxation = o.noise.readout = false;
  const std::vector<DeviceCircuit> one{c.circuit};
  const auto probabilities = device_circuit_probabilities(NoiseModel(guadalupe(), o.noise), one, c.layout, o, 0);
  // cx(1, 4) with q[1] = 0 does nothing: c[0] = 1, c[1] = 0, qgen's index 0b10 = 2.
  EXPECT_NEAR(probabilities[0][2], 1.0, 1e-12);
}

TEST(QasmImport, AngleExpressions) {
  const auto angle = [](const std::string& expression) {
    const std::string text = "OPENQASM 2.0;\nqreg q[1];\ncreg c[1];\nrz(" + expression + ") q[0];\nmeasure q -> c;\n";
    return read_device_qasm(text, guadalupe(), "t").circuit.gates.at(0).angle;
  };
  const double pi = std::numbers::pi;
  EXPECT_EQ(angle("0.25"), 0.25);
  EXPECT_EQ(angle("-1.5e-3"), -1.5e-3);
  EXPECT_DOUBLE_EQ(angle("pi/2"), pi / 2);
  EXPECT_DOUBLE_EQ(angle("-pi/2"), -pi / 2);
  EXPECT_DOUBLE_EQ(angle("3*pi/4"), 3 * pi / 4);
  EXPECT_DOUBLE_EQ(angle("0.5 + (pi - 1) * 2"), 0.5 + (pi - 1) * 2);
}

TEST(QasmImport, RefusedStatementsNameFileAndLine) {
  const std::string head = "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[16];\ncreg c[2];\n";  // 4 lines
  const std::string tail = "measure q[0] -> c[0];\nmeasure q[1] -> c[1];\n";
  const std::vector<std::pair<std::string, std::string>> cases{
      {head + "h q[0];\n" + tail, "f.qasm line 5: 'h' is not supported"},
      {head + "cx q[0],q[2];\n" + tail, "line 5: cx q[0],q[2]: ibmq_guadalupe has no cx from 0 to 2"},
      {head + "x q[16];\n" + tail, "line 5: q[16] is outside qreg q[16]"},
      {head + "x r[1];\n" + tail, "line 5: 'r' is not the quantum register 'q'"},
      {head + "x q[1]\n" + tail, "line 5: 'x q[1]' does not end with ';'"},
      {head + "rz(abc) q[1];\n" + tail, "line 5: expected a number or pi"},
      {head + "rz(0.5 q[1];\n" + tail, "line 5: expected ')'"},
      {head + tail + "x q[0];\n", "line 7: a gate on q[0] after its measurement"},
      {head + tail + "measure q[2] -> c[1];\n", "line 7: c[1] is measured twice"},
      {head + tail + "measure q[0] -> c[2];\n", "line 7: c[2] is outside creg c[2]"},
      {head + "measure q[0] -> c[0];\n", "f.qasm: c[1] is never measured"},
      {"qreg q[2];\n", "line 1: the file does not begin with 'OPENQASM 2.0;'"},
      {"OPENQASM 3.0;\n", "line 1: OpenQASM version '3.0'"},
      {"", "f.qasm: empty"},
      {"OPENQASM 2.0;\nqreg q[17];\n", "line 2: qreg of 17 qubits; ibmq_guadalupe has 16"},
      {"OPENQASM 2.0;\nqreg q[2];\nqreg r[2];\n", "line 3: a second qreg"},
  };
  for (const auto& c : cases)
    expect_error<core::DataError>([&] { read_device_qasm(c.first, guadalupe(), "f.qasm"); }, c.second);
}

}  // namespace
}  // namespace qgen::hw
