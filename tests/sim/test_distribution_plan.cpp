// The plan of exchanges for a distributed state, replayed with its own bookkeeping of where
// each qubit is: every gate runs on local qubits only, in the fusion plan's order, each
// exchange pairs a global with a local position, and the layout ends canonical.
#include <gtest/gtest.h>

#include <numeric>
#include <vector>

#include "../support/random_circuit.hpp"
#include "qgen/circuits/ansatz.hpp"
#include "qgen/sim/distribution_plan.hpp"

namespace qgen::sim {
namespace {

// Replays `plan`; returns the number of exchanges it made.
int replay(const FusionPlan& fusion, const DistributionPlan& plan) {
  const int q = fusion.num_qubits, g = plan.global_qubits;
  std::vector<int> at(q);  // position -> qubit
  for (int k = 0; k < q; ++k) at[plan.initial_positions[k]] = k;
  std::vector<int> sorted = plan.initial_positions;
  std::sort(sorted.begin(), sorted.end());
  std::vector<int> identity(q);
  std::iota(identity.begin(), identity.end(), 0);
  EXPECT_EQ(sorted, identity) << "initial layout is not a permutation";
  int next_gate = 0, exchanges = 0;
  for (const DistributedStep& step : plan.steps) {
    switch (step.kind) {
      case DistributedStep::Kind::gate: {
        EXPECT_EQ(step.gate, next_gate++) << "gates out of the fusion plan's order";
        for (int qubit : fusion.groups[step.gate].qubits) {
          if (qubit < 0) continue;
          const int p = static_cast<int>(std::find(at.begin(), at.end(), qubit) - at.begin());
          EXPECT_GE(p, g) << "gate " << step.gate << " on global qubit " << qubit;
        }
        break;
      }
      case DistributedStep::Kind::exchange:
        ++exchanges;
        EXPECT_LT(step.positions[0], g);
        EXPECT_GE(step.positions[1], g);
        std::swap(at[step.positions[0]], at[step.positions[1]]);
        break;
      case DistributedStep::Kind::local_swap:
        EXPECT_GE(step.positions[0], g);
        EXPECT_GE(step.positions[1], g);
        std::swap(at[step.positions[0]], at[step.positions[1]]);
        break;
    }
  }
  EXPECT_EQ(next_gate, static_cast<int>(fusion.groups.size()));
  EXPECT_EQ(at, identity) << "layout not restored";
  EXPECT_EQ(exchanges, plan.exchanges);
  return exchanges;
}

TEST(DistributionPlan, RandomCircuitsRunEveryGateOnLocalQubits) {
  for (int seed = 0; seed < 20; ++seed)
    for (int q : {2, 3, 5, 9})
      for (int g = 0; g <= q - 2; ++g)
        for (FusionLevel level : {FusionLevel::none, FusionLevel::two_qubit}) {
          const Circuit c = testing::random_circuit(q, 40, 6, seed);
          const FusionPlan fusion = plan_fusion(c, level);
          const DistributionPlan plan = plan_distribution(fusion, g);
          SCOPED_TRACE("q " + std::to_string(q) + " g " + std::to_string(g) + " seed " + std::to_string(seed));
          const int exchanges = replay(fusion, plan);
          if (g == 0) {
            EXPECT_EQ(exchanges, 0);
            EXPECT_EQ(plan.local_swaps, 0);
          }
        }
}

TEST(DistributionPlan, BrickLayersNeedTwoExchangesPerLayer) {
  // Ansatz 1 in the fused order runs every qubit in every layer, qubit 0 first and the last
  // ones late: the global position must change hands twice a layer (once would leave a qubit
  // global for a whole layer), plus once at the end to restore the layout.
  for (int d : {1, 3, 6}) {
    const Circuit c = circuits::build_qcbm_circuit({1, 12, d});
    const FusionPlan fusion = plan_fusion(c, FusionLevel::two_qubit);
    EXPECT_EQ(replay(fusion, plan_distribution(fusion, 1)), 2 * d + 1) << "d = " << d;
  }
}

TEST(DistributionPlan, NoExchangeWhenTheGlobalQubitsAreIdle) {
  // Gates on qubits 2..5 only: qubits 0 and 1 can stay global throughout.
  Circuit c(6);
  for (int layer = 0; layer < 3; ++layer)
    for (int q = 2; q < 5; ++q) {
      c.ry(q, Angle::of(q));
      c.cnot(q, q + 1);
    }
  const FusionPlan fusion = plan_fusion(c, FusionLevel::two_qubit);
  const DistributionPlan plan = plan_distribution(fusion, 2);
  EXPECT_EQ(replay(fusion, plan), 0);
  EXPECT_EQ(plan.local_swaps, 0);
}

TEST(DistributionPlan, TooFewLocalQubitsAreRefused) {
  const Circuit c = testing::random_circuit(4, 10, 2, 1);
  const FusionPlan fusion = plan_fusion(c, FusionLevel::two_qubit);
  EXPECT_THROW(plan_distribution(fusion, 3), std::invalid_argument);
  EXPECT_THROW(plan_distribution(fusion, -1), std::invalid_argument);
  EXPECT_NO_THROW(plan_distribution(fusion, 2));
}

}  // namespace
}  // namespace qgen::sim
