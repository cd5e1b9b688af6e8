// The split of gradient work over ranks, and checkpoint files.
#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>

#include "../support/expect_error.hpp"
#include "../support/temp_dir.hpp"
#include "qgen/core/errors.hpp"
#include "qgen/train/checkpoint.hpp"
#include "qgen/train/gradient_engine.hpp"

namespace qgen::train {
namespace {

// Every parameter in exactly one work set; each set ascending.
void expect_partition(const std::vector<std::vector<int>>& work, int n) {
  std::vector<int> seen(n, 0);
  for (const auto& w : work) {
    EXPECT_TRUE(std::is_sorted(w.begin(), w.end()));
    for (int j : w) {
      ASSERT_TRUE(j >= 0 && j < n) << j;
      ++seen[j];
    }
  }
  for (int j = 0; j < n; ++j) EXPECT_EQ(seen[j], 1) << "parameter " << j;
}

std::vector<double> loads(const std::vector<std::vector<int>>& work, const std::vector<double>& cost) {
  std::vector<double> load;
  for (const auto& w : work) {
    double sum = 0;
    for (int j : w) sum += cost[j];
    load.push_back(sum);
  }
  return load;
}

TEST(WorkAssignment, EqualCostsGiveEqualCounts) {
  const std::vector<double> flat(300, 1.0);
  for (int ranks : {1, 2, 3, 7}) {
    const auto work = assign_work(flat, ranks);
    ASSERT_EQ(work.size(), static_cast<std::size_t>(ranks));
    expect_partition(work, 300);
    for (const auto& w : work) EXPECT_NEAR(w.size(), 300.0 / ranks, 1.0);
  }
}

TEST(WorkAssignment, FallingCostsAreMixedAndBalanced) {
  // Early parameters have long suffixes: costs fall along the circuit. Each rank must get some
  // of the first and some of the last quarter, and loads within the largest cost of the mean
  // (the greedy's guarantee).
  std::vector<double> falling(400);
  for (int k = 0; k < 400; ++k) falling[k] = 1.0 + 0.01 * (400 - k);
  for (int ranks : {2, 3, 5}) {
    const auto work = assign_work(falling, ranks);
    expect_partition(work, 400);
    const auto load = loads(work, falling);
    const double mean = std::accumulate(load.begin(), load.end(), 0.0) / ranks;
    for (int r = 0; r < ranks; ++r) {
      EXPECT_LE(load[r], mean + falling[0]) << ranks << " ranks, rank " << r;
      EXPECT_LT(work[r].front(), 100);
      EXPECT_GE(work[r].back(), 300);
    }
  }
}

TEST(WorkAssignment, DependsOnlyOnItsArguments) {
  // Ties broken by index and rank: the same answer every time, on every rank.
  std::vector<double> cost = {3, 1, 3, 2, 2, 1, 3};
  const auto a = assign_work(cost, 3), b = assign_work(cost, 3);
  EXPECT_EQ(a, b);
  // By falling cost 0, 2, 6 (3 each) go to ranks 0, 1, 2; then 3 and 4 (2 each) to ranks 0
  // and 1 (tied at 3, lower rank first); then 1 and 5 to rank 2, the least loaded (3, then 4).
  EXPECT_EQ(a[0], (std::vector<int>{0, 3}));
  EXPECT_EQ(a[1], (std::vector<int>{2, 4}));
  EXPECT_EQ(a[2], (std::vector<int>{1, 5, 6}));
}

TEST(WorkAssignment, MoreRanksThanParameters) {
  const auto work = assign_work(std::vector<double>(2, 1.0), 3);
  expect_partition(work, 2);
  EXPECT_TRUE(work[2].empty());
  EXPECT_THROW(assign_work(std::vector<double>(2, 1.0), 0), std::invalid_argument);
}

Checkpoint sample_checkpoint() {
  Checkpoint c;
  c.config = "[circuit]\nqubits = 8\n";
  c.fingerprint = {{"circuit.ansatz", "2"}, {"train.shots", "8192"}};
  c.parameters = {0.1, 0.2, 0.3};
  c.optimizer = "adam";
  c.has_adam = true;
  c.adam = {{1, 2, 3}, {4, 5, 6}, 17};
  c.iteration = 17;
  c.iterate_evaluation = 17;
  c.ranks = 2;
  c.history.step = {0, 1};
  c.history.evaluations = {1, 2};
  c.history.loss = {0.5, 0.25};
  c.history.grad_norm = {1.0, 0.5};
  c.history.seconds = {0.1, 0.1};
  return c;
}

TEST(Checkpoint, RoundTrip) {
  testing::TempDir dir;
  const Checkpoint c = sample_checkpoint();
  write_checkpoint(dir.file("c.h5"), c);
  EXPECT_EQ(dir.count(), 1u);
  const Checkpoint back = read_checkpoint(dir.file("c.h5"));
  EXPECT_EQ(back.config, c.config);
  EXPECT_EQ(fingerprint_differences(back.fingerprint, c.fingerprint), "");
  EXPECT_EQ(back.parameters, c.parameters);
  EXPECT_EQ(back.optimizer, "adam");
  ASSERT_TRUE(back.has_adam);
  EXPECT_EQ(back.adam.first_moment, c.adam.first_moment);
  EXPECT_EQ(back.adam.second_moment, c.adam.second_moment);
  EXPECT_EQ(back.adam.step, 17);
  EXPECT_EQ(back.iteration, 17);
  EXPECT_EQ(back.iterate_evaluation, 17u);
  EXPECT_EQ(back.history.loss, c.history.loss);
  EXPECT_EQ(back.history.step, c.history.step);
}

TEST(Checkpoint, FingerprintDifferencesNameEachKey) {
  const Fingerprint saved{{"circuit.ansatz", "2"}, {"circuit.qubits", "8"}, {"target", "ab"}};
  const Fingerprint now{{"circuit.ansatz", "1"}, {"circuit.qubits", "8"}, {"train.shots", "8192"}};
  const std::string d = fingerprint_differences(saved, now);
  EXPECT_NE(d.find("circuit.ansatz: checkpoint 2, this run 1"), std::string::npos) << d;
  EXPECT_NE(d.find("train.shots: checkpoint (none), this run 8192"), std::string::npos) << d;
  EXPECT_NE(d.find("target: checkpoint ab, this run (none)"), std::string::npos) << d;
  EXPECT_EQ(d.find("circuit.qubits"), std::string::npos);
  EXPECT_NE(content_hash({1.0, 2.0}), content_hash({1.0, 2.0000000000000004}));
}

TEST(Checkpoint, RefusesOtherFiles) {
  testing::TempDir dir;
  testing::expect_error<core::DataError>([&] { read_checkpoint(dir.file("none.h5")); }, "does not exist");
  testing::expect_error<core::DataError>([&] { read_checkpoint(dir.write("x.h5", "text")); },
                                         "is not an HDF5 file");
}

}  // namespace
}  // namespace qgen::train
