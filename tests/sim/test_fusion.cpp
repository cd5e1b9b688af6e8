// Fusion plans: every operation lands in exactly one group, groups keep each qubit's gate order,
// kinds are right, and binding with a shift equals binding shifted parameters.
#include <gtest/gtest.h>

#include <algorithm>

#include "../support/dense_reference.hpp"
#include "../support/random_circuit.hpp"
#include "qgen/sim/fusion.hpp"
#include "qgen/sim/simulator.hpp"

namespace qgen::sim {
namespace {

constexpr FusionLevel kLevels[] = {FusionLevel::none, FusionLevel::one_qubit,
                                   FusionLevel::two_qubit};

TEST(Fusion, EveryOperationOnceAndEachQubitInOrder) {
  for (std::uint64_t seed = 0; seed < 20; ++seed) {
    const Circuit c = testing::random_circuit(5, 80, 3, seed);
    for (FusionLevel level : kLevels) {
      const FusionPlan plan = plan_fusion(c, level);
      std::vector<int> seen(c.size(), 0);
      // Per qubit, the last operation index executed so far.
      std::vector<int> last(c.num_qubits(), -1);
      for (std::size_t g = 0; g < plan.groups.size(); ++g) {
        const FusedGroup& group = plan.groups[g];
        EXPECT_TRUE(std::is_sorted(group.operations.begin(), group.operations.end()));
        for (int op : group.operations) {
          ++seen[op];
          EXPECT_EQ(plan.group_of_operation[op], static_cast<int>(g));
          for (int k = 0; k < c[op].num_qubits(); ++k) {
            const int q = c[op].qubits[k];
            EXPECT_TRUE(q == group.qubits[0] || q == group.qubits[1]);
            EXPECT_LT(last[q], op) << "qubit " << q << " out of order";
            last[q] = op;
          }
        }
      }
      for (int s : seen) EXPECT_EQ(s, 1);
    }
  }
}

TEST(Fusion, LevelsGroupAsDocumented) {
  Circuit c(3);
  c.rz(0, Angle::of(0));
  c.rz(0, Angle::of(1));  // RZ RZ on qubit 0: one diagonal gate from one_qubit fusion on
  c.rot(1, Angle::of(2), Angle::of(3), Angle::of(4));
  c.cnot(0, 1);           // absorbs both runs at two_qubit
  c.h(2);
  c.cnot(1, 2);
  EXPECT_EQ(plan_fusion(c, FusionLevel::none).groups.size(), 6u);

  const FusionPlan one = plan_fusion(c, FusionLevel::one_qubit);
  ASSERT_EQ(one.groups.size(), 5u);
  EXPECT_EQ(one.groups[one.group_of_operation[0]].kind, FusedKind::Diagonal1);
  EXPECT_EQ(one.group_of_operation[0], one.group_of_operation[1]);
  EXPECT_EQ(one.groups[one.group_of_operation[3]].kind, FusedKind::CNOT);

  const FusionPlan two = plan_fusion(c, FusionLevel::two_qubit);
  ASSERT_EQ(two.groups.size(), 2u);
  EXPECT_EQ(two.groups[0].operations, (std::vector<int>{0, 1, 2, 3}));
  EXPECT_EQ(two.groups[0].kind, FusedKind::Matrix2);
  EXPECT_EQ(two.groups[1].operations, (std::vector<int>{4, 5}));
}

TEST(Fusion, DiagonalRunsStayDiagonal) {
  // On 6 qubits so that diagonal gates run through the lane-block kernels on high and low bits.
  // CNOTs fence the diagonal section off from the H layers that make its phases visible.
  const int n = 6;
  Circuit c(n);
  for (int q = 0; q < n; ++q) c.h(q);
  for (int q = 0; q < n; q += 2) c.cnot(q, q + 1);
  c.rz(0, Angle::of(0));
  c.cz(0, 5);
  c.rz(5, Angle::constant(0.3));
  c.rz(2, Angle::of(1, 2.0));
  c.add({GateKind::Z, {3, -1}});
  c.rz(3, Angle::of(0, -1.0));
  c.cz(4, 1);
  for (int q = 0; q < n; q += 2) c.cnot(q + 1, q);
  for (int q = 0; q < n; ++q) c.h(q);

  const FusionPlan plan = plan_fusion(c, FusionLevel::one_qubit);
  int diagonal1 = 0, diagonal2 = 0;
  for (const auto& g : plan.groups) {
    diagonal1 += g.kind == FusedKind::Diagonal1;
    diagonal2 += g.kind == FusedKind::Diagonal2;
  }
  EXPECT_EQ(diagonal1, 4);  // rz0; rz5; rz2; z3 rz3 fused
  EXPECT_EQ(diagonal2, 2);  // the two CZ
  const std::vector<double> theta{0.7, -0.4};
  for (FusionLevel level : kLevels)
    EXPECT_LT(testing::max_difference(Simulator(c, level).probabilities(theta),
                                      testing::reference_probabilities(c, theta)),
              1e-14)
        << core::name_of(level);
}

TEST(Fusion, BindingWithShiftEqualsShiftedParameters) {
  // A circuit where every angle has its own slot and scale 1: shifting the angle of op k by
  // delta is the same as shifting its parameter by delta.
  Circuit c(4);
  int p = 0;
  for (int layer = 0; layer < 3; ++layer) {
    for (int q = 0; q < 4; ++q) c.rot(q, Angle::of(p), Angle::of(p + 1), Angle::of(p + 2)), p += 3;
    for (int q = 0; q + 1 < 4; ++q) c.cnot(q, q + 1);
  }
  const auto theta = testing::random_parameters(p, 3);
  for (FusionLevel level : kLevels) {
    const FusionPlan plan = plan_fusion(c, level);
    for (int op = 0; op < static_cast<int>(c.size()); ++op)
      for (int a = 0; a < c[op].num_angles(); ++a) {
        const AngleEdit shift{op, a, 0.37};
        auto moved = theta;
        moved[c[op].angles[a].parameter] += 0.37;
        const int g = plan.group_of_operation[op];
        const BoundGate x = bind_gate(plan.groups[g], c, theta, shift);
        const BoundGate y = bind_gate(plan.groups[g], c, moved);
        for (int k = 0; k < 16; ++k) EXPECT_LT(std::abs(x.matrix[k] - y.matrix[k]), 1e-15);
      }
  }
}

TEST(Fusion, GeneratorInsertionIsTwoITimesTheAngleDerivative) {
  // bind with AngleEdit::generator must equal 2i d/da of the fused matrix, here by a central
  // difference of binding with moved angles (h = 1e-6; error O(h^2)).
  Circuit c(3);
  c.rot(0, Angle::of(0), Angle::of(1), Angle::of(2));
  c.rx(1, Angle::of(3, 0.5, 0.2));
  c.ry(1, Angle::of(4));
  c.cnot(0, 1);
  c.rz(2, Angle::of(5, -1.5));
  c.cz(1, 2);
  const auto theta = testing::random_parameters(6, 9);
  const double h = 1e-6;
  for (FusionLevel level : kLevels) {
    const FusionPlan plan = plan_fusion(c, level);
    for (int op = 0; op < static_cast<int>(c.size()); ++op)
      for (int a = 0; a < c[op].num_angles(); ++a) {
        const FusedGroup& group = plan.groups[plan.group_of_operation[op]];
        const BoundGate g = bind_gate(group, c, theta, {op, a, 0.0, true});
        const BoundGate up = bind_gate(group, c, theta, {op, a, +h});
        const BoundGate down = bind_gate(group, c, theta, {op, a, -h});
        for (int k = 0; k < 16; ++k) {
          const Complex derivative = (up.matrix[k] - down.matrix[k]) / (2 * h);
          EXPECT_LT(std::abs(g.matrix[k] - Complex(0, 2) * derivative), 1e-8)
              << "op " << op << " angle " << a << " entry " << k << " " << core::name_of(level);
        }
      }
  }
}

TEST(Fusion, ParseLevels) {
  for (FusionLevel level : kLevels) EXPECT_EQ(core::parse_enum<FusionLevel>(core::name_of(level), "fusion"), level);
  EXPECT_THROW(core::parse_enum<FusionLevel>("three", "fusion"), std::invalid_argument);
}

}  // namespace
}  // namespace qgen::sim
