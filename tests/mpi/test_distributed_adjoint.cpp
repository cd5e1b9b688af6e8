// The adjoint gradient of a group of 1, 2 or 4 ranks against the single-rank adjoint method
// (1e-12) and against central finite differences of the distributed loss itself (1e-6); and
// bad input to distributed states: one InputError on the lead, an input-kind error on every
// other rank, and no rank left waiting.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "../support/dense_reference.hpp"
#include "../support/random_circuit.hpp"
#include "distributed_support.hpp"
#include "qgen/circuits/ansatz.hpp"
#include "qgen/core/errors.hpp"
#include "qgen/sim/adjoint.hpp"
#include "qgen/sim/distributed_adjoint.hpp"
#include "qgen/sim/distributed_probabilities.hpp"
#include "qgen/sim/distributed_simulator.hpp"

namespace qgen::sim {
namespace {

using testing::group_sizes;
using testing::world;

std::vector<double> random_weights(std::size_t n, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> normal;
  std::vector<double> w(n);
  for (double& x : w) x = normal(rng);
  return w;
}

void expect_same_gradient(const Circuit& c, std::uint64_t seed, FusionLevel level) {
  const auto theta = testing::random_parameters(c.num_parameters(), seed);
  const auto w = random_weights(std::size_t{1} << c.num_qubits(), seed + 1);
  // The reference: the single-rank sweep in its plainest form (R at every gate, no blocks).
  AdjointDifferentiator single(c, level);
  single.set_factored_steps(false);
  single.set_block_bits(0);
  std::vector<double> p_single(w.size()), g_single(c.num_parameters());
  single.forward(theta, p_single);
  single.backward(w, g_single);
  double scale = 0.0;
  for (double x : g_single) scale = std::max(scale, std::abs(x));
  for (int s : group_sizes()) {
    if (s > 1 && c.num_qubits() - std::countr_zero(unsigned(s)) < 2) continue;
    const core::RankGroups groups = core::split_into_groups(world(), s);
    const auto& g = groups.group();
    // The default (factored steps, automatic blocks: 2^14 amplitudes at Q = 20 on one or two
    // ranks), blocks of 2^4 (used at Q = 7 to 10), and neither.
    for (int bits : {kAutomaticBlocks, 4, 0}) {
      DistributedAdjoint adjoint(g, c, level);
      adjoint.set_block_bits(bits);
      adjoint.set_factored_steps(bits != 0);
      std::vector<double> p(adjoint.local_size()), gradient(c.num_parameters());
      adjoint.forward(theta, p);
      EXPECT_EQ(std::vector<double>(p.begin(), p.end()),
                std::vector<double>(local_slice(g, p_single).begin(), local_slice(g, p_single).end()));
      adjoint.backward(local_slice(g, w), gradient);
      EXPECT_LT(testing::max_difference(gradient, g_single), 1e-12 * std::max(1.0, scale))
          << "S " << s << " Q " << c.num_qubits() << " block bits " << bits;
      // Forward and backward both walk the plan: two states through each backward exchange.
      if (s > 1) {
        EXPECT_EQ(adjoint.traffic().exchanges, 3u * adjoint.distribution().exchanges);
      }
    }
  }
}

TEST(DistributedAdjoint, EqualsTheSingleRankGradient) {
  for (int seed = 0; seed < 4; ++seed) {
    Circuit c(7);
    for (int k = 0; k < 7; ++k) c.ry(k, Angle::of(k));
    c.append(testing::random_circuit(7, 40, 9, seed));
    for (FusionLevel level : {FusionLevel::none, FusionLevel::two_qubit})
      expect_same_gradient(c, seed, level);
  }
  expect_same_gradient(circuits::build_qcbm_circuit({1, 10, 2, 0, circuits::InitialState::bell}), 11,
                       FusionLevel::two_qubit);
  expect_same_gradient(circuits::build_qcbm_circuit({2, 9, 2, 3, circuits::InitialState::ghz}), 12,
                       FusionLevel::one_qubit);
  expect_same_gradient(circuits::build_qcbm_circuit({1, 20, 1}), 13, FusionLevel::two_qubit);
}

TEST(DistributedAdjoint, MatchesFiniteDifferencesOfTheDistributedLoss) {
  const Circuit c = circuits::build_qcbm_circuit({1, 6, 2});
  const auto theta = testing::random_parameters(c.num_parameters(), 21);
  const auto w = random_weights(64, 22);
  for (int s : group_sizes()) {
    const core::RankGroups groups = core::split_into_groups(world(), s);
    const auto& g = groups.group();
    const DistributedSimulator sim(g, c);
    auto loss = [&](std::vector<double> t) {
      return weighted_sum(g, local_slice(g, w), sim.probabilities(t));
    };
    DistributedAdjoint adjoint(g, c);
    std::vector<double> p(adjoint.local_size()), gradient(c.num_parameters());
    adjoint.forward(theta, p);
    adjoint.backward(local_slice(g, w), gradient);
    const double h = 1e-5;
    for (int k = 0; k < c.num_parameters(); k += 5) {
      auto up = theta, down = theta;
      up[k] += h;
      down[k] -= h;
      EXPECT_NEAR(gradient[k], (loss(up) - loss(down)) / (2 * h), 1e-6) << "S " << s << " parameter " << k;
    }
  }
}

TEST(DistributedAdjoint, BackwardNeedsAForward) {
  const core::RankGroups groups = core::split_into_groups(world(), world().size);
  const Circuit c = circuits::build_qcbm_circuit({1, 6, 1});
  DistributedAdjoint adjoint(groups.group(), c);
  std::vector<double> w(adjoint.local_size(), 1.0), gradient(c.num_parameters());
  EXPECT_THROW(adjoint.backward(w, gradient), core::InternalError);
}

// `make` throws on every rank of `ranks`: InputError with `fragment` on the lead, an error of
// the input kind elsewhere; afterwards a collective completes (nobody hangs).
void expect_input_error(const core::Ranks& ranks, const std::function<void()>& make,
                        const std::string& fragment) {
  try {
    make();
    ADD_FAILURE() << "accepted; expected an error containing '" << fragment << "'";
  } catch (const std::exception& e) {
    EXPECT_EQ(core::error_kind(e), core::ErrorKind::input) << e.what();
    if (ranks.lead()) {
      EXPECT_NE(dynamic_cast<const core::InputError*>(&e), nullptr) << e.what();
      EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
    }
  }
  int one = 1, sum = 0;
  MPI_Allreduce(&one, &sum, 1, MPI_INT, MPI_SUM, ranks.comm);
  EXPECT_EQ(sum, ranks.size);
}

TEST(DistributedBadInput, MoreGlobalQubitsThanTheStateAllows) {
  if (world().size == 1) GTEST_SKIP() << "one rank has no global qubits";
  const core::RankGroups groups = core::split_into_groups(world(), world().size);
  const auto& g = groups.group();
  const int global = std::countr_zero(unsigned(g.size));
  expect_input_error(g, [&] { DistributedStateVector(g, global); }, "that leaves 0 local per rank");
  expect_input_error(g, [&] { DistributedStateVector(g, global + 1); }, "that leaves 1 local per rank");
  const Circuit c = circuits::build_qcbm_circuit({1, global + 1, 1});
  expect_input_error(g, [&] { DistributedSimulator(g, c); }, "groups of at most");
}

TEST(DistributedBadInput, GroupsThatAreNotPowersOfTwo) {
  if (world().size < 3) GTEST_SKIP() << "needs a group of 3 ranks";
  MPI_Comm three;
  MPI_Comm_split(MPI_COMM_WORLD, world().rank < 3 ? 0 : 1, world().rank, &three);
  const core::Ranks r = core::Ranks::of(three);
  if (world().rank < 3)
    expect_input_error(r, [&] { DistributedStateVector(r, 10); }, "power-of-two group size");
  MPI_Comm_free(&three);
}

TEST(DistributedBadInput, StatesThatDoNotFitTheMemory) {
  for (int s : group_sizes()) {
    const core::RankGroups groups = core::split_into_groups(world(), s);
    const auto& g = groups.group();
    // 2^50 amplitudes: 16 PiB, on any node today.
    expect_input_error(g, [&] { DistributedStateVector(g, 50); }, "use groups of at least");
    Circuit c(46);  // beyond the ansatz builders' 40 qubits
    c.ry(0, Angle::of(0));
    c.cnot(0, 45);
    expect_input_error(g, [&] { DistributedSimulator(g, c); }, "46 qubits on a group of");
    expect_input_error(g, [&] { DistributedAdjoint(g, c); }, "adjoint gradient: 46 qubits");
  }
}

}  // namespace
}  // namespace qgen::sim
