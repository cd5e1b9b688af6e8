// The step cost model (train/step_cost_model.hpp) against hand-computed cases: the collective
// and pass formulas, a perfect split when the sites divide the ranks, efficiency falling once
// ranks exceed the circuits' suffix simulations, memory forcing the group size up, and the
// calibration file's round trip and refusals.
#include <gtest/gtest.h>

#include <cmath>

#include "qgen/circuits/ansatz.hpp"
#include "qgen/core/errors.hpp"
#include "qgen/sim/distribution_plan.hpp"
#include "qgen/train/step_cost_model.hpp"

namespace qgen::train {
namespace {

constexpr double kGiB = 1024.0 * 1024.0 * 1024.0;

// Computation only: one nanosecond per amplitude-pass, nothing else costs anything.
CostCalibration compute_only() {
  CostCalibration c;
  c.pass_seconds_per_amplitude = {{2, 1e-9}};
  return c;
}

// Q = 4, four fused single-qubit gates (one pass each), four parameters with one site each,
// all in fused gate 0, each site's suffix 5 passes (as site_costs says).
StepShape four_equal_sites() {
  StepShape s;
  s.num_qubits = 4;
  s.num_parameters = 4;
  s.paired = true;
  s.fusion.num_qubits = 4;
  for (int q = 0; q < 4; ++q) s.fusion.groups.push_back({sim::FusedKind::Matrix1, {q, -1}, {q}});
  for (int p = 0; p < 4; ++p) s.sites.push_back({p, 0, p, 1.0, 0});
  s.site_costs = {5, 5, 5, 5};
  s.forward_passes = 4;
  return s;
}

TEST(StepCostModel, CollectivesScaleFromTheirTwoRankFigures) {
  CostCalibration c;
  c.allreduce = {2e-6, 1e-9};
  c.broadcast = {3e-6, 1e-9};
  c.gather = {1e-6, 2e-9};
  EXPECT_EQ(collective_seconds(c, Collective::allreduce, 1, 1000), 0.0);
  EXPECT_DOUBLE_EQ(collective_seconds(c, Collective::allreduce, 2, 1000), 2e-6 + 1e-6);
  // 4 ranks: latency x 2, bandwidth x (2 x 3/4) / (2 x 1/2) = 1.5.
  EXPECT_DOUBLE_EQ(collective_seconds(c, Collective::allreduce, 4, 1000), 4e-6 + 1.5e-6);
  // 5 ranks: ceil(log2 5) = 3 latencies.
  EXPECT_DOUBLE_EQ(collective_seconds(c, Collective::broadcast, 5, 0), 9e-6);
  // Broadcast bandwidth grows with log2 R: 8 ranks x 3.
  EXPECT_DOUBLE_EQ(collective_seconds(c, Collective::broadcast, 8, 1000), 9e-6 + 3e-6);
  // Gather to one: (R-1)/R of the whole over 1/2.
  EXPECT_DOUBLE_EQ(collective_seconds(c, Collective::gather, 4, 1000), 2e-6 + 2e-6 * 1.5);
  c.exchange = {1e-6, 1e-9};
  EXPECT_DOUBLE_EQ(exchange_seconds(c, 3, 1000), 3 * 2e-6);
}

TEST(StepCostModel, PassAndShotTimesFollowTheCalibration) {
  CostCalibration c;
  c.pass_seconds_per_amplitude = {{10, 1e-9}, {20, 3e-9}};
  EXPECT_DOUBLE_EQ(pass_seconds(c, 15), 2e-9 * std::ldexp(1.0, 15));  // halfway
  EXPECT_DOUBLE_EQ(pass_seconds(c, 25), 3e-9 * std::ldexp(1.0, 25));  // held beyond
  EXPECT_DOUBLE_EQ(pass_seconds(c, 4), 1e-9 * 16);                    // held below
  c.estimate_seconds_per_state = 1e-8;
  c.estimate_seconds_per_shot = 2e-8;
  EXPECT_DOUBLE_EQ(estimate_seconds(c, 10, 1000), 1e-8 * 1024 + 2e-8 * 1000);
  EXPECT_EQ(estimate_seconds(c, 10, 0), 0.0);
  // Up to 2^24 states the group's lead draws from all of them; beyond, each rank its slice.
  EXPECT_DOUBLE_EQ(estimate_seconds(c, 24, 1000, 4), 1e-8 * std::ldexp(1.0, 24) + 2e-8 * 1000);
  EXPECT_DOUBLE_EQ(estimate_seconds(c, 26, 1000, 4), 1e-8 * std::ldexp(1.0, 24) + 2e-8 * 1000);
  EXPECT_DOUBLE_EQ(estimate_seconds(c, 26, 1000, 1), 1e-8 * std::ldexp(1.0, 26) + 2e-8 * 1000);
}

TEST(StepCostModel, SitesThatDivideTheRanksSplitPerfectly) {
  const StepShape step = four_equal_sites();
  const CostCalibration c = compute_only();
  const MachineShape machine;
  const double pass = 1e-9 * 16;
  // Every rank: the unshifted forward (4 passes) and the paired final state (4; the prefix
  // walk to fused gate 0 is empty); its share of 4 x 5 suffix passes.
  for (int ranks : {1, 2, 4}) {
    const StepPrediction p = predict_step(step, c, machine, ranks, 1);
    EXPECT_DOUBLE_EQ(p.replicated, 8 * pass) << ranks;
    EXPECT_DOUBLE_EQ(p.work, 20.0 / ranks * pass) << ranks;
    EXPECT_DOUBLE_EQ(p.seconds, (8 + 20.0 / ranks) * pass) << ranks;
    EXPECT_EQ(p.busy_groups, ranks);
    EXPECT_EQ(p.communication, 0.0);
  }
}

TEST(StepCostModel, EfficiencyFallsOnceRanksExceedTheSuffixSimulations) {
  const StepShape step = four_equal_sites();
  const CostCalibration c = compute_only();
  const MachineShape machine;
  const double one = predict_step(step, c, machine, 1, 1).seconds;
  const StepPrediction four = predict_step(step, c, machine, 4, 1);
  const StepPrediction eight = predict_step(step, c, machine, 8, 1);
  EXPECT_EQ(eight.busy_groups, 4);  // 4 ranks idle
  EXPECT_DOUBLE_EQ(eight.seconds, four.seconds);
  const auto [s4, e4] = speedup_and_efficiency(four, one, 1);
  const auto [s8, e8] = speedup_and_efficiency(eight, one, 1);
  EXPECT_DOUBLE_EQ(s4, 28.0 / 13.0);
  EXPECT_DOUBLE_EQ(s8, s4);
  EXPECT_DOUBLE_EQ(e8, e4 / 2);
}

// The step of ansatz 1 with `qubits` and `depth`, default engine options (paired, exact).
StepShape ansatz1_step(int qubits, int depth) {
  circuits::AnsatzSpec spec;
  spec.num_qubits = qubits;
  spec.depth = depth;
  return describe_step(circuits::build_qcbm_circuit(spec), EngineOptions{});
}

TEST(StepCostModel, ARealCircuitStopsSpeedingUpAtItsSites) {
  const StepShape step = ansatz1_step(8, 1);
  ASSERT_EQ(step.num_parameters, 3 * (2 * 8 - 2) + 3 * 8);
  EXPECT_EQ(step.circuits(), 1 + 2 * static_cast<int>(step.sites.size()));
  const CostCalibration c = compute_only();
  const MachineShape machine;
  double previous = predict_step(step, c, machine, 1, 1).seconds;
  for (int ranks = 2; ranks <= 64; ranks *= 2) {
    const double now = predict_step(step, c, machine, ranks, 1).seconds;
    EXPECT_LE(now, previous) << ranks;
    previous = now;
  }
  // One parameter per rank and more: the slowest rank holds the most expensive site alone.
  const StepPrediction at_sites = predict_step(step, c, machine, step.num_parameters, 1);
  EXPECT_EQ(at_sites.busy_groups, step.num_parameters);
  const StepPrediction beyond = predict_step(step, c, machine, 2 * step.num_parameters, 1);
  EXPECT_EQ(beyond.busy_groups, step.num_parameters);
  EXPECT_DOUBLE_EQ(beyond.seconds, at_sites.seconds);
}

TEST(StepCostModel, MemoryForcesTheGroupSizeUp) {
  const StepShape step = ansatz1_step(30, 1);
  CostCalibration c = compute_only();
  c.exchange = {1.0, 0};  // a second per exchange: a group is a last resort
  MachineShape machine;
  machine.node_memory = 100 * kGiB;
  machine.ranks_per_node = 1;
  // Per rank, in units of 16 B x 2^Q / S: 6 states and half a unit of the loss's slices
  // (train::group_training_memory; the loss is sliced over the group, so all of it shrinks).
  const StepPrediction s1 = predict_step(step, c, machine, 2, 1);
  EXPECT_DOUBLE_EQ(s1.memory_per_rank, 6.5 * 16 * kGiB);
  EXPECT_FALSE(s1.fits);
  const StepPrediction s2 = predict_step(step, c, machine, 2, 2);
  EXPECT_DOUBLE_EQ(s2.memory_per_rank, 6.5 * 8 * kGiB);
  EXPECT_TRUE(s2.fits);
  const StepPrediction best = best_layout(step, c, machine, 2);
  EXPECT_EQ(best.group_size, 2);
  EXPECT_TRUE(best.fits);
  // With room for S = 1 the split without exchanges wins on 2 ranks.
  machine.node_memory = 200 * kGiB;
  EXPECT_EQ(best_layout(step, c, machine, 2).group_size, 1);
  // By default as many ranks go on a node as fit: 104 GiB per rank, 2 on a 256-GiB node.
  MachineShape packed;
  packed.node_memory = 256 * kGiB;
  const StepPrediction auto_placed = predict_step(step, c, packed, 8, 1);
  EXPECT_TRUE(auto_placed.fits);
  EXPECT_EQ(auto_placed.ranks_per_node, 2);
  EXPECT_EQ(auto_placed.nodes, 4);
  packed.ranks_per_node = 4;  // fixed: 416 GiB on a node does not fit
  EXPECT_FALSE(predict_step(step, c, packed, 8, 1).fits);
  // Nothing fits: the layout needing least memory, marked as not fitting.
  machine.node_memory = 10 * kGiB;
  const StepPrediction none = best_layout(step, c, machine, 4);
  EXPECT_FALSE(none.fits);
  EXPECT_EQ(none.group_size, 4);
}

TEST(StepCostModel, GroupsPayForTheirPlansExchanges) {
  const StepShape step = ansatz1_step(8, 2);
  CostCalibration c = compute_only();
  c.exchange = {1e-3, 0};  // a millisecond per exchange, nothing else
  const MachineShape machine;
  const StepPrediction one_group = predict_step(step, c, machine, 2, 2);
  const StepPrediction split = predict_step(step, c, machine, 2, 1);
  const int per_circuit = sim::plan_distribution(step.fusion, 1).exchanges;
  ASSERT_GT(per_circuit, 0);
  // At least the unshifted circuit's and the paired final state's exchanges.
  EXPECT_GE(one_group.traffic.exchanges, 2 * per_circuit);
  EXPECT_NEAR(one_group.communication, one_group.traffic.exchanges * 1e-3, 1e-12);
  EXPECT_EQ(split.traffic.exchanges, 0);
  // Without the exchanges, 2^7 amplitudes per rank instead of 2^8: the step takes half as long.
  c.exchange = {0, 0};
  const StepPrediction free_exchanges = predict_step(step, c, machine, 2, 2);
  const StepPrediction single = predict_step(step, c, machine, 1, 1);
  EXPECT_DOUBLE_EQ(free_exchanges.seconds, single.seconds / 2);
}

TEST(StepCostModel, CalibrationRoundTripsAndRefusesBadFiles) {
  CostCalibration c = builtin_calibration();
  c.machine = "test";
  c.pass_seconds_per_amplitude = {{8, 1.5e-9}, {20, 2.5e-9}};
  c.exchange = {3e-6, 4e-10};
  const CostCalibration back = calibration_from_json(to_json(c), "x.json");
  EXPECT_EQ(back.machine, "test");
  EXPECT_EQ(back.pass_seconds_per_amplitude, c.pass_seconds_per_amplitude);
  EXPECT_EQ(back.exchange.latency, 3e-6);
  EXPECT_EQ(back.exchange.seconds_per_byte, 4e-10);
  EXPECT_EQ(back.loss_seconds_per_state, c.loss_seconds_per_state);
  EXPECT_THROW(calibration_from_json("{", "x.json"), core::DataError);
  EXPECT_THROW(calibration_from_json("{}", "x.json"), core::DataError);
  try {
    std::string text = to_json(c);
    text.replace(text.find("\"exchange\""), 10, "\"exchanged\"");
    calibration_from_json(text, "x.json");
    FAIL();
  } catch (const core::DataError& e) {
    EXPECT_NE(std::string(e.what()).find("x.json: missing \"exchange\""), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace qgen::train
