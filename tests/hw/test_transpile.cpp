// Transpilation into rz, sx, x, cx: every gate kind with random angles against its textbook
// matrix up to a global phase (device_reference.hpp), reversed cx, merged rz, structures that
// do not depend on angles, and whole QCBM circuits against the state-vector simulator.
#include <gtest/gtest.h>

#include <random>

#include "../support/random_circuit.hpp"
#include "device_reference.hpp"
#include "qgen/circuits/ansatz.hpp"
#include "qgen/core/errors.hpp"
#include "qgen/hw/transpile.hpp"
#include "qgen/sim/simulator.hpp"

namespace qgen::hw {
namespace {

using sim::GateKind;

TEST(Transpile, EveryGateIsItsMatrixUpToGlobalPhase) {
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> angle(-2 * M_PI, 2 * M_PI);
  for (GateKind kind : {GateKind::H, GateKind::X, GateKind::Y, GateKind::Z, GateKind::RX,
                        GateKind::RY, GateKind::RZ, GateKind::Rot, GateKind::CNOT, GateKind::CZ,
                        GateKind::SWAP}) {
    for (int trial = 0; trial < 25; ++trial) {
      sim::Circuit c(2);
      sim::Operation op{kind, {1, sim::num_qubits_of(kind) == 2 ? 0 : -1}};
      for (int a = 0; a < sim::num_angles_of(kind); ++a) op.angles[a] = sim::Angle::of(a);
      c.add(op);
      const std::vector<double> theta{angle(rng), angle(rng), angle(rng)};
      const DeviceCircuit d = transpile(c, theta);
      EXPECT_LT(testing::difference_up_to_phase(testing::device_unitary(d),
                                                testing::operation_matrix(2, op, theta)),
                1e-13)
          << core::name_of(kind) << " at angles " << theta[0] << ", " << theta[1] << ", " << theta[2];
    }
  }
}

TEST(Transpile, RotIsFiveGatesWithTwoPulses) {
  sim::Circuit c(1);
  c.rot(0, sim::Angle::of(0), sim::Angle::of(1), sim::Angle::of(2));
  const DeviceCircuit d = transpile(c, std::vector<double>{0.3, 1.1, -0.4});
  ASSERT_EQ(d.gates.size(), 5u);
  const BasisGate expected[] = {BasisGate::rz, BasisGate::sx, BasisGate::rz, BasisGate::sx, BasisGate::rz};
  for (int k = 0; k < 5; ++k) EXPECT_EQ(d.gates[k].gate, expected[k]);
  EXPECT_DOUBLE_EQ(d.gates[0].angle, 0.3);
  EXPECT_DOUBLE_EQ(d.gates[2].angle, 1.1 + M_PI);
  EXPECT_DOUBLE_EQ(d.gates[4].angle, -0.4 + M_PI);
  EXPECT_EQ(pulses_of(GateKind::Rot), 2);
}

TEST(Transpile, ReversedCxWhereOnlyTheOtherDirectionExists) {
  sim::Circuit c(2);
  c.cnot(0, 1);
  const DeviceCircuit d = transpile(c, {}, [](int control, int) { return control == 1; });
  for (const DeviceGate& g : d.gates) {
    if (g.gate == BasisGate::cx) {
      EXPECT_EQ(g.qubits, (std::array<int, 2>{1, 0}));
    }
  }
  EXPECT_LT(testing::difference_up_to_phase(testing::device_unitary(d),
                                            testing::operation_matrix(2, c[0], {})),
            1e-13);
  EXPECT_THROW(transpile(c, {}, [](int, int) { return false; }), core::InternalError);
}

TEST(Transpile, MergesRzAndKeepsTheStructureForEveryAngle) {
  sim::Circuit c(2);
  c.rz(0, sim::Angle::of(0));
  c.rz(0, sim::Angle::of(1));
  c.cnot(1, 0);
  c.rz(0, sim::Angle::of(0));
  EXPECT_EQ(transpile(c, std::vector<double>{0.1, 0.2}).gates.size(), 3u);  // rz, cx, rz

  const sim::Circuit qcbm = circuits::build_qcbm_circuit({2, 8, 3, 4, circuits::InitialState::bell});
  const auto a = testing::random_parameters(qcbm.num_parameters(), 1);
  auto b = a;
  b[17] = 0.0;  // a zero angle removes no gate
  const DeviceCircuit da = transpile(qcbm, a), db = transpile(qcbm, b);
  ASSERT_EQ(da.gates.size(), db.gates.size());
  for (std::size_t i = 0; i < da.gates.size(); ++i) {
    EXPECT_EQ(da.gates[i].gate, db.gates[i].gate);
    EXPECT_EQ(da.gates[i].qubits, db.gates[i].qubits);
  }
}

TEST(Transpile, QcbmCircuitsKeepTheirDistribution) {
  using circuits::AnsatzSpec, circuits::InitialState;
  const AnsatzSpec specs[] = {{2, 6, 3, 3, InitialState::zero}, {1, 6, 2, 0, InitialState::ghz},
                              {2, 4, 2, 2, InitialState::bell}};
  for (const AnsatzSpec& spec : specs) {
    const sim::Circuit c = circuits::build_qcbm_circuit(spec);
    const auto theta = testing::random_parameters(c.num_parameters(), 40 + spec.num_qubits);
    EXPECT_LT(testing::max_difference(testing::device_probabilities(transpile(c, theta)),
                                      sim::Simulator(c).probabilities(theta)),
              1e-12);
  }
  const sim::Circuit random = testing::random_circuit(4, 60, 3, 5);
  const auto theta = testing::random_parameters(3, 9);
  EXPECT_LT(testing::difference_up_to_phase(
                testing::device_unitary(transpile(random, theta)),
                [&] {
                  testing::Dense u = testing::identity(16);
                  for (const auto& op : random.operations()) u = testing::operation_matrix(4, op, theta) * u;
                  return u;
                }()),
            1e-12);
}

}  // namespace
}  // namespace qgen::hw
