// OpenQASM 2.0 export: a small interpreter in the test runs the exported text with qelib1.inc's
// own gate definitions (u3, u1-based rz, ...), and its distribution must equal qgen's.
#include <gtest/gtest.h>

#include <cmath>
#include <regex>
#include <sstream>

#include "../support/dense_reference.hpp"
#include "../support/random_circuit.hpp"
#include "qgen/circuits/ansatz.hpp"
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

std::vector<double> run_qasm(const std::string& text, int expected_qubits) {
  std::istringstream in(text);
  std::string line;
  int n = 0;
  std::vector<Complex> psi;
  const std::regex one(R"(^(\w+)(?:\(([^)]*)\))? q\[(\d+)\];$)");
  const std::regex two(R"(^(\w+) q\[(\d+)\],q\[(\d+)\];$)");
  const std::regex qreg(R"(^qreg q\[(\d+)\];$)");
  std::smatch m;
  while (std::getline(in, line)) {
    if (std::regex_match(line, m, qreg)) {
      n = std::stoi(m[1]);
      psi.assign(std::size_t{1} << n, 0.0);
      psi[0] = 1.0;
    } else if (std::regex_match(line, m, two)) {
      const std::vector<int> q{std::stoi(m[2]), std::stoi(m[3])};
      Dense g = testing::identity(4);
      if (m[1] == "cx") g = Dense{4, {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0}};
      else if (m[1] == "cz") g(3, 3) = -1.0;
      else if (m[1] == "swap") g = Dense{4, {1, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 1}};
      else ADD_FAILURE() << "unknown gate " << line;
      psi = testing::embed(n, q, g) * psi;
    } else if (std::regex_match(line, m, one)) {
      std::vector<double> a;
      std::istringstream args(m[2].str());
      for (std::string x; std::getline(args, x, ',');) a.push_back(std::stod(x));
      const std::string name = m[1];
      const std::vector<int> q{std::stoi(m[3])};
      Dense g;
      if (name == "u3") g = u3(a[0], a[1], a[2]);
      else if (name == "rz") g = Dense{2, {1.0, 0.0, 0.0, std::polar(1.0, a[0])}};  // u1
      else if (name == "rx") g = u3(a[0], -M_PI / 2, M_PI / 2);
      else if (name == "ry") g = u3(a[0], 0, 0);
      else if (name == "h") g = u3(M_PI / 2, 0, M_PI);
      else if (name == "x") g = u3(M_PI, 0, M_PI);
      else if (name == "y") g = u3(M_PI, M_PI / 2, M_PI / 2);
      else if (name == "z") g = Dense{2, {1.0, 0.0, 0.0, -1.0}};
      else { ADD_FAILURE() << "unknown gate " << line; continue; }
      psi = testing::embed(n, q, g) * psi;
    }
  }
  EXPECT_EQ(n, expected_qubits);
  std::vector<double> p(psi.size());
  for (std::size_t i = 0; i < psi.size(); ++i) p[i] = std::norm(psi[i]);
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
            "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[3];\ncreg c[3];\n"
            "u3(0.20000000000000001,0.29999999999999999,0.10000000000000001) q[1];\n"
            "cx q[1],q[2];\nmeasure q -> c;\n");
  EXPECT_EQ(to_openqasm2(c, theta, {.measure = false}).find("measure"), std::string::npos);
  EXPECT_THROW(to_openqasm2(c, std::vector<double>{0.1}), std::invalid_argument);
}

}  // namespace
}  // namespace qgen::hw
