// Training results do not depend on the number of ranks, and a restart continues exactly:
// run under mpiexec with 1, 2 and 3 ranks, each case compares the full communicator's run
// with rank 0 training alone (MPI_COMM_SELF), bit for bit.
#include <gtest/gtest.h>
#include <mpi.h>

#include <filesystem>
#include <random>

#include "../support/dense_reference.hpp"
#include "qgen/circuits/ansatz.hpp"
#include "qgen/train/checkpoint.hpp"
#include "qgen/train/trainer.hpp"
#include "qgen/train/training_monitor.hpp"

namespace qgen::train {
namespace {

struct Problem {
  sim::Circuit circuit = circuits::build_qcbm_circuit({1, 4, 2, 0, circuits::InitialState::bell});
  std::vector<double> target;
  std::vector<double> initial;
  Problem() {
    std::mt19937 rng(11);
    std::exponential_distribution<double> e(1.0);
    double total = 0;
    for (int x = 0; x < 16; ++x) total += target.emplace_back(e(rng));
    for (double& p : target) p /= total;
    initial = testing::random_parameters(circuit.num_parameters(), 12);
  }
};

struct Trained {
  History history;
  std::vector<double> parameters;
};

// Trains on `comm`; results meaningful on the communicator's rank 0.
Trained train(MPI_Comm comm, int steps, const TrainerStart& start, const std::string& checkpoint = "") {
  static const Problem problem;
  const Loss loss({LossKind::js}, problem.target);
  EngineOptions options;
  options.shots = 300;
  options.seed = 21;
  auto engine = make_gradient_engine(problem.circuit, options, loss);
  TrainerOptions trainer_options;
  trainer_options.steps = steps;
  const core::Ranks ranks = core::Ranks::of(comm);
  Trainer trainer(ranks, *engine, problem.circuit.num_parameters(), trainer_options);
  TrainerStart s = start;
  if (s.parameters.empty()) s.parameters = problem.initial;
  MonitorOptions monitor_options;
  monitor_options.checkpoint_path = checkpoint;
  TrainingMonitor monitor(ranks, trainer, monitor_options, {}, s);
  const TrainerResult r = trainer.run(s, monitor);
  monitor.finish(r);
  return {monitor.history(), r.parameters};
}

TrainerStart from_checkpoint(const std::string& path) { return start_from(read_checkpoint(path)); }

int world_rank() {
  int rank = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  return rank;
}

// A folder shared by all ranks (same machine), named by rank 0.
std::string shared_folder() {
  std::string path;
  if (world_rank() == 0) {
    path = (std::filesystem::temp_directory_path() / ("qgen-mpi-" + std::to_string(getpid()))).string();
    std::filesystem::create_directories(path);
  }
  int n = static_cast<int>(path.size());
  MPI_Bcast(&n, 1, MPI_INT, 0, MPI_COMM_WORLD);
  path.resize(n);
  MPI_Bcast(path.data(), n, MPI_CHAR, 0, MPI_COMM_WORLD);
  return path;
}

void expect_same(const Trained& a, const Trained& b) {
  EXPECT_EQ(a.history.step, b.history.step);
  EXPECT_EQ(a.history.loss, b.history.loss);            // bit for bit
  EXPECT_EQ(a.history.grad_norm, b.history.grad_norm);  // summed in one order: also equal
  EXPECT_EQ(a.history.evaluations, b.history.evaluations);
  EXPECT_EQ(a.parameters, b.parameters);
}

TEST(TrainingAcrossRanks, HistoryIsIndependentOfTheNumberOfRanks) {
  const Trained all = train(MPI_COMM_WORLD, 8, {});
  if (world_rank() == 0) {
    const Trained alone = train(MPI_COMM_SELF, 8, {});
    EXPECT_EQ(all.history.size(), 9u);  // step 0 and eight updates
    expect_same(all, alone);
    EXPECT_LT(all.history.loss.back(), all.history.loss.front());
  }
  MPI_Barrier(MPI_COMM_WORLD);
}

TEST(TrainingAcrossRanks, RestartContinuesExactlyWithAnotherNumberOfRanks) {
  const std::string folder = shared_folder();
  const std::string checkpoint = folder + "/ten.h5", alone_checkpoint = folder + "/ten_alone.h5";
  // Ten steps on all ranks, then ten more on rank 0 alone ...
  train(MPI_COMM_WORLD, 10, {}, checkpoint);
  Trained twenty;
  if (world_rank() == 0) {
    twenty = train(MPI_COMM_SELF, 20, {});
    const Trained continued = train(MPI_COMM_SELF, 20, from_checkpoint(checkpoint));
    expect_same(continued, twenty);
    // ... and ten on rank 0 alone, then ten more on all ranks.
    train(MPI_COMM_SELF, 10, {}, alone_checkpoint);
  }
  MPI_Barrier(MPI_COMM_WORLD);
  const Trained continued_all = train(MPI_COMM_WORLD, 20, from_checkpoint(alone_checkpoint));
  if (world_rank() == 0) expect_same(continued_all, twenty);
  MPI_Barrier(MPI_COMM_WORLD);
  if (world_rank() == 0) std::filesystem::remove_all(folder);
}

}  // namespace
}  // namespace qgen::train
