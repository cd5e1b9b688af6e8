// A distributed state on groups of 1, 2 and 4 ranks against single-rank references:
//  - exchanges and local swaps against the same qubit swap done on the whole vector by index
//    arithmetic (every global with every local position: short and long runs, both ranks'
//    sides);
//  - circuits (random ones over every gate kind, the QCBM ansatz up to Q = 20) against
//    sim::Simulator bit for bit and against dense matrix products to 1e-12;
//  - the loss-relevant reductions against sums over the whole distribution;
//  - shot counts against sim::sample_counts on the whole distribution: identical (alias table
//    up to 2^24 states, integer CDF beyond).
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "../support/dense_reference.hpp"
#include "../support/random_circuit.hpp"
#include "distributed_support.hpp"
#include "qgen/circuits/ansatz.hpp"
#include "qgen/sim/distributed_probabilities.hpp"
#include "qgen/sim/distributed_sampling.hpp"
#include "qgen/sim/distributed_simulator.hpp"
#include "qgen/sim/sampling.hpp"
#include "qgen/sim/simulator.hpp"

namespace qgen::sim {
namespace {

using testing::group_sizes;
using testing::world;

// x with its bits at positions a and b (bit Q-1-position) swapped.
std::uint64_t swap_bits(std::uint64_t x, int q, int a, int b) {
  const int ba = q - 1 - a, bb = q - 1 - b;
  const std::uint64_t va = (x >> ba) & 1, vb = (x >> bb) & 1;
  if (va == vb) return x;
  return x ^ ((std::uint64_t{1} << ba) | (std::uint64_t{1} << bb));
}

TEST(DistributedState, ExchangesAndLocalSwapsMoveAmplitudesAsQubitSwaps) {
  for (int s : group_sizes()) {
    if (s == 1) continue;
    const core::RankGroups groups = core::split_into_groups(world(), s);
    for (int q : {4, 7, 18}) {  // 18: local halves of 2^16 amplitudes and more, several chunks
      for (ExchangeTransport transport : {ExchangeTransport::automatic, ExchangeTransport::messages}) {
        DistributedStateVector state(groups.group(), q, transport);
        // All ranks of these tests share one node: shared memory unless messages are asked for.
        EXPECT_EQ(state.shared_memory(), transport == ExchangeTransport::automatic);
        auto expected = testing::random_state(q, 100 + q);
        testing::load(state, expected);
        const int g = state.global_qubits();
        for (int round = 0; round < 12; ++round) {
          // Every (global, local) pair over the rounds, and a local swap now and then.
          const int a = round % g, b = g + (round * 5 + 1) % (q - g);
          state.exchange(a, b);
          std::vector<std::complex<double>> moved(expected.size());
          for (std::uint64_t y = 0; y < moved.size(); ++y) moved[y] = expected[swap_bits(y, q, a, b)];
          expected = moved;
          if (round % 3 == 2) {
            const int c = g + (round % (q - g)), d = g + ((round + 1) % (q - g));
            state.swap_local(c, d);
            for (std::uint64_t y = 0; y < moved.size(); ++y) expected[y] = moved[swap_bits(y, q, c, d)];
          }
          EXPECT_EQ(testing::gather(state), expected)
              << "S " << s << " Q " << q << " round " << round << " shared " << state.shared_memory();
        }
        EXPECT_EQ(state.traffic().exchanges, 12u);
        EXPECT_EQ(state.traffic().bytes_sent, 12u * 8u * state.local().size());
        EXPECT_GT(state.traffic().seconds, 0.0);
        EXPECT_GE(state.traffic().waiting_seconds, 0.0);
        EXPECT_LE(state.traffic().waiting_seconds, state.traffic().seconds);
        if (!state.shared_memory()) {
          EXPECT_EQ(state.traffic().waiting_seconds, 0.0);
        }
      }
    }
  }
}

TEST(DistributedState, LayoutFollowsTheExchanges) {
  for (int s : group_sizes()) {
    if (s == 1) continue;
    const core::RankGroups groups = core::split_into_groups(world(), s);
    DistributedStateVector state(groups.group(), 6);
    EXPECT_TRUE(state.canonical());
    state.exchange(0, 5);
    EXPECT_EQ(state.position_of(0), 5);
    EXPECT_EQ(state.position_of(5), 0);
    EXPECT_EQ(state.qubit_at(0), 5);
    EXPECT_FALSE(state.canonical());
    // A gate on a global qubit is a bug in the caller, not a silent wrong answer.
    const BoundGate h{FusedKind::Matrix1, {5, -1}, {1.0, 1.0, 1.0, -1.0}};
    EXPECT_THROW(state.apply(h), core::InternalError);
    state.exchange(0, 5);
    EXPECT_TRUE(state.canonical());
  }
}

// The circuit's probabilities on every group size: bit for bit the single-rank simulator's
// (same gates, same order, same kernels), and the dense reference's to 1e-12 when small.
void expect_same_probabilities(const Circuit& c, std::span<const double> theta, FusionLevel level) {
  const std::vector<double> single = Simulator(c, level).probabilities(theta);
  std::vector<double> dense;
  if (c.num_qubits() <= 8) dense = testing::reference_probabilities(c, theta);
  for (int s : group_sizes()) {
    if (c.num_qubits() - std::countr_zero(unsigned(s)) < 2 && s > 1) continue;
    const core::RankGroups groups = core::split_into_groups(world(), s);
    const DistributedSimulator sim(groups.group(), c, level);
    for (ExchangeTransport transport : {ExchangeTransport::automatic, ExchangeTransport::messages}) {
      DistributedStateVector state(groups.group(), c.num_qubits(), transport);
      std::vector<double> p(sim.local_size());
      sim.run(theta, state, p);
      EXPECT_TRUE(state.canonical());
      const auto mine = local_slice(groups.group(), single);
      ASSERT_EQ(p.size(), mine.size());
      // Bit for bit from one lane block (8 amplitudes) per rank on; below it the kernels take
      // their scalar path, which rounds differently.
      if (p.size() >= 8) {
        std::size_t differ = 0;
        for (std::size_t i = 0; i < p.size(); ++i) differ += p[i] != mine[i];
        EXPECT_EQ(differ, 0u) << "S " << s << " Q " << c.num_qubits()
                              << ": probabilities not bit for bit the single-rank ones";
      } else {
        EXPECT_LT(testing::max_difference(p, mine), 1e-14) << "S " << s << " Q " << c.num_qubits();
      }
      if (!dense.empty()) {
        EXPECT_LT(testing::max_difference(p, local_slice(groups.group(), dense)), 1e-12) << "S " << s;
      }
      EXPECT_NEAR(state.norm_squared(), 1.0, 1e-12);
      EXPECT_EQ(state.traffic().exchanges, static_cast<std::uint64_t>(sim.exchanges_per_run()));
      EXPECT_EQ(state.traffic().bytes_sent, sim.bytes_per_run());
      if (s > 1) {
        EXPECT_GT(sim.exchanges_per_run(), 0) << "the global qubits were never touched";
      }
    }
  }
}

TEST(DistributedSimulator, RandomCircuitsOverEveryGateKindAndQubit) {
  for (int seed = 0; seed < 6; ++seed)
    for (int q : {4, 6, 8}) {
      Circuit c(q);
      // A gate on every qubit first (the global ones included), then random gates.
      for (int k = 0; k < q; ++k) c.rx(k, Angle::of(0, 0.5 + k));
      c.append(testing::random_circuit(q, 30, 5, 10 * seed + q));
      const auto theta = testing::random_parameters(c.num_parameters(), seed);
      for (FusionLevel level : {FusionLevel::none, FusionLevel::one_qubit, FusionLevel::two_qubit})
        expect_same_probabilities(c, theta, level);
    }
}

TEST(DistributedSimulator, QcbmAnsatzesUpToTwentyQubits) {
  const Circuit a1 = circuits::build_qcbm_circuit({1, 8, 3, 0, circuits::InitialState::bell});
  expect_same_probabilities(a1, testing::random_parameters(a1.num_parameters(), 1), FusionLevel::two_qubit);
  const Circuit a2 = circuits::build_qcbm_circuit({2, 12, 2, 4, circuits::InitialState::ghz});
  expect_same_probabilities(a2, testing::random_parameters(a2.num_parameters(), 2), FusionLevel::two_qubit);
  const Circuit big = circuits::build_qcbm_circuit({1, 20, 1});
  expect_same_probabilities(big, testing::random_parameters(big.num_parameters(), 3), FusionLevel::two_qubit);
}

TEST(DistributedSimulator, FinalStateEqualsTheSingleRankState) {
  const Circuit c = circuits::build_qcbm_circuit({1, 10, 2});
  const auto theta = testing::random_parameters(c.num_parameters(), 5);
  const StateVector single = Simulator(c).state(theta);
  for (int s : group_sizes()) {
    const core::RankGroups groups = core::split_into_groups(world(), s);
    DistributedStateVector state(groups.group(), c.num_qubits());
    DistributedSimulator(groups.group(), c).run(theta, state);
    const auto all = testing::gather(state);
    for (std::size_t x = 0; x < all.size(); ++x)
      ASSERT_EQ(all[x], single.amplitude(x)) << "S " << s << " amplitude " << x;
  }
}

TEST(DistributedProbabilities, LossReductionsEqualSumsOverTheWholeDistribution) {
  const Circuit c = circuits::build_qcbm_circuit({1, 12, 2});
  const auto theta = testing::random_parameters(c.num_parameters(), 7);
  const std::vector<double> single = Simulator(c).probabilities(theta);
  std::mt19937_64 rng(3);
  std::normal_distribution<double> normal;
  std::vector<double> w(single.size());
  for (double& x : w) x = normal(rng);
  double expected = 0.0;  // long double would hide nothing at 1e-12: plain order
  for (std::size_t x = 0; x < w.size(); ++x) expected += w[x] * single[x];
  const std::vector<int> feature{4, 5, 6, 7}, mixed{11, 0, 6};
  auto direct_marginal = [&](const std::vector<int>& qubits) {
    std::vector<double> m(std::size_t{1} << qubits.size(), 0.0);
    for (std::size_t x = 0; x < single.size(); ++x) {
      std::size_t k = 0;
      for (int q : qubits) k = 2 * k + ((x >> (11 - q)) & 1);
      m[k] += single[x];
    }
    return m;
  };
  for (int s : group_sizes()) {
    const core::RankGroups groups = core::split_into_groups(world(), s);
    const auto& g = groups.group();
    const std::vector<double> p = DistributedSimulator(g, c).probabilities(theta);
    EXPECT_NEAR(weighted_sum(g, local_slice(g, w), p), expected, 1e-12 * std::abs(expected) + 1e-15);
    for (const auto& qubits : {feature, mixed})
      EXPECT_LT(testing::max_difference(marginal(g, 12, p, qubits), direct_marginal(qubits)), 1e-14);
    EXPECT_EQ(gather_distribution(g, p, /*everywhere=*/true), single);
    const auto on_lead = gather_distribution(g, p);
    EXPECT_EQ(on_lead, g.lead() ? single : std::vector<double>{});
  }
}

TEST(DistributedSampling, CountsEqualTheSingleRankSamplersForAnyGroupSize) {
  const Circuit c = circuits::build_qcbm_circuit({1, 10, 2, 0, circuits::InitialState::bell});
  const std::uint64_t seed = 2024, shots = 20000;
  for (std::uint32_t circuit_id : {0u, 1u, 17u}) {
    const auto theta = testing::random_parameters(c.num_parameters(), circuit_id);
    const std::vector<double> single = Simulator(c).probabilities(theta);
    core::RandomStream reference(seed, core::stream_id(3, circuit_id));
    const auto expected = sim::sample_counts(single, shots, reference);
    for (int s : group_sizes()) {
      const core::RankGroups groups = core::split_into_groups(world(), s);
      const auto& g = groups.group();
      const std::vector<double> p = DistributedSimulator(g, c).probabilities(theta);
      core::RandomStream stream(seed, core::stream_id(3, circuit_id));
      const auto counts = sample_counts(g, p, shots, stream);
      const std::size_t first = g.rank * counts.size();
      for (std::size_t i = 0; i < counts.size(); ++i)
        ASSERT_EQ(counts[i], expected[first + i]) << "S " << s << " circuit " << circuit_id << " x " << first + i;
      // Every rank's stream is where the single-rank sampler left its own.
      EXPECT_EQ(stream.position(), reference.position());
      // A sampler reused: the same counts again from a stream at the same place.
      std::vector<double> estimate(p.size());
      DistributedShotSampler sampler;
      for (int call = 0; call < 2; ++call) {
        core::RandomStream again(seed, core::stream_id(3, circuit_id));
        const auto reused = sampler.count(g, p, shots, again);
        ASSERT_TRUE(std::equal(reused.begin(), reused.end(), counts.begin())) << "call " << call;
      }
      core::RandomStream again(seed, core::stream_id(3, circuit_id));
      sampler.estimate(g, p, shots, again, estimate);
      const double inverse = 1.0 / static_cast<double>(shots);
      for (std::size_t i = 0; i < estimate.size(); ++i)
        ASSERT_EQ(estimate[i], static_cast<double>(expected[first + i]) * inverse);
    }
  }
}

TEST(DistributedSampling, AboveTheLargestAliasTableEachRankCountsItsSliceWithoutGathering) {
  // Q = 25 (2^25 states, beyond the alias table): the integer CDF on the slices must give the
  // single-rank sampler's counts, and every rank's stream must move past all the shots. A
  // synthetic distribution (a simulation at Q = 25 would take most of the test's time), with
  // exact zeros and an unnormalised total; its weights round when added, so that a total summed
  // in another order than the single rank's pairwise one would change the integer weights.
  const std::size_t n = 2 * kLargestAliasTable;
  const auto weight = [](std::uint64_t x) {
    return x % 5 == 2 ? 0.0 : std::exp(-1e-7 * static_cast<double>(x)) * static_cast<double>(1 + x % 3);
  };
  std::vector<double> whole(n);
  for (std::size_t x = 0; x < n; ++x) whole[x] = weight(x);
  const std::uint64_t shots = 30000;
  core::RandomStream reference(77, core::stream_id(5, 3));
  ShotSampler single;
  const auto counts = single.count(whole, shots, reference);
  const std::vector<std::uint32_t> expected(counts.begin(), counts.end());
  whole = {};
  for (int s : group_sizes()) {
    const core::RankGroups groups = core::split_into_groups(world(), s);
    const auto& g = groups.group();
    const std::size_t local = n / s, first = g.rank * local;
    std::vector<double> slice(local);
    for (std::size_t i = 0; i < local; ++i) slice[i] = weight(first + i);
    core::RandomStream stream(77, core::stream_id(5, 3));
    DistributedShotSampler sampler;
    const auto mine = sampler.count(g, slice, shots, stream);
    ASSERT_EQ(mine.size(), local);
    for (std::size_t i = 0; i < local; ++i)
      ASSERT_EQ(mine[i], expected[first + i]) << "S " << s << " x " << first + i;
    EXPECT_EQ(stream.position(), reference.position());
  }
}

}  // namespace
}  // namespace qgen::sim
