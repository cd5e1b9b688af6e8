// Rank groups in training (train/group_gradient_engine.hpp, the trainer's group split): run
// under mpiexec with 1, 2 and 4 ranks, every group size S that divides the world against rank
// 0's single-rank engine and trainer on MPI_COMM_SELF (the reference: tested against dense
// matrices and finite differences in tests/train). Each rank of a group holds only its slices
// of the target, the model and dL/dQ (train/loss.hpp). Exact probabilities: the loss and the
// model (gathered from the slices) equal the single-rank ones bit for bit (L >= 3), the
// gradient to 1e-12 (each derivative is summed in another order). Shots: the counts are the
// same, so the loss and the model are equal bit for bit. The sliced loss alone: value bit for
// bit and dL/dQ exactly equal to the whole vector's, MMD's band wider than a slice included.
// Training with the trainer's group split: the loss history to 1e-12.
#include <gtest/gtest.h>
#include <mpi.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdio>
#include <random>
#include <utility>

#include "../support/dense_reference.hpp"
#include "qgen/circuits/ansatz.hpp"
#include "qgen/sim/distributed_probabilities.hpp"
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

// A random target with some empty bins (KL and the JS floor see them).
std::vector<double> random_target(int num_qubits, unsigned seed) {
  std::mt19937 rng(seed);
  std::exponential_distribution<double> e(1.0);
  std::vector<double> target;
  double total = 0;
  for (int x = 0; x < (1 << num_qubits); ++x) total += target.emplace_back(x % 5 == 3 ? 0.0 : e(rng));
  for (double& p : target) p /= total;
  return target;
}

struct Problem {
  sim::Circuit circuit;
  std::vector<double> target;
  std::vector<double> theta;
  explicit Problem(const circuits::AnsatzSpec& spec = {1, 6, 2, 0, circuits::InitialState::bell})
      : circuit(circuits::build_qcbm_circuit(spec)), target(random_target(spec.num_qubits, 5)),
        theta(testing::random_parameters(circuit.num_parameters(), 6)) {}
};

// The whole model from the group's slices, on every rank.
std::vector<double> whole_model(const core::RankGroups& groups, std::span<const double> slice) {
  return sim::gather_distribution(groups.group(), slice, /*everywhere=*/true);
}

TEST(SlicedLoss, EqualsTheWholeLossBitForBit) {
  // Q = 6 (slices of 16 on 4 ranks, narrower than MMD's band of 33 for sigma 4) and Q = 12.
  for (int q : {6, 12}) {
    const std::vector<double> p = random_target(q, 11), model = random_target(q, 12);
    for (const LossOptions& options :
         {LossOptions{LossKind::js}, LossOptions{LossKind::kl}, LossOptions{LossKind::mmd},
          LossOptions{LossKind::mmd, 1e-9, {0.5, 40.0}}}) {
      const Loss whole(options, p);
      std::vector<double> g_whole(p.size());
      const double v_whole = whole.value_and_gradient(model, g_whole);
      for (int s : group_sizes()) {
        const core::RankGroups groups = core::split_into_groups(world(), s);
        const Loss sliced = whole.slice(groups.group());
        ASSERT_EQ(sliced.target().size(), p.size() / s);
        ASSERT_EQ(sliced.first_index(), groups.group().rank * p.size() / s);
        const auto m = sim::local_slice(groups.group(), model);
        std::vector<double> g(m.size());
        const double v = sliced.value_and_gradient(m, g);
        const std::string what = "Q " + std::to_string(q) + ", S " + std::to_string(s) + ", " +
                                 core::name_of(options.kind) + ", sigmas " +
                                 std::to_string(options.mmd_sigmas.back());
        EXPECT_EQ(v, v_whole) << what;
        EXPECT_EQ(whole_model(groups, g), g_whole) << what;
        // And from a slice built directly, as qgen train builds it from the scattered target.
        const auto t = sim::local_slice(groups.group(), p);
        const Loss direct(options, std::vector<double>(t.begin(), t.end()), groups.group());
        EXPECT_EQ(direct.value(m), v_whole) << what;
      }
    }
  }
}

