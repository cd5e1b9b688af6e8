// The shifted circuits of a group of 1, 2 or 4 ranks (sim::DistributedParameterShift) against
// the single-rank sim::ParameterShift (itself tested against dense matrices): every slice the
// consumer receives equals the single-rank vector's slice bit for bit when each rank holds at
// least 8 amplitudes (L >= 3; to 1e-15 below), in the same order of sites and signs, for both
// evaluations, all sites or a few, with every fusion level.
#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <tuple>
#include <vector>

#include "../support/dense_reference.hpp"
#include "../support/random_circuit.hpp"
#include "distributed_support.hpp"
#include "qgen/circuits/ansatz.hpp"
#include "qgen/sim/distributed_parameter_shift.hpp"
#include "qgen/sim/distributed_probabilities.hpp"

namespace qgen::sim {
namespace {

using testing::group_sizes;
using testing::world;

using Record = std::tuple<int, int, std::vector<double>>;  // site, sign, probabilities

void expect_same_shifts(const Circuit& c, std::uint64_t seed, FusionLevel level,
                        ShiftEvaluation evaluation, bool every_site) {
  const auto theta = testing::random_parameters(c.num_parameters(), seed);
  const ParameterShift single(c, level, evaluation);
  std::vector<int> sites;
  for (int s = 0; s < static_cast<int>(single.sites().size()); ++s)
    if (every_site || s % 5 == 2) sites.push_back(s);
  std::vector<Record> expected;
  single.evaluate(theta, sites, [&](int site, int sign, std::span<const double> p) {
    expected.emplace_back(site, sign, std::vector<double>(p.begin(), p.end()));
  });
  for (int s : group_sizes()) {
    const int local = c.num_qubits() - std::countr_zero(unsigned(s));
    if (s > 1 && local < 2) continue;
    const core::RankGroups groups = core::split_into_groups(world(), s);
    DistributedParameterShift shift(groups.group(), c, level, evaluation);
    std::size_t k = 0;
    shift.evaluate(theta, sites, [&](int site, int sign, std::span<const double> p) {
      ASSERT_LT(k, expected.size());
      const auto& [want_site, want_sign, want] = expected[k++];
      EXPECT_EQ(site, want_site);
      EXPECT_EQ(sign, want_sign);
      const auto slice = local_slice(groups.group(), want);
      ASSERT_EQ(p.size(), slice.size());
      if (local >= 3) {
        EXPECT_EQ(std::vector<double>(p.begin(), p.end()), std::vector<double>(slice.begin(), slice.end()))
            << "S " << s << " Q " << c.num_qubits() << " site " << site << " sign " << sign;
      } else {
        EXPECT_LT(testing::max_difference(p, slice), 1e-15) << "S " << s << " site " << site;
      }
    });
    EXPECT_EQ(k, expected.size()) << "S " << s;
  }
}

TEST(DistributedParameterShift, EqualsTheSingleRankShiftedCircuits) {
  for (ShiftEvaluation evaluation : {ShiftEvaluation::paired, ShiftEvaluation::direct}) {
    for (int seed = 0; seed < 2; ++seed) {
      Circuit c(7);
      for (int k = 0; k < 7; ++k) c.ry(k, Angle::of(k));
      c.append(testing::random_circuit(7, 30, 9, seed));
      for (FusionLevel level : {FusionLevel::none, FusionLevel::two_qubit})
        expect_same_shifts(c, seed, level, evaluation, seed == 0);
    }
    expect_same_shifts(circuits::build_qcbm_circuit({1, 8, 2, 0, circuits::InitialState::bell}), 11,
                       FusionLevel::two_qubit, evaluation, true);
    expect_same_shifts(circuits::build_qcbm_circuit({2, 9, 2, 3, circuits::InitialState::ghz}), 12,
                       FusionLevel::one_qubit, evaluation, false);
    expect_same_shifts(circuits::build_qcbm_circuit({1, 4, 1}), 13, FusionLevel::two_qubit,
                       evaluation, true);  // L = 2 on groups of 4
  }
}

}  // namespace
}  // namespace qgen::sim
