// Layouts on the shipped heavy-hex devices: the QCBM ansatzes embed without SWAPs (paths,
// stars on degree-3 qubits), the search finds the least expected errors (against brute-force
// enumeration with an independently written score), graphs that cannot embed are routed with
// SWAPs (or refused in strict mode), and a routed circuit's distribution, with its final
// permutation undone, equals the original's.
#include <gtest/gtest.h>

#include <set>

#include "../support/dense_reference.hpp"
#include "../support/expect_error.hpp"
#include "../support/random_circuit.hpp"
#include "../support/temp_dir.hpp"
#include "shipped_devices.hpp"
#include "qgen/circuits/ansatz.hpp"
#include "qgen/core/errors.hpp"
#include "qgen/hw/layout.hpp"
#include "qgen/sim/simulator.hpp"

namespace qgen::hw {
namespace {

using testing::guadalupe;
using testing::cairo;


/// Every two-qubit gate of the laid-out circuit is on a coupled pair of device qubits.
void expect_coupled(const LaidOutCircuit& l, const DeviceModel& d) {
  std::set<int> distinct(l.layout.physical.begin(), l.layout.physical.end());
  EXPECT_EQ(distinct.size(), l.layout.physical.size());
  for (const sim::Operation& op : l.circuit.operations()) {
    if (op.num_qubits() == 2) {
      EXPECT_TRUE(d.coupled(l.layout.physical[op.qubits[0]], l.layout.physical[op.qubits[1]]))
          << "gate on compact qubits " << op.qubits[0] << ", " << op.qubits[1];
    }
  }
}

void expect_embedded(const sim::Circuit& c, const DeviceModel& d) {
  const LaidOutCircuit l = lay_out(c, d, {.strict = true});
  EXPECT_TRUE(l.layout.embedded);
  EXPECT_EQ(l.layout.swaps, 0);
  EXPECT_EQ(l.layout.physical.size(), static_cast<std::size_t>(c.num_qubits()));
  for (int k = 0; k < c.num_qubits(); ++k) EXPECT_EQ(l.layout.final[k], k);
  expect_coupled(l, d);
}

/// The distribution of the laid-out circuit, permutation undone, against the original's.
void expect_same_distribution(const sim::Circuit& c, const LaidOutCircuit& l, std::uint64_t seed) {
  const auto theta = testing::random_parameters(c.num_parameters(), seed);
  const auto routed = sim::Simulator(l.circuit).probabilities(theta);
  EXPECT_LT(testing::max_difference(circuit_distribution(routed, l.layout, c.num_qubits()),
                                    sim::Simulator(c).probabilities(theta)),
            1e-12);
}

TEST(Layout, QcbmAnsatzesEmbedWithoutSwaps) {
  using circuits::InitialState;
  expect_embedded(circuits::build_qcbm_circuit({1, 8, 6, 0, InitialState::zero}), guadalupe());
  expect_embedded(circuits::build_qcbm_circuit({1, 8, 6, 0, InitialState::bell}), guadalupe());
  expect_embedded(circuits::build_qcbm_circuit({2, 8, 12, 4, InitialState::zero}), guadalupe());
  expect_embedded(circuits::build_qcbm_circuit({2, 12, 12, 4, InitialState::zero}), cairo());
  expect_embedded(circuits::build_qcbm_circuit({2, 12, 12, 4, InitialState::plus}), cairo());
  expect_embedded(circuits::build_qcbm_circuit({1, 12, 6, 0, InitialState::zero}), cairo());
  // Bell pairs (2,3) and GHZ triples add edges between a star's leaves: triangles, which a
  // heavy-hex map has none of. Those circuits are routed, to the same distribution.
  for (InitialState s : {InitialState::bell, InitialState::ghz}) {
    const sim::Circuit c = circuits::build_qcbm_circuit({2, 12, 2, 4, s});
    const LaidOutCircuit l = lay_out(c, cairo());
    EXPECT_FALSE(l.layout.embedded) << core::name_of(s);
    // The stars are placed on couplers; only the few initial-state gates are routed (there and
    // back: for Bell pairs one SWAP each way per block).
    if (s == InitialState::bell) {
      EXPECT_EQ(l.layout.swaps, 6);
    }
    expect_coupled(l, cairo());
    expect_same_distribution(c, l, 12);
    EXPECT_THROW(lay_out(c, cairo(), {.strict = true}), core::InputError);
  }

  // The stars' centres sit on degree-3 qubits; cairo's worst coupler (8-11, 5.4e-2) is avoided.
  const sim::Circuit a2 = circuits::build_qcbm_circuit({2, 12, 12, 4, InitialState::zero});
  const Layout l = lay_out(a2, cairo()).layout;
  for (int centre : {0, 4, 8}) EXPECT_EQ(cairo().neighbours(l.physical[centre]).size(), 3u);
  for (const sim::Operation& op : a2.operations())
    if (op.num_qubits() == 2) {
      const std::set<int> pair{l.physical[op.qubits[0]], l.physical[op.qubits[1]]};
      EXPECT_NE(pair, (std::set<int>{8, 11}));
    }
  // Deterministic.
  EXPECT_EQ(lay_out(a2, cairo()).layout.physical, l.physical);
}

/// The score written out independently: sx/x pulses x sx error + readout error per qubit,
/// cx count x the better direction's cx error per interacting pair.
double reference_score(const sim::Circuit& c, const DeviceModel& d, const std::vector<int>& place) {
  double s = 0.0;
  for (const sim::Operation& op : c.operations()) {
    const int a = place[op.qubits[0]];
    if (op.kind == sim::GateKind::Rot || op.kind == sim::GateKind::RY) s += 2 * d.gate(BasisGate::sx, a).error;
    if (op.kind == sim::GateKind::H) s += d.gate(BasisGate::sx, a).error;
    if (op.kind == sim::GateKind::CNOT) {
      const int b = place[op.qubits[1]];
      s += std::min(d.has_cx(a, b) ? d.cx(a, b).error : 1.0, d.has_cx(b, a) ? d.cx(b, a).error : 1.0);
    }
  }
  for (int p : place) s += (d.qubit(p).prob_meas0_prep1 + d.qubit(p).prob_meas1_prep0) / 2;
  return s;
}

TEST(Layout, ChoosesTheLeastExpectedErrorsAgainstBruteForce) {
  // A 4-qubit star (ansatz 2 of one block) and a 4-qubit path (ansatz 1) on guadalupe.
  for (const sim::Circuit& c :
       {circuits::build_qcbm_circuit({2, 4, 2, 4, circuits::InitialState::plus}),
        circuits::build_qcbm_circuit({1, 4, 2, 0, circuits::InitialState::zero})}) {
    const DeviceModel& d = guadalupe();
    double best = 1e9;
    std::vector<int> place(4);
    for (place[0] = 0; place[0] < 16; ++place[0])
      for (place[1] = 0; place[1] < 16; ++place[1])
        for (place[2] = 0; place[2] < 16; ++place[2])
          for (place[3] = 0; place[3] < 16; ++place[3]) {
            if (std::set<int>(place.begin(), place.end()).size() < 4) continue;
            bool ok = true;
            for (const sim::Operation& op : c.operations())
              if (op.num_qubits() == 2) ok = ok && d.coupled(place[op.qubits[0]], place[op.qubits[1]]);
            if (ok) best = std::min(best, reference_score(c, d, place));
          }
    const Layout l = lay_out(c, d).layout;
    EXPECT_NEAR(reference_score(c, d, l.physical), best, 1e-15);
    EXPECT_NEAR(l.expected_errors, best, 1e-15);
    EXPECT_NEAR(placement_score(c, d, l.physical), best, 1e-15);
  }
}

TEST(Layout, AFiveStarIsRoutedWithSwapsOrRefusedWhenStrict) {
  sim::Circuit star(5);
  for (int layer = 0; layer < 2; ++layer) {
    for (int q = 0; q < 5; ++q)
      star.rot(q, sim::Angle::of(15 * layer + 3 * q), sim::Angle::of(15 * layer + 3 * q + 1),
               sim::Angle::of(15 * layer + 3 * q + 2));
    for (int leaf = 1; leaf < 5; ++leaf) star.cnot(0, leaf);
  }
  for (const DeviceModel* d : {&guadalupe(), &cairo()}) {
    const LaidOutCircuit l = lay_out(star, *d);
    EXPECT_FALSE(l.layout.embedded);
    EXPECT_GT(l.layout.swaps, 0);
    int swap_gates = 0;
    for (const sim::Operation& op : l.circuit.operations()) swap_gates += op.kind == sim::GateKind::SWAP;
    EXPECT_EQ(swap_gates, l.layout.swaps);
    expect_coupled(l, *d);
    expect_same_distribution(star, l, 3);
    testing::expect_error<core::InputError>([&] { lay_out(star, *d, {.strict = true}); },
                                            "cannot all be placed on coupled qubits");
  }
}

TEST(Layout, AnyCircuitRoutesToTheSameDistribution) {
  for (std::uint64_t seed : {1, 2, 3}) {
    const sim::Circuit c = testing::random_circuit(6, 50, 4, seed);  // CNOT, CZ, SWAP anywhere
    const LaidOutCircuit l = lay_out(c, guadalupe());
    expect_coupled(l, guadalupe());
    expect_same_distribution(c, l, seed);
  }
  // A circuit the device cannot hold.
  testing::expect_error<core::InputError>(
      [] { lay_out(sim::Circuit(17), guadalupe()); }, "the circuit needs 17 qubits; device ibmq_guadalupe has 16");
}

TEST(Layout, CircuitDistributionSumsAncillasAndUndoesThePermutation) {
  // Compact register of 3: circuit qubit 0 ends on compact 2, qubit 1 on compact 0; compact 1 an ancilla.
  Layout l;
  l.physical = {5, 6, 7};
  l.final = {2, 0};
  std::vector<double> compact(8, 0.0);
  compact[0b001] = 0.25;  // compact 2 = 1 -> circuit qubit 0 = 1: outcome 0b10
  compact[0b011] = 0.25;  // the same with the ancilla set: summed
  compact[0b100] = 0.5;   // compact 0 = 1 -> circuit qubit 1 = 1: outcome 0b01
  EXPECT_EQ(circuit_distribution(compact, l, 2), (std::vector<double>{0.0, 0.5, 0.5, 0.0}));
}

}  // namespace
}  // namespace qgen::hw