TEST(SlicedLoss, ScatterIsTheInverseOfGather) {
  const std::vector<double> p = random_target(8, 13);
  for (int s : group_sizes()) {
    const core::RankGroups groups = core::split_into_groups(world(), s);
    const std::vector<double> mine = sim::scatter_distribution(
        groups.group(), groups.group().lead() ? std::span<const double>(p) : std::span<const double>(),
        p.size() / s);
    const auto expected = sim::local_slice(groups.group(), p);
    EXPECT_TRUE(std::equal(mine.begin(), mine.end(), expected.begin(), expected.end())) << "S " << s;
  }
}

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

// Every engine on every group size against the single-rank engine: the paper-sized Q = 6 with
// every case and loss, and Q = 14 (2^12 and 2^13 amplitudes per rank) with the exact paths.
void expect_engines_equal(const Problem& problem, const std::vector<EngineOptions>& cases,
                          const std::vector<LossKind>& kinds) {
  const int P = problem.circuit.num_parameters();
  for (LossKind kind : kinds) {
    const Loss loss({kind}, problem.target);
    for (const EngineOptions& options : cases) {
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
        const Loss sliced = loss.slice(groups.group());
        auto engine = make_group_gradient_engine(groups.group(), problem.circuit, options, sliced);
        // The trainer's split: uneven costs, so that the groups' sets differ in size.
        std::vector<double> costs(P);
        for (int j = 0; j < P; ++j) costs[j] = 1.0 + (j % 7);
        engine->set_work(assign_work(costs, groups.count())[groups.index()]);
        std::vector<double> gradient(P);
        const double value = engine->evaluate(problem.theta, 3, gradient);
        ASSERT_EQ(engine->model().size(), problem.target.size() / s);
        const std::vector<double> model = whole_model(groups, engine->model());
        if (!groups.group().lead()) std::fill(gradient.begin(), gradient.end(), 0.0);
        MPI_Allreduce(MPI_IN_PLACE, gradient.data(), P, MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD);
        const std::string what = "Q " + std::to_string(problem.circuit.num_qubits()) + ", S " +
                                 std::to_string(s) + ", " + core::name_of(options.method) + " " +
                                 core::name_of(options.shift_evaluation) + ", shots " +
                                 std::to_string(options.shots) + ", loss " + core::name_of(kind);
        EXPECT_EQ(value, loss_single) << what;
        EXPECT_EQ(model, model_single) << what;
        EXPECT_LT(testing::max_difference(gradient, g_single), 1e-12 * std::max(1.0, scale)) << what;
      }
    }
  }
}

TEST(GroupGradientEngine, EqualsTheSingleRankEngine) {
  expect_engines_equal(Problem(), engine_cases(), {LossKind::js, LossKind::kl, LossKind::mmd});
}

TEST(GroupGradientEngine, EqualsTheSingleRankEngineOnSlicesOf14Qubits) {
  const std::vector<EngineOptions> cases = engine_cases();
  expect_engines_equal(Problem({1, 14, 1, 0, circuits::InitialState::zero}),
                       {cases[0], cases[2]}, {LossKind::js, LossKind::mmd});
}

TEST(GroupGradientEngine, RefusesALossNotSlicedForItsGroup) {
  const Problem problem;
  const Loss whole({LossKind::js}, problem.target);
  for (int s : group_sizes()) {
    if (s == 1) continue;
    const core::RankGroups groups = core::split_into_groups(world(), s);
    for (const EngineOptions& options : {engine_cases()[0], engine_cases()[2]})
      EXPECT_THROW(make_group_gradient_engine(groups.group(), problem.circuit, options, whole),
                   core::InternalError);
  }
}

