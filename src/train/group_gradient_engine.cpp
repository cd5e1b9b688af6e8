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
namespace {

// Per rank, in units of one distributed state (16 B x 2^Q / S): the engine's states and local
// slices. The parameter shift: the forward state, its probabilities and the shot estimate
// (half a state each), and DistributedParameterShift's prefix, work, final (paired) states and
// two probability slices. The adjoint: DistributedAdjoint's two states and probabilities, and
// the local probabilities.
double distributed_states(const EngineOptions& options) {
  if (options.method == GradientMethod::adjoint) return 3.0;
  return 2.0 + (options.shift_evaluation == sim::ShiftEvaluation::paired ? 4.0 : 3.0);
}

// The same unit for what every rank holds whole: the target, the model and dL/dQ (8 B x 2^Q
// each = S / 2 units), and with shots the lead's gathered distribution and alias table
// (40 B x 2^Q = 2.5 S units on one rank of S: 2.5 per rank on average).
double whole_vectors(const EngineOptions& options, int group_size) {
  return 1.5 * group_size + (options.shots > 0 ? 2.5 : 0.0);
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
        estimate_(exact_.size()), dl_dq_(std::size_t{1} << circuit.num_qubits()) {
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
      sim::gather_distribution(group_, estimate_, model_, /*everywhere=*/true);
    } else {
      sim::gather_distribution(group_, exact_, model_, /*everywhere=*/true);
    }
    const double loss = loss_.value_and_gradient(model_, dl_dq_);
    const double* weights = dl_dq_.data() + shift_.first_index();  // this rank's slice

    std::fill(gradient.begin(), gradient.end(), 0.0);
    const auto& events = log_events();
    const LogEvent simulating(events.simulate);
    shift_.evaluate(theta, my_sites_, [&](int site, int sign, std::span<const double> p) {
      std::span<const double> estimate = p;
      if (options_.shots > 0) {
        const LogEventPause paused(events.simulate);
        const LogEvent sampling(events.sample);
        auto stream = circuit_stream(static_cast<std::uint32_t>(1 + 2 * site + (sign < 0 ? 1 : 0)));
        sampler_.estimate(group_, p, options_.shots, stream, estimate_);
        estimate = estimate_;
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

  std::span<const double> model() const override { return model_; }

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
        sampler_.estimate(group_, exact_, options_.shots, stream, estimate_);
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
  std::vector<double> exact_, estimate_;  // this rank's slices
  std::vector<double> model_, dl_dq_;     // whole, on every rank of the group
  sim::DistributedShotSampler sampler_;
};

class GroupAdjointEngine final : public GradientEngine {
public:
  GroupAdjointEngine(const core::Ranks& group, const sim::Circuit& circuit,
                     const EngineOptions& options, const Loss& loss)
      : GradientEngine(circuit.num_parameters()), group_(group), loss_(loss),
        adjoint_(group, circuit, options.fusion), exact_(adjoint_.local_size()),
        dl_dq_(std::size_t{1} << circuit.num_qubits()), gradient_(circuit.num_parameters()) {}

  // Every group computes every entry (the sweeps give them all at once) and keeps its work
  // set's; inside a group the sweeps split over the ranks.
  double evaluate(std::span<const double> theta, std::uint64_t, std::span<double> gradient) override {
    check_gradient_size(gradient, num_parameters());
    const LogEvent event(log_events().simulate);
    adjoint_.forward(theta, exact_);
    sim::gather_distribution(group_, exact_, model_, /*everywhere=*/true);
    const double loss = loss_.value_and_gradient(model_, dl_dq_);
    const std::size_t first = static_cast<std::size_t>(group_.rank) * exact_.size();
    adjoint_.backward(std::span<const double>(dl_dq_).subspan(first, exact_.size()), gradient_);
    std::fill(gradient.begin(), gradient.end(), 0.0);
    for (int j : work()) gradient[j] = gradient_[j];
    return loss;
  }

  std::span<const double> model() const override { return model_; }
  std::vector<double> parameter_costs() override {
    return std::vector<double>(gradient_.size(), 1.0);  // computed whole by every group
  }

private:
  core::Ranks group_;
  const Loss& loss_;
  sim::DistributedAdjoint adjoint_;
  std::vector<double> exact_;          // this rank's slice
  std::vector<double> model_, dl_dq_;  // whole, on every rank of the group
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
  const double unit = 16.0 * std::ldexp(1.0, num_qubits - std::countr_zero(unsigned(group_size)));
  return (distributed_states(options) + whole_vectors(options, group_size)) * unit;
}

void check_group_training_fit(const core::Ranks& world, const core::RankGroups& groups,
                              int num_qubits, const EngineOptions& options) {
  const int s = groups.size();
  const double states = distributed_states(options), whole = whole_vectors(options, s);
  const std::string what = "training (" + core::name_of(options.method) + ")";
  // The group alone: S, the local qubits, and the memory of the states of the group's ranks
  // on each node (its advice: the group size the states need); agreed over the world (groups
  // on other nodes may have passed), one message from rank 0.
  std::exception_ptr group_failure;
  try {
    sim::check_distributed_fit(groups.group(), num_qubits, states, what);
  } catch (...) {
    group_failure = std::current_exception();
  }
  core::agree(world, group_failure);
  // Everything, for every rank on the node (all groups train at once): the states shrink with
  // S, the whole vectors of the loss do not.
  const int on_node = core::ranks_on_node(world);
  core::collectively(world, [&] {
    const double unit = 16.0 * std::ldexp(1.0, num_qubits - std::countr_zero(unsigned(s)));
    const double per_rank = (states + whole) * unit;
    const double node_memory = static_cast<double>(core::available_memory());
    if (node_memory > 0 && per_rank * on_node > node_memory)
      throw core::InputError(
          what + ": " + std::to_string(num_qubits) + " qubits in " + std::to_string(groups.count()) +
          " group" + (groups.count() == 1 ? "" : "s") + " of " + std::to_string(s) + " ranks need " +
          core::bytes_text(per_rank) + " per rank (" + core::bytes_text(states * unit) +
          " of states, which shrink with the group size, and " + core::bytes_text(whole * unit) +
          " for the target, the model and dL/dQ held whole on every rank, which do not), " +
          core::bytes_text(per_rank * on_node) + " for the " + std::to_string(on_node) +
          " ranks on this node, which has " + core::bytes_text(node_memory) +
          " available: use fewer ranks per node" + (states * unit * on_node < node_memory
                                                        ? ""
                                                        : " or larger groups"));
  });
}

}  // namespace qgen::train
