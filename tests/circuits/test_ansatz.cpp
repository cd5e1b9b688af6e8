// The QCBM circuits of paper 000: parameter counts, gate layout, initial states, input errors,
// and whole circuits against the dense reference.
#include <gtest/gtest.h>

#include <cmath>

#include "../support/dense_reference.hpp"
#include "qgen/circuits/ansatz.hpp"
#include "qgen/sim/simulator.hpp"

namespace qgen::circuits {
namespace {

using sim::Circuit;
using sim::FusionLevel;
using sim::GateKind;
using sim::Simulator;

std::vector<sim::Complex> amplitudes(const sim::StateVector& s) {
  std::vector<sim::Complex> a(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) a[i] = s.amplitude(i);
  return a;
}

constexpr FusionLevel kLevels[] = {FusionLevel::none, FusionLevel::one_qubit,
                                   FusionLevel::two_qubit};

TEST(Ansatz, ParameterCountsOfThePaper) {
  EXPECT_EQ(parameter_count({1, 8, 6}), 276);
  EXPECT_EQ(parameter_count({2, 8, 12, 4}), 312);
  EXPECT_EQ(parameter_count({1, 12, 6}), 432);
  EXPECT_EQ(parameter_count({2, 12, 12, 4}), 468);
  EXPECT_EQ(build_qcbm_circuit({1, 8, 6}).num_parameters(), 276);
  EXPECT_EQ(build_qcbm_circuit({2, 8, 12, 4}).num_parameters(), 312);
  EXPECT_EQ(build_qcbm_circuit({1, 12, 6}).num_parameters(), 432);
  EXPECT_EQ(build_qcbm_circuit({2, 12, 12, 4}).num_parameters(), 468);
}

TEST(Ansatz, ParameterCountFormulasForAnySize) {
  for (int q = 2; q <= 13; ++q)
    for (int d = 0; d <= 5; ++d) {
      const int expected1 = 3 * d * (q % 2 == 0 ? 2 * q - 2 : 2 * q - 1) + 3 * q;
      EXPECT_EQ(build_qcbm_circuit({1, q, d}).num_parameters(), expected1) << q << " " << d;
      EXPECT_EQ(build_qcbm_circuit({2, q, d, 1}).num_parameters(), 3 * (d + 1) * q);
    }
}

// (kind, first qubit, second qubit) of every gate, for comparing layouts at a glance.
std::vector<std::array<int, 3>> layout(const Circuit& c) {
  std::vector<std::array<int, 3>> out;
  for (const auto& op : c.operations())
    out.push_back({static_cast<int>(op.kind), op.qubits[0], op.qubits[1]});
  return out;
}

std::array<int, 3> rot(int q) { return {static_cast<int>(GateKind::Rot), q, -1}; }
std::array<int, 3> cnot(int c, int t) { return {static_cast<int>(GateKind::CNOT), c, t}; }

TEST(Ansatz, BrickLayerLayoutEvenAndOdd) {
  const std::vector<std::array<int, 3>> even = {
      rot(0), rot(1), rot(2), rot(3), cnot(0, 1), cnot(2, 3), rot(1), rot(2), cnot(1, 2),
      rot(0), rot(1), rot(2), rot(3)};
  EXPECT_EQ(layout(build_qcbm_circuit({1, 4, 1})), even);
  const std::vector<std::array<int, 3>> odd = {
      rot(0), rot(1), rot(2), rot(3), rot(4), cnot(0, 1), cnot(2, 3), rot(1), rot(2), rot(3),
      rot(4), cnot(1, 2), cnot(3, 4), rot(0), rot(1), rot(2), rot(3), rot(4)};
  EXPECT_EQ(layout(build_qcbm_circuit({1, 5, 1})), odd);
}

TEST(Ansatz, DisconnectedTreeLayout) {
  std::vector<std::array<int, 3>> expected;
  for (int q = 0; q < 8; ++q) expected.push_back(rot(q));
  for (int b : {0, 4})
    for (int k = 1; k < 4; ++k) expected.push_back(cnot(b, b + k));
  for (int q = 0; q < 8; ++q) expected.push_back(rot(q));
  EXPECT_EQ(layout(build_qcbm_circuit({2, 8, 1, 4})), expected);
}

TEST(Ansatz, ParametersNumberedInGateOrderAsPhiThetaOmega) {
  const Circuit c = build_qcbm_circuit({1, 6, 2});
  int next = 0;
  for (const auto& op : c.operations()) {
    if (op.kind != GateKind::Rot) continue;
    for (int a = 0; a < 3; ++a) {
      EXPECT_EQ(op.angles[a].parameter, next++);
      EXPECT_EQ(op.angles[a].scale, 1.0);
      EXPECT_EQ(op.angles[a].offset, 0.0);
    }
  }
  EXPECT_EQ(next, c.num_parameters());
}

std::vector<double> initial_distribution(int n, InitialState s) {
  Circuit c(n);
  prepare_initial_state(c, s);
  return Simulator(c).probabilities({});
}

TEST(InitialState, ExactDistributions) {
  const auto zero = initial_distribution(4, InitialState::zero);
  for (std::size_t i = 0; i < zero.size(); ++i) EXPECT_EQ(zero[i], i == 0 ? 1.0 : 0.0);

  // Bell pairs on (0,1), (2,3): 1/4 on 0000, 0011, 1100, 1111.
  const auto bell = initial_distribution(4, InitialState::bell);
  for (std::size_t i = 0; i < bell.size(); ++i) {
    const bool paired = ((i >> 3 & 1) == (i >> 2 & 1)) && ((i >> 1 & 1) == (i & 1));
    EXPECT_NEAR(bell[i], paired ? 0.25 : 0.0, 1e-15) << i;
  }
  // GHZ triples on (0,1,2), (3,4,5): 1/4 on 000000, 000111, 111000, 111111.
  const auto ghz = initial_distribution(6, InitialState::ghz);
  for (std::size_t i = 0; i < ghz.size(); ++i) {
    const bool aligned = (i >> 3 == 0 || i >> 3 == 7) && ((i & 7) == 0 || (i & 7) == 7);
    EXPECT_NEAR(ghz[i], aligned ? 0.25 : 0.0, 1e-15) << i;
  }
  for (double p : initial_distribution(5, InitialState::plus)) EXPECT_NEAR(p, 1.0 / 32, 1e-15);
}

TEST(InitialState, BellAmplitudesArePhiPlus) {
  Circuit c(2);
  prepare_initial_state(c, InitialState::bell);
  const auto psi = amplitudes(Simulator(c).state({}));
  EXPECT_NEAR(psi[0].real(), 1 / std::sqrt(2.0), 1e-15);
  EXPECT_NEAR(psi[3].real(), 1 / std::sqrt(2.0), 1e-15);
  EXPECT_NEAR(std::abs(psi[1]) + std::abs(psi[2]), 0.0, 1e-15);
}

void expect_invalid(const AnsatzSpec& spec, const std::string& fragment) {
  try {
    build_qcbm_circuit(spec);
    ADD_FAILURE() << "no error for a spec that should contain '" << fragment << "'";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
  }
}

TEST(Ansatz, ImpossibleCombinationsAreInputErrors) {
  expect_invalid({1, 9, 2, 0, InitialState::bell}, "even number of qubits, got 9");
  expect_invalid({1, 8, 2, 0, InitialState::ghz}, "divisible by 3, got 8");
  expect_invalid({2, 8, 2, 3}, "block size 3 does not divide the 8 qubits");
  expect_invalid({3, 8, 2}, "ansatz must be 1");
  expect_invalid({1, 1, 2}, "number of qubits");
  expect_invalid({1, 8, -1}, "depth");
  EXPECT_THROW(core::parse_enum<InitialState>("w", "initial state"), std::invalid_argument);
  EXPECT_EQ(core::parse_enum<InitialState>(core::name_of(InitialState::ghz), "initial state"), InitialState::ghz);
}

struct AnsatzCase {
  int ansatz, qubits, depth, block;
  InitialState initial;
};

class WholeAnsatz : public ::testing::TestWithParam<AnsatzCase> {};

TEST_P(WholeAnsatz, MatchesDenseReference) {
  const AnsatzCase a = GetParam();
  const AnsatzSpec spec{a.ansatz, a.qubits, a.depth, a.block, a.initial};
  const Circuit c = build_qcbm_circuit(spec);
  const auto theta = testing::random_parameters(c.num_parameters(), 17 * a.qubits + a.depth);
  const auto expected = testing::reference_state(c, theta);
  const auto expected_p = testing::reference_probabilities(c, theta);
  for (FusionLevel level : kLevels) {
    const Simulator sim(c, level);
    EXPECT_LT(testing::max_difference(amplitudes(sim.state(theta)), expected), 1e-12)
        << core::name_of(level);
    EXPECT_LT(testing::max_difference(sim.probabilities(theta), expected_p), 1e-13)
        << core::name_of(level);
  }
}

std::vector<AnsatzCase> ansatz_cases() {
  std::vector<AnsatzCase> cases;
  for (int q = 2; q <= 6; ++q)
    for (InitialState s : {InitialState::zero, InitialState::bell, InitialState::ghz,
                           InitialState::plus}) {
      if (s == InitialState::bell && q % 2) continue;
      if (s == InitialState::ghz && q % 3) continue;
      cases.push_back({1, q, 2, 0, s});
      for (int block : {1, 2, 3, 6})
        if (q % block == 0) cases.push_back({2, q, 2, block, s});
    }
  return cases;
}

INSTANTIATE_TEST_SUITE_P(AllInitialStates, WholeAnsatz, ::testing::ValuesIn(ansatz_cases()));

TEST(Ansatz, SimulatorRejectsTooFewParameters) {
  const Circuit c = build_qcbm_circuit({1, 4, 1, 0, InitialState::zero});
  const std::vector<double> theta(c.num_parameters() - 1, 0.0);
  EXPECT_THROW(Simulator(c).probabilities(theta), std::invalid_argument);
}

}  // namespace
}  // namespace qgen::circuits
