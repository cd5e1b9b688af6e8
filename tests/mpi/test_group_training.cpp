// Rank groups in training (train/group_gradient_engine.hpp, the trainer's group split): run
// under mpiexec with 1, 2 and 4 ranks, every group size S that divides the world against rank
// 0's single-rank engine and trainer on MPI_COMM_SELF (the reference: tested against dense
// matrices and finite differences in tests/train). Exact probabilities: the loss and the model
// equal the single-rank ones bit for bit (L >= 3), the gradient to 1e-12 (each derivative is
// summed in another order). Shots: the counts are the same, so the loss and the model are
// equal bit for bit. Training with the trainer's group split: the loss history to 1e-12.
#include <gtest/gtest.h>
#include <mpi.h>

#include <bit>
#include <random>

#include "../support/dense_reference.hpp"
#include "qgen/circuits/ansatz.hpp"
#include "qgen/train/group_gradient_engine.hpp"
#include "qgen/train/trainer.hpp"
#include "qgen/train/training_monitor.hpp"

namespace qgen::train {
namespace {

core::Ranks world() { return core::Ranks::of(MPI_COMM_WORLD); }

std::vector<int> group_sizes() {
  std::vector<int> sizes;
  for (int s = 1; s <= world().size; s *= 2)
    if (world().size % s == 0) sizes.push_back(s);
  return sizes;
}

struct Problem {
  sim::Circuit circuit = circuits::build_qcbm_circuit({1, 6, 2, 0, circuits::InitialState::bell});
  std::vector<double> target;
  std::vector<double> theta;
  Problem() {
    std::mt19937 rng(5);
    std::exponential_distribution<double> e(1.0);
    double total = 0;
    for (int x = 0; x < 64; ++x) total += target.emplace_back(e(rng));
    for (double& p : target) p /= total;
    theta = testing::random_parameters(circuit.num_parameters(), 6);
  }
};

std::vector<EngineOptions> engine_cases() {
  std::vector<EngineOptions> cases(5);
  cases[1].shift_evaluation = sim::ShiftEvaluation::direct;
  cases[2].method = GradientMethod::adjoint;
  cases[3].shots = 500;
  cases[4].shots = 500;
  cases[4].shift_evaluation = sim::ShiftEvaluation::direct;
  for (auto& c : cases) c.seed = 9;
  return cases;
}

TEST(GroupGradientEngine, EqualsTheSingleRankEngine) {
  const Problem problem;
  const int P = problem.circuit.num_parameters();
  for (LossKind kind : {LossKind::js, LossKind::mmd}) {
    const Loss loss({kind}, problem.target);
    for (const EngineOptions& options : engine_cases()) {
      // The reference: one engine doing all the work, on rank 0.
      std::vector<double> g_single(P), model_single;
      double loss_single = 0;
      if (world().rank == 0) {
        auto single = make_gradient_engine(problem.circuit, options, loss);
        loss_single = single->evaluate(problem.theta, 3, g_single);
        model_single.assign(single->model().begin(), single->model().end());
      }
      MPI_Bcast(&loss_single, 1, MPI_DOUBLE, 0, MPI_COMM_WORLD);
      MPI_Bcast(g_single.data(), P, MPI_DOUBLE, 0, MPI_COMM_WORLD);
      model_single.resize(problem.target.size());
      MPI_Bcast(model_single.data(), static_cast<int>(model_single.size()), MPI_DOUBLE, 0, MPI_COMM_WORLD);
      double scale = 0;
      for (double x : g_single) scale = std::max(scale, std::abs(x));

      for (int s : group_sizes()) {
        const core::RankGroups groups = core::split_into_groups(world(), s);
        auto engine = make_group_gradient_engine(groups.group(), problem.circuit, options, loss);
        // The trainer's split: uneven costs, so that the groups' sets differ in size.
        std::vector<double> costs(P);
        for (int j = 0; j < P; ++j) costs[j] = 1.0 + (j % 7);
        engine->set_work(assign_work(costs, groups.count())[groups.index()]);
        std::vector<double> gradient(P);
        const double value = engine->evaluate(problem.theta, 3, gradient);
        const std::vector<double> model(engine->model().begin(), engine->model().end());
        if (!groups.group().lead()) std::fill(gradient.begin(), gradient.end(), 0.0);
        MPI_Allreduce(MPI_IN_PLACE, gradient.data(), P, MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD);
        const std::string what = "S " + std::to_string(s) + ", " + core::name_of(options.method) +
                                 " " + core::name_of(options.shift_evaluation) + ", shots " +
                                 std::to_string(options.shots) + ", loss " + core::name_of(kind);
        EXPECT_EQ(value, loss_single) << what;
        EXPECT_EQ(model, model_single) << what;
        EXPECT_LT(testing::max_difference(gradient, g_single), 1e-12 * std::max(1.0, scale)) << what;
      }
    }
  }
}

struct Trained {
  History history;
  std::vector<double> parameters;
};

Trained train(const core::Ranks& ranks, const core::RankGroups* groups, const EngineOptions& options) {
  static const Problem problem;
  const Loss loss({LossKind::js}, problem.target);
  auto engine = groups ? make_group_gradient_engine(groups->group(), problem.circuit, options, loss)
                       : make_gradient_engine(problem.circuit, options, loss);
  TrainerOptions trainer_options;
  trainer_options.steps = 5;
  Trainer trainer(ranks, *engine, problem.circuit.num_parameters(), trainer_options, groups);
  TrainerStart start;
  start.parameters = problem.theta;
  MonitorOptions monitor_options;
  TrainingMonitor monitor(ranks, trainer, monitor_options, {}, start);
  const TrainerResult r = trainer.run(start, monitor);
  monitor.finish(r);
  return {monitor.history(), r.parameters};
}

TEST(GroupTraining, HistoryIsIndependentOfTheGroups) {
  for (const EngineOptions& options : engine_cases()) {
    Trained alone;
    if (world().rank == 0) alone = train(core::Ranks::of(MPI_COMM_SELF), nullptr, options);
    for (int s : group_sizes()) {
      if (s == 1) continue;
      const core::RankGroups groups = core::split_into_groups(world(), s);
      const Trained grouped = train(world(), &groups, options);
      if (world().rank != 0) continue;
      ASSERT_EQ(grouped.history.loss.size(), alone.history.loss.size());
      EXPECT_LT(testing::max_difference(grouped.history.loss, alone.history.loss), 1e-12) << "S " << s;
      if (options.shots > 0) EXPECT_EQ(grouped.history.loss, alone.history.loss) << "S " << s;
      // The paired shift gets the inert parameters' gradients exactly 0 (docs/groups.md).
      if (options.method == GradientMethod::parameter_shift &&
          options.shift_evaluation == sim::ShiftEvaluation::paired)
        EXPECT_LT(testing::max_difference(grouped.parameters, alone.parameters), 1e-12) << "S " << s;
    }
  }
}

}  // namespace
}  // namespace qgen::train
