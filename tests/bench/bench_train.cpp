// qgen-bench-train: one parameter-shift training step (JS loss, Adam, 20000 shots, paired
// shifts) of paper 000's circuits on all ranks and on rank 0 alone (issue 4's target on the
// 3-D ansatz 2, and issue 12's strong- and weak-scaling points). Steps are real TAO iterations
// of the trainer (gather of the parameters, the gradient engine, the gradient-norm reduction,
// the Adam update); each figure is the median of their wall times. Run under mpiexec:
//   mpiexec -n 2 build/release/tests/bench/qgen-bench-train [steps per round (20)] [rounds (5)]
//   strong   the same circuit on N ranks and on 1: efficiency T1 / (N TN)
//            3-D ansatz 2 (Q = 12, d = 12, 468 parameters) and 2-D ansatz 1 (Q = 8, d = 6, 276)
//   weak     the depth grows with the ranks, so the parameters (and the gradient's circuits) per
//            rank stay fixed: T1(d) / TN(N d) (ansatz 1 Q = 8 from d = 3, ansatz 2 Q = 12 from
//            d = 6; ansatz 2 takes even depths)
// Rounds alternate the N-rank and the 1-rank run and are 20 steps long because on this virtual
// machine the first 3-10 steps of a run on both cores, after the second core has idled, take
// 20-40 % longer (1-rank runs show no such start; the work split is fixed before the first
// step, so it is not the cause): the median of a round is then the steady step a 300-step run
// spends nearly all its time in.
#include <mpi.h>
#include <petscsys.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "qgen/circuits/ansatz.hpp"
#include "qgen/data/binning.hpp"
#include "qgen/data/generators.hpp"
#include "qgen/train/trainer.hpp"
#include "qgen/train/training_monitor.hpp"
#include "rank_timing.hpp"

namespace {

using namespace qgen;
using bench::idle_barrier;
using bench::median;

// The dijet target of `features` at 4 qubits each (the paper's 2-D and 3-D), the same on every rank.
std::vector<double> target(const std::vector<std::string>& features) {
  const data::Table t = data::generate_dijet(1000000, 1).select(features);
  const data::Binning b = data::make_binning(t, {4, data::BinningMode::equal_width, {}});
  return data::encode(t, b).probabilities;
}

struct Case {
  const char* name;
  int ansatz, qubits, depth_one, depth_all;  // depth on rank 0 alone and on all ranks
  std::vector<std::string> features;
};

struct Timing {
  double one = 0, all = 0, efficiency = 0, efficiency_min = 0, efficiency_max = 0;
  int parameters_one = 0, parameters_all = 0;
};

double step_seconds(MPI_Comm comm, const sim::Circuit& circuit, const train::Loss& loss,
                    const train::EngineOptions& options, int steps) {
  auto engine = train::make_gradient_engine(circuit, options, loss);
  train::TrainerOptions trainer_options;
  trainer_options.steps = steps;
  const core::Ranks ranks = core::Ranks::of(comm);
  train::Trainer trainer(ranks, *engine, circuit.num_parameters(), trainer_options);
  train::TrainerStart start;
  start.parameters.assign(circuit.num_parameters(), 0.3);
  train::TrainingMonitor monitor(ranks, trainer, {}, {}, start);
  trainer.run(start, monitor);
  const train::History& history = monitor.history();
  // Entry 0 is the initial evaluation (set-up included); the rest are full iterations.
  return median(std::vector<double>(history.seconds.begin() + 1, history.seconds.end()));
}

// Alternates all-rank and solo runs of `steps` steps, so that the machine's drifts in speed
// (large here, over seconds) hit both alike; the efficiency is taken round by round, from runs
// seconds apart. Figures on rank 0.
Timing time_case(const Case& c, int steps, int rounds, int rank, int size) {
  const train::Loss loss({train::LossKind::js}, target(c.features));
  train::EngineOptions options;
  options.shots = 20000;
  const int block = 4;  // ansatz 2: one block per feature
  const sim::Circuit one = circuits::build_qcbm_circuit({c.ansatz, c.qubits, c.depth_one, block, circuits::InitialState::zero});
  const sim::Circuit all = circuits::build_qcbm_circuit({c.ansatz, c.qubits, c.depth_all, block, circuits::InitialState::zero});
  std::vector<double> together, alone, efficiency;
  for (int round = 0; round < rounds; ++round) {
    together.push_back(step_seconds(MPI_COMM_WORLD, all, loss, options, steps));
    if (rank == 0) {
      alone.push_back(step_seconds(MPI_COMM_SELF, one, loss, options, steps));
      efficiency.push_back(alone.back() / ((c.depth_all == c.depth_one ? size : 1) * together.back()));
    }
    idle_barrier(MPI_COMM_WORLD);
  }
  Timing t;
  t.parameters_one = one.num_parameters();
  t.parameters_all = all.num_parameters();
  if (rank != 0) return t;
  t.one = median(alone);
  t.all = median(together);
  t.efficiency = median(efficiency);
  const auto [lo, hi] = std::minmax_element(efficiency.begin(), efficiency.end());
  t.efficiency_min = *lo;
  t.efficiency_max = *hi;
  return t;
}

}  // namespace

int main(int argc, char** argv) {
  MPI_Init(&argc, &argv);
  PetscInitialize(nullptr, nullptr, nullptr, nullptr);
  int rank = 0, size = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  const int steps = argc > 1 ? std::atoi(argv[1]) : 20;
  const int rounds = argc > 2 ? std::atoi(argv[2]) : 5;

  const std::vector<std::string> two = {"pT", "mass"}, three = {"pT", "mass", "eta"};
  const std::vector<Case> cases = {
      {"strong  3-D ansatz 2, Q=12", 2, 12, 12, 12, three},
      {"strong  2-D ansatz 1, Q=8 ", 1, 8, 6, 6, two},
      {"weak    3-D ansatz 2, Q=12", 2, 12, 6, 6 * size, three},
      {"weak    2-D ansatz 1, Q=8 ", 1, 8, 3, 3 * size, two},
  };
  if (rank == 0)
    std::printf("== qgen-bench-train: one parameter-shift step (20000 shots, paired, JS, Adam) on %d "
                "ranks and on rank 0 alone ==\nmedians over %d rounds of %d steps; efficiency T1 / (N TN) "
                "(strong) or T1(d) / TN(N d) (weak), per round\n"
                "  %-27s %9s %10s %10s %11s %13s\n", size, rounds, steps, "case", "d (1 / N)",
                "P (1 / N)", "1 rank [s]", "N ranks [s]", "efficiency");
  for (const Case& c : cases) {
    const Timing t = time_case(c, steps, rounds, rank, size);
    if (rank == 0)
      std::printf("  %-27s %4d / %-4d %4d / %-5d %10.4f %11.4f %6.1f %% (%.0f-%.0f)\n", c.name, c.depth_one,
                  c.depth_all, t.parameters_one, t.parameters_all, t.one, t.all, 100 * t.efficiency,
                  100 * t.efficiency_min, 100 * t.efficiency_max);
    if (rank == 0 && &c == &cases.front() && size == 2)
      std::printf("  %-27s issue 4's targets on 2 ranks: step <= 0.15 s %s, efficiency >= 90 %% %s\n", "",
                  t.all <= 0.15 ? "met" : "MISSED", t.efficiency >= 0.9 ? "met" : "MISSED");
  }
  PetscFinalize();
  MPI_Finalize();
  return 0;
}
