// QINN training: the same history and parameters, bit for bit, on 1, 2 and 3 ranks (each case
// compares the full communicator with rank 0 alone); a run stopped by a signal in the middle of
// an epoch and restarted from its checkpoint ends exactly as the uninterrupted run; the loss
// falls; checkpoints of other kinds are refused.
#include <gtest/gtest.h>
#include <mpi.h>

#include <csignal>
#include <cstring>

#include "../support/temp_dir.hpp"
#include "qgen/data/generators.hpp"
#include "qgen/qinn/dilepton.hpp"
#include "qgen/qinn/trainer.hpp"

namespace qgen::qinn {
namespace {

struct Setup {
  data::Table train_table, validation_table;
  FeatureScaling scaling;
  EventSet train, validation;
  QinnModel model;

  static data::Table events(std::size_t n, std::uint64_t seed) {
    data::SelectionReport report;
    return data::generate_zjet(n, seed, data::LeptonCuts{}, report).select(zll_features());
  }
  Setup()
      : train_table(events(300, 5)), validation_table(events(100, 6)),
        scaling(FeatureScaling::of(train_table)), train(make_event_set(scaling, train_table)),
        validation(make_event_set(scaling, validation_table)),
        model({{5, 2, 1, 2, 8}, 8, sim::FusionLevel::one_qubit}, scaling) {}
};

const Setup& setup() {
  static const Setup s;
  return s;
}

struct Trained {
  TrainingState state;
  TrainerResult result;
};

Trained train(MPI_Comm comm, int epochs, TrainingState state, const std::string& checkpoint = "",
          const train::StopSignals* signals = nullptr, bool signal_after_first_epoch = false) {
  const core::Ranks ranks = core::Ranks::of(comm);
  Objective objective(ranks, setup().model, ObjectiveOptions{});
  TrainerOptions o;
  o.epochs = epochs;
  o.batch_size = 64;  // 5 batches, the last of 44 events
  o.seed = 3;
  o.checkpoint = checkpoint;
  o.signals = signals;
  if (signal_after_first_epoch)
    o.progress = [](const EpochRecord& r) {
      if (r.epoch == 1) std::raise(SIGUSR1);
    };
  Trainer trainer(ranks, objective, setup().train, setup().validation, 5, o);
  Trained run{std::move(state), {}};
  run.result = trainer.run(run.state);
  return run;
}

bool same_bits(const std::vector<double>& a, const std::vector<double>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0;
}

bool same_history(const EpochHistory& a, const EpochHistory& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const EpochRecord &x = a.records[i], &y = b.records[i];
    if (std::memcmp(&x.train, &y.train, sizeof x.train) || std::memcmp(&x.validation, &y.validation, sizeof x.validation) ||
        x.learning_rate != y.learning_rate || x.grad_norm != y.grad_norm || x.epoch != y.epoch)
      return false;
  }
  return true;
}

TrainingState initial() { return Trainer::fresh(setup().model.initial_parameters(2, 3.14159)); }

TEST(QinnTrainer, SameBitsOnAnyNumberOfRanks) {
  const Trained all = train(MPI_COMM_WORLD, 2, initial());
  const Trained alone = train(MPI_COMM_SELF, 2, initial());
  EXPECT_TRUE(same_history(all.state.history, alone.state.history));
  EXPECT_TRUE(same_bits(all.state.parameters, alone.state.parameters));
  EXPECT_EQ(all.state.step, 10);
  EXPECT_EQ(all.state.history.size(), 2u);
}

TEST(QinnTrainer, StopAndRestartContinueBitForBit) {
  int rank = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  testing::TempDir dir;
  // Every rank needs the same path: rank 0's folder, broadcast.
  std::string path = dir.file("ckpt.h5");
  core::broadcast(core::Ranks::of(MPI_COMM_WORLD), path);
  const Trained whole = train(MPI_COMM_WORLD, 3, initial());
  Trained stopped;
  {
    train::StopSignals signals;
    stopped = train(MPI_COMM_WORLD, 3, initial(), path, &signals, true);
  }
  EXPECT_EQ(stopped.result.signal, SIGUSR1);
  EXPECT_EQ(stopped.state.epoch, 1);
  EXPECT_EQ(stopped.state.batch, 1);  // noticed after the next batch
  MPI_Barrier(MPI_COMM_WORLD);
  QinnCheckpoint checkpoint = read_qinn_checkpoint(path);
  EXPECT_EQ(checkpoint.state.step, 6);
  EXPECT_TRUE(same_bits(checkpoint.state.parameters, stopped.state.parameters));
  MPI_Barrier(MPI_COMM_WORLD);
  const Trained resumed = train(MPI_COMM_WORLD, 3, checkpoint.state, path);
  EXPECT_EQ(resumed.result.signal, 0);
  EXPECT_TRUE(same_history(resumed.state.history, whole.state.history));
  EXPECT_TRUE(same_bits(resumed.state.parameters, whole.state.parameters));
  EXPECT_TRUE(same_bits(resumed.state.best_parameters, whole.state.best_parameters));
  MPI_Barrier(MPI_COMM_WORLD);
}

TEST(QinnTrainer, LossFallsAndTheBestEpochIsKept) {
  const Trained run = train(MPI_COMM_WORLD, 6, initial());
  const auto& h = run.state.history.records;
  ASSERT_EQ(h.size(), 6u);
  EXPECT_LT(h.back().train.total, h.front().train.total);
  EXPECT_LT(h.back().validation.total, h.front().validation.total);
  std::size_t best = 0;
  for (std::size_t i = 1; i < h.size(); ++i)
    if (h[i].validation.total < h[best].validation.total) best = i;
  EXPECT_EQ(run.state.best_epoch, static_cast<std::int64_t>(best + 1));
  EXPECT_EQ(run.state.best_validation, h[best].validation.total);
  // The one-cycle rate ends at max * 4e-2 * 1e-4.
  EXPECT_NEAR(h.back().learning_rate, 1e-3 * 4e-2 * 1e-4, 1e-18);
}

TEST(QinnTrainer, RefusesOtherFilesAsCheckpoints) {
  testing::TempDir dir;
  const std::string path = dir.file("other.h5");
  core::hdf5::write_file(path, [](const core::hdf5::Location& file) {
    file.set_attribute("qgen_checkpoint", std::int64_t{1});
  });
  try {
    read_qinn_checkpoint(path);
    ADD_FAILURE() << "no error";
  } catch (const core::DataError& e) {
    EXPECT_NE(std::string(e.what()).find("is not a QINN checkpoint"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace qgen::qinn
