// LCD does not depend on the number of ranks: two iterations on all ranks (the ranks splitting
// the angles, the noiseless sweep and the counts) give, bit for bit, the parameters, flags,
// shifts and loss vectors that every rank computes alone on MPI_COMM_SELF, for the grid and the
// Fourier method, the each and best updates, and for a parallel (emulator) and a lead-only
// backend (counts scattered by the batch queue). Also: gather_blocks with uneven and empty
// blocks, the batch queue's scatter of a lead-only backend's counts, and a failure or stop on
// the lead reaching every rank.
#include <gtest/gtest.h>
#include <mpi.h>

#include <cstring>

#include "../hw/lcd_fixture.hpp"
#include "qgen/core/errors.hpp"
#include "qgen/core/parallel.hpp"
#include "qgen/hw/batch_queue.hpp"
#include "qgen/hw/lcd_run.hpp"

namespace qgen::hw {
namespace {

core::Ranks world() { return core::Ranks::of(MPI_COMM_WORLD); }
core::Ranks self() { return core::Ranks::of(MPI_COMM_SELF); }

bool same_bits(const std::vector<double>& a, const std::vector<double>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0;
}
bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

// The lead's vector on every rank, to compare the ranks with one another.
std::vector<double> lead_copy(std::vector<double> values) {
  core::broadcast(world(), values);
  return values;
}

struct Case {
  train::LcdMethod method;
  train::LcdUpdate update;
  bool lead_only;
};

TEST(LcdAcrossRanks, TwoIterationsEqualOneRankBitForBit) {
  testing::LcdProblem p;
  // One target for all ranks, as a run reads it on the lead and broadcasts it: the dense
  // reference that computes it rounds differently (1 ulp) with the heap's alignment, which
  // differs between processes, and the ranks' losses would differ in the last bit.
  core::broadcast(world(), p.target);
  const std::vector<Case> cases{{train::LcdMethod::grid, train::LcdUpdate::each, false},
                                {train::LcdMethod::grid, train::LcdUpdate::each, true},
                                {train::LcdMethod::grid, train::LcdUpdate::best, false},
                                {train::LcdMethod::fourier, train::LcdUpdate::each, false},
                                {train::LcdMethod::fourier, train::LcdUpdate::best, true}};
  for (const Case& c : cases) {
    const std::string what = std::string(core::name_of(c.method)) + "/" + std::string(core::name_of(c.update)) +
                             (c.lead_only ? "/lead-only" : "/parallel");
    LcdOptions o;
    o.shots = 3000;
    o.method = c.method;
    o.update = c.update;
    o.fourier_shifts = 5;
    testing::RecordingBackend shared(*p.backend, c.lead_only), alone(*p.backend, c.lead_only);
    const LcdRun on_world(p.circuit, sim::FusionLevel::two_qubit, p.target, shared, o);
    const LcdRun on_self(p.circuit, sim::FusionLevel::two_qubit, p.target, alone, o);
    LcdState split{p.start, {}}, single{p.start, {}};
    for (int i = 0; i < 2; ++i) {
      ASSERT_TRUE(on_world.iterate(world(), split)) << what;
      ASSERT_TRUE(on_self.iterate(self(), single)) << what;
    }
    EXPECT_TRUE(same_bits(split.parameters, single.parameters)) << what;
    EXPECT_TRUE(same_bits(split.parameters, lead_copy(split.parameters))) << what;
    EXPECT_NE(split.parameters, p.start) << what;
    for (int i = 0; i < 2; ++i) {
      const LcdIteration &a = split.iterations[i], &b = single.iterations[i];
      EXPECT_FALSE(a.skipped) << what;
      EXPECT_EQ(a.flat, b.flat) << what << " iteration " << i;
      EXPECT_TRUE(same_bits(a.js_noiseless, b.js_noiseless)) << what << " iteration " << i;
      EXPECT_TRUE(same_bits(a.js_noisy, b.js_noisy)) << what << " iteration " << i;
      EXPECT_TRUE(same_bits(a.shifts, b.shifts)) << what << " iteration " << i;
      EXPECT_TRUE(same_bits(a.sweep_shifts, b.sweep_shifts)) << what << " iteration " << i;
      EXPECT_TRUE(same_bits(a.loss_noisy, b.loss_noisy)) << what << " iteration " << i;
      EXPECT_TRUE(same_bits(a.loss_noiseless, b.loss_noiseless)) << what << " iteration " << i;
      EXPECT_TRUE(same_bits(a.js_noisy, lead_copy(a.js_noisy))) << what << " iteration " << i;
      EXPECT_TRUE(same_bits(a.shifts, lead_copy(a.shifts))) << what << " iteration " << i;
    }
    // Who computed which circuits: a parallel backend is asked for this rank's block of each
    // batch; a lead-only backend sees the whole batch on the lead and nothing elsewhere.
    const auto [rank, size] = std::pair{world().rank, world().size};
    if (c.lead_only) {
      EXPECT_EQ(shared.batches.size(), rank == 0 ? 2u : 0u) << what;
    } else {
      ASSERT_EQ(shared.shares.size(), 2u) << what;
      for (int i = 0; i < 2; ++i) {
        const std::size_t n = split.iterations[i].sweep_shifts.size();
        std::size_t active = 0;
        for (char f : split.iterations[i].flat) active += !f;
        const auto [first, last] = core::block_of(active, size, rank);
        EXPECT_EQ(shared.shares[i].first, first * n) << what;
        EXPECT_EQ(shared.shares[i].second, (last - first) * n) << what;
      }
    }
  }
}

TEST(GatherBlocks, UnevenAndEmptyBlocksInRankOrder) {
  const core::Ranks ranks = world();
  // Rank r holds 2r + 1 values, except rank 1 holds none.
  std::vector<std::size_t> boundaries{0};
  for (int r = 0; r < ranks.size; ++r) boundaries.push_back(boundaries.back() + (r == 1 ? 0 : 2 * r + 1));
  const auto [first, last] = std::pair{boundaries[ranks.rank], boundaries[ranks.rank + 1]};
  std::vector<double> mine;
  for (std::size_t i = first; i < last; ++i) mine.push_back(1000.0 * ranks.rank + 0.5 * i);
  const auto all = core::gather_blocks(ranks, mine, boundaries);
  ASSERT_EQ(all.size(), boundaries.back());
  for (int r = 0; r < ranks.size; ++r)
    for (std::size_t i = boundaries[r]; i < boundaries[r + 1]; ++i) EXPECT_EQ(all[i], 1000.0 * r + 0.5 * i);

  // block_boundaries of 2 items: on 3 ranks the lead's block is empty.
  const auto blocks = core::block_boundaries(2, ranks.size);
  std::vector<double> one;
  for (std::size_t i = blocks[ranks.rank]; i < blocks[ranks.rank + 1]; ++i) one.push_back(7.0 + i);
  EXPECT_EQ(core::gather_blocks(ranks, one, blocks), (std::vector<double>{7.0, 8.0}));

  // A rank holding the wrong number of values: every rank here does, so every rank throws.
  mine.push_back(0.0);
  EXPECT_THROW(core::gather_blocks(ranks, mine, boundaries), core::InternalError);
}

// A lead-only backend: counts of circuit i put shots - i on state i mod 4 and i on state 3.
class LeadOnlyBackend : public Backend {
public:
  bool answers = true;
  int submits = 0;
  std::string describe() const override { return "fake(lead-only)"; }
  int num_qubits() const override { return 2; }
  int max_experiments() const override { return 100; }
  std::uint64_t max_shots() const override { return 1000; }
  void submit(const BatchRequest&) override { ++submits; }
  std::optional<std::vector<Counts>> poll(const BatchRequest& batch) override {
    if (!answers) return std::nullopt;
    std::vector<Counts> counts;
    for (std::size_t i = 0; i < batch.parameter_sets.size(); ++i) counts.push_back(expected(batch.shots, i));
    return counts;
  }
  static Counts expected(std::uint64_t shots, std::size_t i) {
    Counts c(4, 0);
    c[i % 4] += shots - i;
    c[3] += i;
    return c;
  }
};

QueueOptions fast() {
  QueueOptions o;
  o.timeout = 0.05;
  o.poll_interval = 1e-4;
  o.max_poll_interval = 1e-3;
  return o;
}

TEST(BatchQueueAcrossRanks, LeadOnlyCountsAreScatteredByShare) {
  const core::Ranks ranks = world();
  BatchRequest batch{"scatter", 2, 500, {}};
  for (int i = 0; i < 11; ++i) batch.parameter_sets.push_back({0.1 * i});
  // Uneven shares, the last rank's the largest.
  std::vector<std::size_t> share{0};
  for (int r = 0; r < ranks.size; ++r) share.push_back(r + 1 == ranks.size ? 11 : share.back() + r);
  LeadOnlyBackend backend;
  const auto counts = run_batch(ranks, backend, batch, share, fast());
  ASSERT_TRUE(counts);
  EXPECT_EQ(backend.submits, ranks.lead() ? 1 : 0);
  ASSERT_EQ(counts->size(), share[ranks.rank + 1] - share[ranks.rank]);
  for (std::size_t k = 0; k < counts->size(); ++k)
    EXPECT_EQ((*counts)[k], LeadOnlyBackend::expected(500, share[ranks.rank] + k)) << "rank " << ranks.rank;
}

TEST(BatchQueueAcrossRanks, TimeoutAndStopReachEveryRank) {
  const core::Ranks ranks = world();
  const BatchRequest batch{"silent", 1, 100, {{0.0}, {1.0}, {2.0}}};
  const auto share = core::block_boundaries(3, ranks.size);
  LeadOnlyBackend backend;
  backend.answers = false;
  try {
    run_batch(ranks, backend, batch, share, fast());
    ADD_FAILURE() << "no error on rank " << ranks.rank;
  } catch (const core::RemoteError& e) {
    EXPECT_FALSE(ranks.lead());
    EXPECT_NE(std::string(e.what()).find("'silent'"), std::string::npos) << e.what();
  } catch (const core::DataError& e) {
    EXPECT_TRUE(ranks.lead());
    EXPECT_NE(std::string(e.what()).find("no counts for batch 'silent'"), std::string::npos) << e.what();
  }
  QueueOptions stop = fast();
  stop.timeout = 60;
  stop.stop_requested = [] { return true; };
  EXPECT_FALSE(run_batch(ranks, backend, batch, share, stop));
}

}  // namespace
}  // namespace qgen::hw
