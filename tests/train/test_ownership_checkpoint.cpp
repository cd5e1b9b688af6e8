// Parameter ownership across ranks, and checkpoint files.
#include <gtest/gtest.h>

#include "../support/expect_error.hpp"
#include "../support/temp_dir.hpp"
#include "qgen/data/data_error.hpp"
#include "qgen/train/checkpoint.hpp"
#include "qgen/train/gradient_engine.hpp"

namespace qgen::train {
namespace {

void expect_partition(const std::vector<Ownership>& blocks, int n) {
  int next = 0;
  for (const auto& b : blocks) {
    EXPECT_EQ(b.first, next);
    EXPECT_GE(b.last, b.first);
    next = b.last;
  }
  EXPECT_EQ(next, n);
}

TEST(Ownership, ContiguousBlocksOfAboutEqualCost) {
  const std::vector<double> flat(300, 1.0);
  for (int ranks : {1, 2, 3, 7}) {
    const auto blocks = balanced_ownership(flat, ranks);
    expect_partition(blocks, 300);
    for (const auto& b : blocks) EXPECT_NEAR(b.size(), 300.0 / ranks, 1.0);
  }
  // Falling costs (early parameters have long suffixes): the first rank takes fewer of them.
  std::vector<double> falling(100);
  for (int k = 0; k < 100; ++k) falling[k] = 100 - k;
  const auto blocks = balanced_ownership(falling, 2);
  expect_partition(blocks, 100);
  double cost0 = 0, cost1 = 0;
  for (int k = blocks[0].first; k < blocks[0].last; ++k) cost0 += falling[k];
  for (int k = blocks[1].first; k < blocks[1].last; ++k) cost1 += falling[k];
  EXPECT_LT(blocks[0].size(), blocks[1].size());
  EXPECT_NEAR(cost0 / (cost0 + cost1), 0.5, 0.02);
  // More ranks than parameters: everything is still owned once.
  expect_partition(balanced_ownership(std::vector<double>(2, 1.0), 3), 2);
  for (const auto& b : balanced_ownership(std::vector<double>(3, 1.0), 3)) EXPECT_EQ(b.size(), 1);
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
  testing::expect_error<data::DataError>([&] { read_checkpoint(dir.file("none.h5")); }, "does not exist");
  testing::expect_error<data::DataError>([&] { read_checkpoint(dir.write("x.h5", "text")); },
                                         "is not an HDF5 file");
}

}  // namespace
}  // namespace qgen::train