TEST(GroupTrainingMemory, CountsSlicesOnEveryRankAndWholeVectorsOnTheLeads) {
  // Q = 30 on S = 4: a state is 16 B x 2^28 = 4 GiB per rank.
  const double unit = 16.0 * std::ldexp(1.0, 28), whole = 8.0 * std::ldexp(1.0, 30);
  EngineOptions adjoint;
  adjoint.method = GradientMethod::adjoint;
  const GroupTrainingMemory a = group_training_memory(30, 4, adjoint, LossKind::js);
  EXPECT_EQ(a.states, 3 * unit);
  EXPECT_EQ(a.loss_slices, 2 * whole / 4);  // target and dL/dQ, 8 B x 2^30 / 4 each
  EXPECT_EQ(a.shots_lead, 0.0);
  // Rank 0 at the end: the trained model's state and probabilities and the loss's target slice
  // (2 units), and the whole target and model (2 x 8 B x 2^30 = 4 units of 4 GiB): more than
  // its 4 units of training.
  EXPECT_EQ(a.world_lead_end, 2 * unit + 2 * whole);
  EXPECT_EQ(a.rank(false, false), 4 * unit);
  EXPECT_EQ(a.rank(true, false), 4 * unit);
  EXPECT_EQ(a.rank(true, true), 6 * unit);
  EngineOptions shots;
  shots.shots = 1000;
  const GroupTrainingMemory s = group_training_memory(30, 4, shots, LossKind::mmd);
  EXPECT_EQ(s.states, (1.5 + 1.25 + 4.0) * unit);  // with the sampler's counts, 4 B per state
  EXPECT_EQ(s.loss_slices, 3 * whole / 4);
  // Beyond 2^24 states the shots are drawn from the slices (sim/cdf_sampling.hpp): no lead
  // holds more for them.
  EXPECT_EQ(s.shots_lead, 0.0);
  EXPECT_EQ(s.rank(true, false), s.states + s.loss_slices);
  EXPECT_EQ(s.rank(true, true), s.states + s.loss_slices);  // 8 units against 2 + 4 at the end
  // Up to 2^24 the group's lead gathers the distribution for the alias table: 40 B x 2^Q more.
  const double whole24 = 8.0 * std::ldexp(1.0, 24);
  const GroupTrainingMemory s24 = group_training_memory(24, 4, shots, LossKind::mmd);
  EXPECT_EQ(s24.shots_lead, 5 * whole24);
  EXPECT_EQ(s24.rank(true, false), s24.states + s24.loss_slices + 5 * whole24);
  EXPECT_EQ(s24.rank(false, false), s24.states + s24.loss_slices);
  EXPECT_EQ(s24.rank(true, true), s24.states + s24.loss_slices + 5 * whole24);  // training the larger
  // The table of docs/groups.md ("Memory per rank"), with the estimate before the loss was
  // sliced: the same states, and the target, the model and dL/dQ whole on every rank.
  if (world().rank != 0) return;
  std::printf("%-22s %3s %2s %12s %12s %12s %12s\n", "gradient", "Q", "S", "before", "after",
              "after rank 0", "ratio");
  EngineOptions paired;
  for (const auto& [name, options] : {std::pair<const char*, EngineOptions>{"adjoint", adjoint},
                                      std::pair<const char*, EngineOptions>{"parameter-shift", paired}}) {
    for (int q = 26; q <= 30; ++q)
      for (int s : {2, 4, 8}) {
        const GroupTrainingMemory m = group_training_memory(q, s, options, LossKind::js);
        // The old count: adjoint 3 states, paired shift 6 (an estimate slice always), and
        // 24 B x 2^Q whole on every rank.
        const double old_states = options.method == GradientMethod::adjoint ? 3.0 : 6.0;
        const double before = old_states * 16.0 * std::ldexp(1.0, q) / s + 3 * 8.0 * std::ldexp(1.0, q);
        const double after = m.rank(false, false);
        std::printf("%-22s %3d %2d %10.2f G %10.2f G %10.2f G %12.1f\n", name, q, s,
                    before / (1 << 30), after / (1 << 30), m.rank(true, true) / (1 << 30), before / after);
      }
  }
}

struct Trained {
  History history;
  std::vector<double> parameters;
};

Trained train(const core::Ranks& ranks, const core::RankGroups* groups, const EngineOptions& options) {
  static const Problem problem;
  const Loss whole({LossKind::js}, problem.target);
  const Loss loss = groups ? whole.slice(groups->group()) : whole;
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
      // The first loss (the same parameters, so the same model) bit for bit: the sliced loss's
      // tree order is the single rank's; with shots every loss.
      EXPECT_EQ(grouped.history.loss.front(), alone.history.loss.front()) << "S " << s;
      if (options.shots > 0) {
        EXPECT_EQ(grouped.history.loss, alone.history.loss) << "S " << s;
      }
      // The paired shift gets the inert parameters' gradients exactly 0 (docs/groups.md).
      if (options.method == GradientMethod::parameter_shift &&
          options.shift_evaluation == sim::ShiftEvaluation::paired) {
        EXPECT_LT(testing::max_difference(grouped.parameters, alone.parameters), 1e-12) << "S " << s;
      }
    }
  }
}

}  // namespace
}  // namespace qgen::train
