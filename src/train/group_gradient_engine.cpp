#include "qgen/train/group_gradient_engine.hpp"

#include <mpi.h>

#include <algorithm>
#include <bit>
#include <chrono>
#include <cmath>
#include <exception>
#include <string>

#include "qgen/core/errors.hpp"
#include "qgen/core/memory.hpp"
#include "qgen/core/text.hpp"
#include "qgen/sim/distributed_adjoint.hpp"
#include "qgen/sim/distributed_parameter_shift.hpp"
#include "qgen/sim/distributed_probabilities.hpp"
#include "qgen/sim/distributed_sampling.hpp"
#include "qgen/sim/distributed_simulator.hpp"
#include "qgen/train/log_events.hpp"

namespace qgen::train {

GroupTrainingMemory group_training_memory(int num_qubits, int group_size,
                                          const EngineOptions& options, LossKind loss) {
  // One unit: one distributed state, 16 B x 2^Q / S per rank.
  const double unit = 16.0 * std::ldexp(1.0, num_qubits) / group_size;
  GroupTrainingMemory m;
  // The parameter shift: the forward state and its probabilities (1.5), with shots the
  // estimates of the unshifted and of the shifted circuits (two half units) and the sampler's
  // slice of counts (4 B per state), and DistributedParameterShift's prefix, work, final
  // (paired) states and two probability slices. The adjoint: DistributedAdjoint's two states
  // and probabilities, and the local probabilities.
  const bool paired = options.shift_evaluation == sim::ShiftEvaluation::paired;
  m.states = unit * (options.method == GradientMethod::adjoint
                         ? 3.0
                         : 1.5 + (options.shots > 0 ? 1.25 : 0.0) + (paired ? 4.0 : 3.0));
  // The slices of the target and dL/dQ (the model is the probabilities' or estimate's slice,
  // counted above); MMD's differences P - Q with their halo.
  m.loss_slices = unit * (1.0 + (loss == LossKind::mmd ? 0.5 : 0.0));
  // Whole vectors: with shots, up to 2^24 states, the group lead's gathered distribution, alias
  // table and counts (40 B x 2^Q, sim/distributed_sampling.hpp; beyond, every rank draws from
  // its slice, and only its counts, counted above, and the shots in it are held). Rank 0 at
  // the end, the engine gone: the trained model's simulation (a state and its probabilities)
  // and its loss's target slice (2 units in all), and the whole model and target gathered for
  // the results file (8 B x 2^Q each).
  const double whole = 8.0 * std::ldexp(1.0, num_qubits);
  const bool gathered_shots = std::ldexp(1.0, num_qubits) <= static_cast<double>(sim::kLargestAliasTable);
  m.shots_lead = options.shots > 0 && gathered_shots ? 5.0 * whole : 0.0;
  m.world_lead_end = 2.0 * unit + 2.0 * whole;
  return m;
}

double GroupTrainingMemory::rank(bool group_lead, bool world_lead_rank) const {
  const double training = states + loss_slices + (group_lead ? shots_lead : 0.0);
  return world_lead_rank ? std::max(training, world_lead_end) : training;
}

namespace {

// The engines take the loss sliced for their group (Loss::slice, or built from the scattered
// target): the rank's basis states of the distributed state's canonical order.
void check_sliced_loss(const core::Ranks& group, const Loss& loss, std::size_t local_size) {
  if (loss.group().size != group.size || loss.group().rank != group.rank ||
      loss.target().size() != local_size)
    throw core::InternalError("a group gradient engine needs the loss sliced for its group (" +
                              std::to_string(local_size) + " basis states on each of " +
                              std::to_string(group.size) + " ranks), not one of " +
                              std::to_string(loss.target().size()) + " on " +
                              std::to_string(loss.group().size));
}

template <typename F>
double best_of_three(const core::Ranks& group, F work) {
  double best = 1e300;
  for (int k = 0; k < 3; ++k) {
    MPI_Barrier(group.comm);
    const auto start = std::chrono::steady_clock::now();
    work();
    best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  return best;
}

class GroupParameterShiftEngine final : public GradientEngine {
public:
  GroupParameterShiftEngine(const core::Ranks& group, const sim::Circuit& circuit,
                            const EngineOptions& options, const Loss& loss)
      : GradientEngine(circuit.num_parameters()), group_(group), options_(options), loss_(loss),
        forward_(group, circuit, options.fusion),
        shift_(group, circuit, options.fusion, options.shift_evaluation),
        state_(group, circuit.num_qubits()), exact_(forward_.local_size()),
        estimate_(options.shots > 0 ? exact_.size() : 0), shifted_(estimate_.size()),
        dl_dq_(exact_.size()) {
    check_sliced_loss(group, loss, exact_.size());
    work_changed();
  }

  double evaluate(std::span<const double> theta, std::uint64_t evaluation,
                  std::span<double> gradient) override {
    check_gradient_size(gradient, num_parameters());
    const auto circuit_stream = [&](std::uint32_t circuit) {
      return core::RandomStream(options_.seed, core::stream_id(static_cast<std::uint32_t>(evaluation), circuit));
    };
    {
      const LogEvent event(log_events().simulate);
      forward_.run(theta, state_, exact_);
    }
    if (options_.shots > 0) {
      const LogEvent event(log_events().sample);
      auto stream = circuit_stream(0);
      sampler_.estimate(group_, exact_, options_.shots, stream, estimate_);
    }
    const double loss = loss_.value_and_gradient(model(), dl_dq_);  // slices, summed over the group
    const double* weights = dl_dq_.data();

    std::fill(gradient.begin(), gradient.end(), 0.0);
    const auto& events = log_events();
    const LogEvent simulating(events.simulate);
    shift_.evaluate(theta, my_sites_, [&](int site, int sign, std::span<const double> p) {
      std::span<const double> estimate = p;
      if (options_.shots > 0) {
        const LogEventPause paused(events.simulate);
        const LogEvent sampling(events.sample);
        auto stream = circuit_stream(static_cast<std::uint32_t>(1 + 2 * site + (sign < 0 ? 1 : 0)));
        sampler_.estimate(group_, p, options_.shots, stream, shifted_);
        estimate = shifted_;
      }
      double dot = 0.0;
      for (std::size_t x = 0; x < estimate.size(); ++x) dot += weights[x] * estimate[x];
      const sim::AngleSite& s = shift_.sites()[site];
      gradient[s.parameter] += 0.5 * sign * s.scale * dot;
    });
    {
      const LogEventPause paused(events.simulate);
      const LogEvent reducing(events.reduce);
      MPI_Allreduce(MPI_IN_PLACE, gradient.data(), static_cast<int>(gradient.size()), MPI_DOUBLE,
                    MPI_SUM, group_.comm);
    }
    return loss;
  }

  /// This rank's slice of the model.
  std::span<const double> model() const override {
    return options_.shots > 0 ? std::span<const double>(estimate_) : std::span<const double>(exact_);
  }

  std::vector<double> parameter_costs() override {
    // As the single-rank engine: seconds per site from one timed forward run (per pass) and
    // one timed shot estimate, both on this group.
    const auto site_costs = shift_.site_costs();
    double passes = 0;
    for (const auto& g : shift_.plan().groups) passes += sim::pass_cost(g.kind);
    const std::vector<double> theta(num_parameters(), 0.3);
    const double pass_seconds =
        best_of_three(group_, [&] { forward_.run(theta, state_, exact_); }) / std::max(1.0, passes);
    double estimate_seconds = 0;
    if (options_.shots > 0) {
      estimate_seconds = best_of_three(group_, [&] {
        core::RandomStream stream(0, 0);
        sampler_.estimate(group_, exact_, options_.shots, stream, shifted_);
      });
    }
    const double simulations = options_.shift_evaluation == sim::ShiftEvaluation::paired ? 1 : 2;
    return shift_work_cost(num_parameters(), shift_.sites(), site_costs, simulations, pass_seconds,
                           estimate_seconds);
  }

private:
  void work_changed() override {
    my_sites_ = sites_of_work(num_parameters(), shift_.sites(), work());
  }

  core::Ranks group_;
  EngineOptions options_;
  const Loss& loss_;
  sim::DistributedSimulator forward_;
  sim::DistributedParameterShift shift_;
  sim::DistributedStateVector state_;
  std::vector<int> my_sites_;           // the angle sites of the work set, ascending
  // This rank's slices: the exact probabilities, the shot estimates of the unshifted circuit
  // (the model, with shots) and of the last shifted one, and dL/dQ.
  std::vector<double> exact_, estimate_, shifted_, dl_dq_;
  sim::DistributedShotSampler sampler_;
};

class GroupAdjointEngine final : public GradientEngine {
public:
  GroupAdjointEngine(const core::Ranks& group, const sim::Circuit& circuit,
                     const EngineOptions& options, const Loss& loss)
      : GradientEngine(circuit.num_parameters()), group_(group), loss_(loss),
        adjoint_(group, circuit, options.fusion), exact_(adjoint_.local_size()),
        dl_dq_(exact_.size()), gradient_(circuit.num_parameters()) {
    check_sliced_loss(group, loss, exact_.size());
  }

  // Every group computes every entry (the sweeps give them all at once) and keeps its work
  // set's; inside a group the sweeps split over the ranks.
  double evaluate(std::span<const double> theta, std::uint64_t, std::span<double> gradient) override {
    check_gradient_size(gradient, num_parameters());
    const LogEvent event(log_events().simulate);
    adjoint_.forward(theta, exact_);
    const double loss = loss_.value_and_gradient(exact_, dl_dq_);  // slices, summed over the group
    adjoint_.backward(dl_dq_, gradient_);
    std::fill(gradient.begin(), gradient.end(), 0.0);
    for (int j : work()) gradient[j] = gradient_[j];
    return loss;
  }

  /// This rank's slice of the model.
  std::span<const double> model() const override { return exact_; }
  std::vector<double> parameter_costs() override {
    return std::vector<double>(gradient_.size(), 1.0);  // computed whole by every group
  }

private:
  core::Ranks group_;
  const Loss& loss_;
  sim::DistributedAdjoint adjoint_;
  std::vector<double> exact_, dl_dq_;  // this rank's slices of the model and dL/dQ
  std::vector<double> gradient_;
};

}  // namespace

std::unique_ptr<GradientEngine> make_group_gradient_engine(const core::Ranks& group,
                                                           const sim::Circuit& circuit,
                                                           const EngineOptions& options,
                                                           const Loss& loss) {
  switch (options.method) {
    case GradientMethod::parameter_shift:
      return std::make_unique<GroupParameterShiftEngine>(group, circuit, options, loss);
    case GradientMethod::adjoint:
      if (options.shots > 0)
        throw core::InputError("the adjoint gradient needs exact probabilities (shots = 0); "
                               "use parameter-shift with shots");
      return std::make_unique<GroupAdjointEngine>(group, circuit, options, loss);
  }
  throw core::InternalError("make_group_gradient_engine: an unknown gradient method");
}

double training_memory_per_rank(int num_qubits, int group_size, const EngineOptions& options) {
  return group_training_memory(num_qubits, group_size, options, LossKind::js).rank(true, false);
}

void check_group_training_fit(const core::Ranks& world, const core::RankGroups& groups,
                              int num_qubits, const EngineOptions& options, LossKind loss) {
  const int s = groups.size();
  const std::string what = "training (" + core::name_of(options.method) + ")";
  // What shrinks with S (the states and the loss's slices), for the group alone: S, the local
  // qubits, and that memory for the group's ranks on each node (its advice: the group size it
  // needs); agreed over the world (groups on other nodes may have passed), one message from
  // rank 0.
  const GroupTrainingMemory memory = group_training_memory(num_qubits, s, options, loss);
  const double unit = 16.0 * std::ldexp(1.0, num_qubits) / s;
  std::exception_ptr group_failure;
  try {
    sim::check_distributed_fit(groups.group(), num_qubits, (memory.states + memory.loss_slices) / unit,
                               what);
  } catch (...) {
    group_failure = std::current_exception();
  }
  core::agree(world, group_failure);
  // Everything, summed over the ranks on each node (all groups train at once): the shrinking
  // part on every rank, the whole vectors on the leads that hold them.
  MPI_Comm node;
  MPI_Comm_split_type(world.comm, MPI_COMM_TYPE_SHARED, world.rank, MPI_INFO_NULL, &node);
  const bool group_lead = groups.group().lead();
  double mine[2] = {memory.rank(group_lead, world.lead()), memory.rank(group_lead, world.lead()) -
                                                               memory.states - memory.loss_slices};
  double on_node[2] = {0, 0};
  MPI_Allreduce(mine, on_node, 2, MPI_DOUBLE, MPI_SUM, node);
  int ranks_on_node = 1;
  MPI_Comm_size(node, &ranks_on_node);
  MPI_Comm_free(&node);
  core::collectively(world, [&] {
    const double node_memory = static_cast<double>(core::available_memory());
    if (node_memory > 0 && on_node[0] > node_memory) {
      std::string whole = core::bytes_text(memory.world_lead_end) +
                          " on rank 0 at the end with the whole target and trained model";
      if (memory.shots_lead > 0)
        whole += ", " + core::bytes_text(memory.shots_lead) +
                 " more on each group's lead for the shots' whole distribution";
      throw core::InputError(
          what + ": " + std::to_string(num_qubits) + " qubits in " + std::to_string(groups.count()) +
          " group" + (groups.count() == 1 ? "" : "s") + " of " + std::to_string(s) + " ranks need " +
          core::bytes_text(on_node[0]) + " for the " + std::to_string(ranks_on_node) +
          " ranks on this node (" + core::bytes_text(memory.states + memory.loss_slices) +
          " per rank of states and slices of the target, the model and dL/dQ, which shrink with "
          "the group size; " + whole + ", which do not" +
          "), which has " + core::bytes_text(node_memory) + " available: " +
          (on_node[1] < node_memory ? "use fewer ranks per node or larger groups"
                                    : "use fewer ranks per node"));
    }
  });
}

}  // namespace qgen::train
