// The batch queue (hw/batch_queue.hpp) on one rank against scripted fake backends whose every
// call is recorded: counts after k polls, a backend that never answers (timeout naming the
// batch), transient submit failures retried, data errors not retried, counts that do not add up
// rejected, batches split into parts by max_shots with their counts added, and a stop request.
// Timeouts and back-offs are milliseconds so that the tests run fast; nothing asserts a time.
#include <gtest/gtest.h>
#include <mpi.h>

#include <map>
#include <numeric>
#include <stdexcept>

#include "../support/expect_error.hpp"
#include "qgen/core/errors.hpp"
#include "qgen/hw/batch_queue.hpp"

namespace qgen::hw {
namespace {

// A lead-only backend that answers after `answer_after` polls (never when < 0). Its counts for
// circuit i of a piece with s shots: s/2 + i on state i mod 4, the rest on state (i + 1) mod 4.
class ScriptedBackend : public Backend {
public:
  int answer_after = 1;
  int transient_failures = 0;       // submits that throw std::runtime_error first
  bool refuse_with_data_error = false;
  std::uint64_t shots_limit = 100000;
  int experiments_limit = 100;
  std::int64_t total_offset = 0;    // added to circuit 0's counts: a wrong total when non-zero
  int circuits_offset = 0;          // counts of this many more circuits than asked

  std::vector<BatchRequest> submitted;  // every call to submit, failed ones included
  std::map<std::string, int> polls;

  std::string describe() const override { return "fake(scripted)"; }
  int num_qubits() const override { return 2; }
  int max_experiments() const override { return experiments_limit; }
  std::uint64_t max_shots() const override { return shots_limit; }

  void submit(const BatchRequest& batch) override {
    submitted.push_back(batch);
    if (transient_failures > 0) {
      --transient_failures;
      throw std::runtime_error("service busy");
    }
    if (refuse_with_data_error) throw core::DataError("circuit too deep for the device");
  }

  std::optional<std::vector<Counts>> poll(const BatchRequest& batch) override {
    const int n = ++polls[batch.id];
    if (answer_after < 0 || n < answer_after) return std::nullopt;
    std::vector<Counts> counts;
    for (std::size_t i = 0; i < batch.parameter_sets.size() + circuits_offset; ++i) counts.push_back(expected(batch.shots, i));
    counts[0][0] += total_offset;
    return counts;
  }

