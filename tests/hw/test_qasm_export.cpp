// OpenQASM 2.0 export: a small interpreter in the test runs the exported text with qelib1.inc's
// own gate definitions (u3, u1-based rz, ...), and its distribution must equal qgen's.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <regex>
#include <sstream>

#include "../support/dense_reference.hpp"
#include "../support/random_circuit.hpp"
#include "qgen/circuits/ansatz.hpp"
#include "../support/temp_dir.hpp"
#include "qgen/hw/noisy_emulator.hpp"
#include "qgen/hw/qasm_export.hpp"
#include "qgen/sim/simulator.hpp"

namespace qgen::hw {
namespace {

using testing::Complex;
using testing::Dense;

// qelib1.inc: u3(theta,phi,lambda) = [[cos(t/2), -e^{i l} sin(t/2)],
//                                     [e^{i p} sin(t/2), e^{i(p+l)} cos(t/2)]]
Dense u3(double t, double p, double l) {
  const double c = std::cos(t / 2), s = std::sin(t / 2);
  return Dense{2, {c, -std::polar(s, l), std::polar(s, p), std::polar(c, p + l)}};
}

struct QasmOp {
  std::string name;
  std::vector<double> angles;
  std::vector<int> qubits;
};

// Runs OpenQASM text on the qubits it uses (a device-wide qreg of 27 qubits is not simulated
// whole) and returns the distribution of the classical register read as qgen does: c[k] is the
// bit of circuit qubit k, c[0] the most significant. `measure q -> c` measures q[k] into c[k].
std::vector<double> run_qasm(const std::string& text, int expected_bits) {
  std::istringstream in(text);
  std::string line;
  int bits = 0;
  std::vector<QasmOp> ops;
  std::vector<std::pair<int, int>> measures;  // (qubit, bit)
  bool measure_all = false;
  const std::regex one(R"(^(\w+)(?:\(([^)]*)\))? q\[(\d+)\];$)");
  const std::regex two(R"(^(\w+) q\[(\d+)\],q\[(\d+)\];$)");
  const std::regex creg(R"(^creg c\[(\d+)\];$)");
  const std::regex qreg(R"(^qreg q\[(\d+)\];$)");
  const std::regex measure(R"(^measure q\[(\d+)\] -> c\[(\d+)\];$)");
  std::smatch m;
  while (std::getline(in, line)) {
    if (line.rfind("//", 0) == 0 || line.rfind("OPENQASM", 0) == 0 || line.rfind("include", 0) == 0 ||
        std::regex_match(line, m, qreg))
      continue;
    if (std::regex_match(line, m, creg)) bits = std::stoi(m[1]);
    else if (line == "measure q -> c;") measure_all = true;
    else if (std::regex_match(line, m, measure)) measures.push_back({std::stoi(m[1]), std::stoi(m[2])});
    else if (std::regex_match(line, m, two)) ops.push_back({m[1], {}, {std::stoi(m[2]), std::stoi(m[3])}});
    else if (std::regex_match(line, m, one)) {
      QasmOp op{m[1], {}, {std::stoi(m[3])}};
      std::istringstream args(m[2].str());
      for (std::string x; std::getline(args, x, ',');) op.angles.push_back(std::stod(x));
      ops.push_back(op);
    } else {
      ADD_FAILURE() << "unparsed line " << line;
    }
  }
  EXPECT_EQ(bits, expected_bits);
  if (measure_all)
    for (int k = 0; k < bits; ++k) measures.push_back({k, k});
  // Simulate on the qubits used, in ascending order.
  std::vector<int> used;
  for (const QasmOp& op : ops) used.insert(used.end(), op.qubits.begin(), op.qubits.end());
  for (const auto& [q, bit] : measures) used.push_back(q);
  std::sort(used.begin(), used.end());
  used.erase(std::unique(used.begin(), used.end()), used.end());
  const int n = static_cast<int>(used.size());
  auto local = [&](int q) { return static_cast<int>(std::find(used.begin(), used.end(), q) - used.begin()); };
  std::vector<Complex> psi(std::size_t{1} << n, 0.0);
  psi[0] = 1.0;
  for (const QasmOp& op : ops) {
    std::vector<int> q;
    for (int x : op.qubits) q.push_back(local(x));
    Dense g;
    const auto& a = op.angles;
    if (op.name == "cx") g = Dense{4, {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0}};
    else if (op.name == "cz") g = Dense{4, {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, -1}};
    else if (op.name == "swap") g = Dense{4, {1, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 1}};
    else if (op.name == "u3") g = u3(a[0], a[1], a[2]);
    else if (op.name == "rz") g = Dense{2, {1.0, 0.0, 0.0, std::polar(1.0, a[0])}};  // u1
    else if (op.name == "rx") g = u3(a[0], -M_PI / 2, M_PI / 2);
    else if (op.name == "ry") g = u3(a[0], 0, 0);
    else if (op.name == "h") g = u3(M_PI / 2, 0, M_PI);
    else if (op.name == "x") g = u3(M_PI, 0, M_PI);
    else if (op.name == "y") g = u3(M_PI, M_PI / 2, M_PI / 2);
    else if (op.name == "z") g = Dense{2, {1.0, 0.0, 0.0, -1.0}};
    else if (op.name == "sx") g = Dense{2, {Complex(0.5, 0.5), Complex(0.5, -0.5), Complex(0.5, -0.5), Complex(0.5, 0.5)}};
    else { ADD_FAILURE() << "unknown gate " << op.name; continue; }
    psi = testing::embed(n, q, g) * psi;
  }
  std::vector<double> p(std::size_t{1} << bits, 0.0);
  for (std::size_t i = 0; i < psi.size(); ++i) {
    std::size_t outcome = 0;
    for (const auto& [q, bit] : measures)
      outcome |= ((i >> (n - 1 - local(q))) & 1) << (bits - 1 - bit);
    p[outcome] += std::norm(psi[i]);
  }
  return p;
}

TEST(QasmExport, QcbmCircuitsRunToTheSameDistribution) {
  using circuits::InitialState;
  for (const circuits::AnsatzSpec spec :
       {circuits::AnsatzSpec{1, 4, 2, 0, InitialState::bell},
        circuits::AnsatzSpec{2, 6, 2, 3, InitialState::ghz},
        circuits::AnsatzSpec{1, 5, 1, 0, InitialState::plus}}) {
    const sim::Circuit c = circuits::build_qcbm_circuit(spec);
    const auto theta = testing::random_parameters(c.num_parameters(), spec.num_qubits);
    const std::string qasm = to_openqasm2(c, theta);
    EXPECT_LT(testing::max_difference(run_qasm(qasm, spec.num_qubits),
                                      sim::Simulator(c).probabilities(theta)),
              1e-13);
  }
}

TEST(QasmExport, EveryGateKind) {
  const sim::Circuit c = testing::random_circuit(4, 60, 3, 11);
  const auto theta = testing::random_parameters(3, 2);
  EXPECT_LT(testing::max_difference(run_qasm(to_openqasm2(c, theta), 4),
                                    sim::Simulator(c).probabilities(theta)),
            1e-13);
}

TEST(QasmExport, HeaderRegistersAndMeasurement) {
  sim::Circuit c(3);
  c.rot(1, sim::Angle::of(0), sim::Angle::of(1), sim::Angle::of(2));
  c.cnot(1, 2);
  const std::vector<double> theta{0.1, 0.2, 0.3};
  const std::string qasm = to_openqasm2(c, theta);
  EXPECT_EQ(qasm,
            "OPENQASM 2.0;\ninclude \"qelib1.inc\";\n"
            "// bit order: qgen writes an outcome with circuit qubit 0 as the most significant "
            "(leftmost) bit; Qiskit prints a counts key as c[2]...c[0], c[0] rightmost: reverse a "
            "Qiskit key to read it as qgen does\n"
            "qreg q[3];\ncreg c[3];\n"
            "u3(0.20000000000000001,0.29999999999999999,0.10000000000000001) q[1];\n"
            "cx q[1],q[2];\nmeasure q -> c;\n");
  EXPECT_EQ(to_openqasm2(c, theta, {.measure = false}).find("measure"), std::string::npos);
  EXPECT_THROW(to_openqasm2(c, std::vector<double>{0.1}), core::InternalError);
}

TEST(QasmExport, LaidOutCircuitsRunOnTheirDeviceQubits) {
  const DeviceModel cairo = DeviceModel::read_folder(testing::source_path("inputs/devices/ibm_cairo"));
  sim::Circuit star(5);  // routed: its qubits end permuted
  for (int q = 0; q < 5; ++q)
    star.rot(q, sim::Angle::of(3 * q), sim::Angle::of(3 * q + 1), sim::Angle::of(3 * q + 2));
  for (int leaf = 1; leaf < 5; ++leaf) star.cnot(0, leaf);
  const sim::Circuit a2 = circuits::build_qcbm_circuit({2, 8, 2, 4, circuits::InitialState::bell});
  for (const sim::Circuit* c : {static_cast<const sim::Circuit*>(&star), &a2}) {
    const NoisyEmulator e(cairo, *c);
    const auto theta = testing::random_parameters(c->num_parameters(), 6);
    const std::string qasm = e.qasm(theta);
    EXPECT_LT(testing::max_difference(run_qasm(qasm, c->num_qubits()), sim::Simulator(*c).probabilities(theta)),
              1e-12);
    EXPECT_NE(qasm.find("qreg q[27];"), std::string::npos);
    EXPECT_NE(qasm.find("// bit order: qgen writes an outcome with circuit qubit 0 as the most "
                        "significant (leftmost) bit; Qiskit prints a counts key as c["),
              std::string::npos);
    EXPECT_NE(qasm.find(std::to_string(e.layout().swaps) + " SWAPs inserted"), std::string::npos);
    for (const char* gate : {"\nu3(", "\nh ", "\nswap "}) EXPECT_EQ(qasm.find(gate), std::string::npos) << gate;
    const int k = c->num_qubits() - 1;  // the last qubit is measured from where it ends
    EXPECT_NE(qasm.find("measure q[" + std::to_string(e.layout().physical[e.layout().final[k]]) +
                        "] -> c[" + std::to_string(k) + "];"),
              std::string::npos);
  }
}

}  // namespace
}  // namespace qgen::hw
