// Rank groups on 1, 2 and 4 ranks: every valid group size gives groups of consecutive ranks
// whose communicators agree with the world (checked by an allgather of world ranks, not by the
// split's own arithmetic); a bad size is an InputError with one message on the lead and an
// input-kind error on every other rank, without a hang.
#include <gtest/gtest.h>
#include <mpi.h>

#include <string>
#include <vector>

#include "qgen/core/errors.hpp"
#include "qgen/core/parallel.hpp"

namespace qgen::core {
namespace {

Ranks world() { return Ranks::of(MPI_COMM_WORLD); }

std::vector<int> world_ranks_of(const Ranks& ranks) {
  const int mine = world().rank;
  std::vector<int> all(ranks.size);
  MPI_Allgather(&mine, 1, MPI_INT, all.data(), 1, MPI_INT, ranks.comm);
  return all;
}

TEST(RankGroups, EveryDividingPowerOfTwoGivesGroupsOfConsecutiveRanks) {
  const Ranks w = world();
  for (int s = 1; s <= w.size; s *= 2) {
    if (w.size % s != 0) continue;
    const RankGroups groups = split_into_groups(w, s);
    EXPECT_EQ(groups.size(), s);
    EXPECT_EQ(groups.count(), w.size / s);
    EXPECT_EQ(groups.group().size, s);
    // Group i holds world ranks i S .. i S + S - 1, in order.
    std::vector<int> expected;
    for (int k = 0; k < s; ++k) expected.push_back(groups.index() * s + k);
    EXPECT_EQ(world_ranks_of(groups.group()), expected) << "group size " << s;
    // across(): one rank per group, the same place in each, ordered by group.
    std::vector<int> across;
    for (int i = 0; i < w.size / s; ++i) across.push_back(i * s + groups.group().rank);
    EXPECT_EQ(world_ranks_of(groups.across()), across) << "group size " << s;
    EXPECT_EQ(groups.across().rank, groups.index());
  }
}

TEST(RankGroups, MovedGroupsKeepTheirCommunicators) {
  RankGroups a = split_into_groups(world(), 1);
  RankGroups b = std::move(a);
  EXPECT_EQ(b.group().size, 1);
  EXPECT_EQ(b.count(), world().size);
  EXPECT_EQ(world_ranks_of(b.group()), std::vector<int>{world().rank});
}

// The size is checked on every rank; the lead throws InputError with `fragment`, every other
// rank an error of the input kind (core::agree's RemoteError, which main does not print).
void expect_bad_size(int group_size, const std::string& fragment) {
  const Ranks w = world();
  try {
    split_into_groups(w, group_size);
    ADD_FAILURE() << "group size " << group_size << " accepted";
  } catch (const std::exception& e) {
    EXPECT_EQ(error_kind(e), ErrorKind::input) << e.what();
    if (w.lead()) {
      EXPECT_NE(dynamic_cast<const InputError*>(&e), nullptr) << e.what();
      EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
    }
  }
  // Every rank is back in step: a collective after the failure completes.
  int one = 1, sum = 0;
  MPI_Allreduce(&one, &sum, 1, MPI_INT, MPI_SUM, w.comm);
  EXPECT_EQ(sum, w.size);
}

TEST(RankGroups, SizesThatAreNotPowersOfTwoAreRefused) {
  expect_bad_size(3, "group size 3 is not a power of two");
  expect_bad_size(0, "group size 0 is not a power of two");
  expect_bad_size(-2, "group size -2 is not a power of two");
}

TEST(RankGroups, SizesThatDoNotDivideTheRanksAreRefused) {
  const int too_big = 2 * world().size;
  expect_bad_size(too_big, "group size " + std::to_string(too_big) + " does not divide the " +
                               std::to_string(world().size) + " ranks");
}

}  // namespace
}  // namespace qgen::core