  static Counts expected(std::uint64_t shots, std::size_t i) {
    Counts c(4, 0);
    const std::uint64_t first = std::min<std::uint64_t>(shots, shots / 2 + i);
    c[i % 4] += first;
    c[(i + 1) % 4] += shots - first;
    return c;
  }
};

BatchRequest request(const std::string& id, std::size_t circuits, std::uint64_t shots) {
  BatchRequest b{id, 7, shots, {}};
  for (std::size_t i = 0; i < circuits; ++i) b.parameter_sets.push_back({0.1 * i, 0.2});
  return b;
}

QueueOptions fast() {
  QueueOptions o;
  o.timeout = 5;
  o.poll_interval = 1e-4;
  o.max_poll_interval = 1e-3;
  o.retry_backoff = 1e-4;
  o.submit_retries = 3;
  return o;
}

core::Ranks one_rank() { return core::Ranks::of(MPI_COMM_SELF); }

std::vector<std::size_t> whole(std::size_t n) { return {0, n}; }

TEST(BatchQueue, CountsAfterSeveralPolls) {
  ScriptedBackend backend;
  backend.answer_after = 4;
  const BatchRequest batch = request("b1", 5, 1000);
  std::vector<std::string> log;
  QueueOptions o = fast();
  o.log = [&](const std::string& line) { log.push_back(line); };
  const auto counts = run_batch(one_rank(), backend, batch, whole(5), o);
  ASSERT_TRUE(counts);
  ASSERT_EQ(counts->size(), 5u);
  for (std::size_t i = 0; i < 5; ++i) EXPECT_EQ((*counts)[i], ScriptedBackend::expected(1000, i));
  EXPECT_EQ(backend.submitted.size(), 1u);
  EXPECT_EQ(backend.submitted[0].id, "b1");
  EXPECT_EQ(backend.submitted[0].parameter_sets, batch.parameter_sets);
  EXPECT_EQ(backend.polls["b1"], 4);
  EXPECT_TRUE(log.empty());
}

TEST(BatchQueue, NoAnswerTimesOutNamingTheBatch) {
  ScriptedBackend backend;
  backend.answer_after = -1;
  QueueOptions o = fast();
  o.timeout = 0.02;
  testing::expect_error<core::DataError>(
      [&] { run_batch(one_rank(), backend, request("lcd-i3-s0-l3", 2, 100), whole(2), o); },
      "no counts for batch 'lcd-i3-s0-l3'");
  testing::expect_error<core::DataError>(
      [&] { run_batch(one_rank(), backend, request("lcd-i3-s0-l3", 2, 100), whole(2), o); }, "fake(scripted)");
  EXPECT_GE(backend.polls["lcd-i3-s0-l3"], 2);
}

TEST(BatchQueue, TransientSubmitFailuresAreRetried) {
  ScriptedBackend backend;
  backend.transient_failures = 2;
  std::vector<std::string> log;
  QueueOptions o = fast();
  o.log = [&](const std::string& line) { log.push_back(line); };
  const auto counts = run_batch(one_rank(), backend, request("b2", 3, 500), whole(3), o);
  ASSERT_TRUE(counts);
  EXPECT_EQ((*counts)[2], ScriptedBackend::expected(500, 2));
  EXPECT_EQ(backend.submitted.size(), 3u);  // two failures, then the success
  ASSERT_EQ(log.size(), 2u);
  EXPECT_NE(log[0].find("service busy"), std::string::npos) << log[0];
}

TEST(BatchQueue, PersistentSubmitFailureGivesUpAfterTheRetries) {
  ScriptedBackend backend;
  backend.transient_failures = 1000;
  QueueOptions o = fast();
  o.submit_retries = 2;
  testing::expect_error<core::DataError>([&] { run_batch(one_rank(), backend, request("b3", 1, 10), whole(1), o); },
                                         "refused batch 'b3' 3 times; last: service busy");
  EXPECT_EQ(backend.submitted.size(), 3u);
  EXPECT_TRUE(backend.polls.empty());
}

TEST(BatchQueue, DataErrorOnSubmitIsNotRetried) {
  ScriptedBackend backend;
  backend.refuse_with_data_error = true;
  testing::expect_error<core::DataError>(
      [&] { run_batch(one_rank(), backend, request("b4", 2, 10), whole(2), fast()); }, "circuit too deep");
  EXPECT_EQ(backend.submitted.size(), 1u);
  EXPECT_TRUE(backend.polls.empty());
}

TEST(BatchQueue, CountsThatDoNotAddUpAreRejected) {
  ScriptedBackend backend;
  backend.total_offset = 1;
  testing::expect_error<core::DataError>(
      [&] { run_batch(one_rank(), backend, request("b5", 2, 100), whole(2), fast()); },
      "counts of circuit 0 sum to 101; 100 shots");
  ScriptedBackend more;
  more.circuits_offset = 1;
  testing::expect_error<core::DataError>([&] { run_batch(one_rank(), more, request("b6", 2, 100), whole(2), fast()); },
                                         "counts of 3 circuits; it holds 2");
}

TEST(BatchQueue, CheckCounts) {
  EXPECT_NO_THROW(check_counts({{1, 2, 3, 4}, {10, 0, 0, 0}}, 2, 10, "here"));
  testing::expect_error<core::DataError>([] { check_counts({{1, 2, 3, 4}, {1, 2, 3}}, 2, 10, "here"); },
                                         "here: circuit 1 has 3 outcomes");
  testing::expect_error<core::DataError>([] { check_counts({{1, 2, 3, 5}}, 2, 10, "there"); }, "there: the counts");
}

TEST(BatchQueue, ShotsBeyondTheLimitGoAsSeveralParts) {
  ScriptedBackend backend;
  backend.shots_limit = 1000;
  backend.answer_after = 2;
  const auto counts = run_batch(one_rank(), backend, request("b7", 4, 2501), whole(4), fast());
  ASSERT_TRUE(counts);
  ASSERT_EQ(backend.submitted.size(), 3u);
  std::uint64_t shots = 0;
  for (int part = 0; part < 3; ++part) {
    const BatchRequest& piece = backend.submitted[part];
    EXPECT_EQ(piece.id, "b7-p" + std::to_string(part + 1) + "of3");
    EXPECT_LE(piece.shots, 1000u);
    EXPECT_GE(piece.shots, 833u);  // nearly equal parts
    EXPECT_EQ(piece.number, 7u);
    EXPECT_EQ(piece.parameter_sets.size(), 4u);
    EXPECT_EQ(backend.polls[piece.id], 2);
    shots += piece.shots;
  }
  EXPECT_EQ(shots, 2501u);
  for (std::size_t i = 0; i < 4; ++i) {
    Counts sum(4, 0);
    for (const BatchRequest& piece : backend.submitted)
      for (int x = 0; x < 4; ++x) sum[x] += ScriptedBackend::expected(piece.shots, i)[x];
    EXPECT_EQ((*counts)[i], sum) << "circuit " << i;
    EXPECT_EQ(std::accumulate((*counts)[i].begin(), (*counts)[i].end(), std::uint64_t{0}), 2501u);
  }
  // Exactly at the limit: one job under the batch's own id.
  ScriptedBackend exact;
  exact.shots_limit = 1000;
  ASSERT_TRUE(run_batch(one_rank(), exact, request("b8", 1, 1000), whole(1), fast()));
  ASSERT_EQ(exact.submitted.size(), 1u);
  EXPECT_EQ(exact.submitted[0].id, "b8");
}

TEST(BatchQueue, CircuitsBeyondTheLimitGoAsSeveralJobs) {
  // 250 circuits, 100 per job, 2 x 1000 shots per circuit: 3 chunks of circuits, each in 2 parts.
  ScriptedBackend backend;
  backend.shots_limit = 1000;
  const auto counts = run_batch(one_rank(), backend, request("b5", 250, 2000), whole(250), fast());
  ASSERT_TRUE(counts);
  ASSERT_EQ(backend.submitted.size(), 6u);
  const std::vector<std::string> ids = {"b5-c1of3-p1of2", "b5-c1of3-p2of2", "b5-c2of3-p1of2",
                                        "b5-c2of3-p2of2", "b5-c3of3-p1of2", "b5-c3of3-p2of2"};
  const std::vector<std::size_t> sizes = {100, 100, 100, 100, 50, 50};
  for (std::size_t j = 0; j < ids.size(); ++j) {
    EXPECT_EQ(backend.submitted[j].id, ids[j]);
    EXPECT_EQ(backend.submitted[j].parameter_sets.size(), sizes[j]);
    EXPECT_EQ(backend.submitted[j].first_circuit, 100 * (j / 2));
    EXPECT_EQ(backend.submitted[j].parameter_sets.front(), (std::vector<double>{0.1 * (100 * (j / 2)), 0.2}));
  }
  ASSERT_EQ(counts->size(), 250u);
  for (std::size_t i = 0; i < 250; ++i) {
    Counts sum = ScriptedBackend::expected(1000, i % 100);
    for (int x = 0; x < 4; ++x) sum[x] *= 2;
    EXPECT_EQ((*counts)[i], sum) << "circuit " << i;
  }
}

TEST(BatchQueue, StopRequestEndsTheWait) {
  ScriptedBackend backend;
  backend.answer_after = -1;
  int asked = 0;
  QueueOptions o = fast();
  o.stop_requested = [&] { return ++asked >= 3; };
  const auto counts = run_batch(one_rank(), backend, request("b9", 2, 100), whole(2), o);
  EXPECT_FALSE(counts);
  EXPECT_EQ(asked, 3);
  EXPECT_EQ(backend.submitted.size(), 1u);
}

TEST(BatchQueue, ShareMustCoverTheBatch) {
  ScriptedBackend backend;
  const std::vector<std::size_t> short_share{0, 1};
  EXPECT_THROW(run_batch(one_rank(), backend, request("b10", 2, 100), short_share, fast()), core::InternalError);
}

}  // namespace
}  // namespace qgen::hw
