// Random circuits of every gate kind against the dense reference, at every fusion level.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "../support/dense_reference.hpp"
#include "../support/random_circuit.hpp"
#include "qgen/sim/cache_blocks.hpp"
#include "qgen/sim/kernels.hpp"
#include "qgen/sim/simulator.hpp"

namespace qgen::sim {
namespace {

std::vector<Complex> amplitudes(const StateVector& s) {
  std::vector<Complex> a(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) a[i] = s.amplitude(i);
  return a;
}

constexpr FusionLevel kLevels[] = {FusionLevel::none, FusionLevel::one_qubit,
                                   FusionLevel::two_qubit};

TEST(Simulator, RandomCircuitsMatchDenseReferenceAtEveryFusionLevel) {
  for (int n = 1; n <= 6; ++n)
    for (std::uint64_t seed = 0; seed < 4; ++seed) {
      const Circuit c = testing::random_circuit(n, 60, 5, 1000 * n + seed);
      const auto theta = testing::random_parameters(5, seed);
      const auto expected = testing::reference_state(c, theta);
      for (FusionLevel level : kLevels) {
        const Simulator sim(c, level);
        EXPECT_LT(testing::max_difference(amplitudes(sim.state(theta)), expected), 1e-12)
            << n << " qubits, seed " << seed << ", fusion " << core::name_of(level);
      }
    }
}

TEST(Simulator, NormPreservedAfterTenThousandRandomGates) {
  // All gate kinds, both fused and one kernel call at a time, on a 10-qubit state.
  const int n = 10;
  const Circuit c = testing::random_circuit(n, 10000, 0, 99);
  for (FusionLevel level : kLevels) {
    const Simulator sim(c, level);
    StateVector psi(n);
    sim.run({}, psi);
    EXPECT_NEAR(psi.norm_squared(), 1.0, 1e-12) << core::name_of(level);
  }
  std::mt19937_64 rng(5);
  std::uniform_real_distribution<double> angle(-M_PI, M_PI);
  StateVector psi(n);
  for (int g = 0; g < 10000; ++g) {
    const int a = static_cast<int>(rng() % n), b = (a + 1 + static_cast<int>(rng() % (n - 1))) % n;
    switch (g % 4) {
      case 0: apply_matrix(psi, a, gates::rot(angle(rng), angle(rng), angle(rng))); break;
      case 1: apply_cnot(psi, a, b); break;
      case 2: apply_matrix(psi, a, b, kron(gates::ry(angle(rng)), gates::rx(angle(rng))) * gates::cnot()); break;
      case 3: apply_diagonal(psi, a, {std::polar(1.0, angle(rng)), std::polar(1.0, angle(rng))}); break;
    }
  }
  EXPECT_NEAR(psi.norm_squared(), 1.0, 1e-12);
}

// Cache blocking changes the order in which amplitudes are visited, never what is done to one:
// the same bits as one pass per gate (itself checked against the dense reference above).
TEST(Simulator, CacheBlockedRunsEqualUnblockedOnesBitForBit) {
  const int n = 12;
  const Circuit c = testing::random_circuit(n, 300, 6, 31);
  const auto theta = testing::random_parameters(6, 31);
  const Simulator sim(c);
  const auto gates = bind_gates(sim.plan(), c, theta);
  StateVector expected(n);
  std::vector<double> p_expected(expected.size());
  apply_range(gates, expected, p_expected.data(), 0);
  for (int bits : {8, 9, 10, 11}) {
    int blocked = 0;
    for (const CacheBlockRun& run : plan_cache_blocks(gates, n, bits)) blocked += run.block_bits > 0;
    EXPECT_GT(blocked, 0) << "blocks of 2^" << bits;
    StateVector s(n);
    std::vector<double> p(s.size());
    apply_range(gates, s, p.data(), bits);
    for (std::size_t i = 0; i < s.size(); ++i) {
      ASSERT_EQ(s.amplitude(i), expected.amplitude(i)) << "blocks of 2^" << bits << ", index " << i;
      ASSERT_EQ(p[i], p_expected[i]) << "blocks of 2^" << bits << ", index " << i;
    }
  }
}

TEST(CacheBlocks, RunsAreMaximalAndCoverTheGatesInOrder) {
  const int n = 14, bits = 10;
  const Circuit c = testing::random_circuit(n, 200, 3, 33);
  const auto gates = bind_gates(Simulator(c).plan(), c, testing::random_parameters(3, 33));
  auto within = [&](std::size_t g) {
    for (int q : gates[g].qubits)
      if (q >= 0 && n - 1 - q >= bits) return false;
    return true;
  };
  std::size_t next = 0;
  bool previous_blockable = false;
  for (const CacheBlockRun& run : plan_cache_blocks(gates, n, bits)) {
    ASSERT_EQ(run.first, next);
    ASSERT_GT(run.end, run.first);
    next = run.end;
    const bool blockable = within(run.first);
    EXPECT_FALSE(blockable && previous_blockable) << "runs at gate " << run.first << " not merged";
    EXPECT_EQ(run.block_bits, run.end - run.first >= 2 ? bits : 0);
    for (std::size_t g = run.first; g < run.end; ++g)
      EXPECT_EQ(within(g), blockable) << "gate " << g;
    previous_blockable = blockable;
  }
  EXPECT_EQ(next, gates.size());
  EXPECT_THROW(plan_cache_blocks(gates, n, kMinBlockBits - 1), std::invalid_argument);
  EXPECT_THROW(plan_cache_blocks(gates, n, n), std::invalid_argument);
}

TEST(Simulator, LargeStatesAreCacheBlockedByDefaultWithTheSameResult) {
  const int n = 19;
  ASSERT_GT(cache_block_bits(n), 0);
  EXPECT_EQ(cache_block_bits(12), 0);
  const Circuit c = testing::random_circuit(n, 80, 4, 32);
  const auto theta = testing::random_parameters(4, 32);
  const Simulator sim(c);
  const std::vector<double> p = sim.probabilities(theta);
  StateVector s(n);
  std::vector<double> p_unblocked(s.size());
  apply_range(bind_gates(sim.plan(), c, theta), s, p_unblocked.data(), 0);
  EXPECT_EQ(p, p_unblocked);
}

TEST(Simulator, RejectsAStateOfAnotherSize) {
  const Circuit c = testing::random_circuit(3, 10, 0, 1);
  StateVector wrong(4);
  EXPECT_THROW(Simulator(c).run({}, wrong), std::invalid_argument);
}

}  // namespace
}  // namespace qgen::sim
