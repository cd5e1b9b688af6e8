#include "qgen/train/gradient_engine.hpp"

#include <algorithm>
#include <chrono>
#include <numeric>
#include <set>
#include <stdexcept>

#include "qgen/core/errors.hpp"
#include "qgen/sim/simulator.hpp"
#include "qgen/train/log_events.hpp"

namespace qgen::train {

std::vector<std::vector<int>> assign_work(std::span<const double> cost, int ranks) {
  if (ranks < 1) throw std::invalid_argument("work assignment: needs at least one rank");
  std::vector<int> order(cost.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return cost[a] > cost[b]; });
  // Ranks by (load, rank): the first is the least loaded, lower rank on ties.
  std::set<std::pair<double, int>> loads;
  for (int r = 0; r < ranks; ++r) loads.insert({0.0, r});
  std::vector<std::vector<int>> work(ranks);
  for (int j : order) {
    auto [load, r] = *loads.begin();
    loads.erase(loads.begin());
    work[r].push_back(j);
    loads.insert({load + cost[j], r});
  }
  for (auto& w : work) std::sort(w.begin(), w.end());
  return work;
}

GradientEngine::GradientEngine(int num_parameters) : num_parameters_(num_parameters) {
  work_.resize(num_parameters);
  std::iota(work_.begin(), work_.end(), 0);
}

void GradientEngine::set_work(std::vector<int> parameters) {
  for (std::size_t k = 0; k < parameters.size(); ++k)
    if (parameters[k] < 0 || parameters[k] >= num_parameters_ ||
        (k > 0 && parameters[k] <= parameters[k - 1]))
      throw std::invalid_argument("gradient: the work set must list parameters ascending, once each");
  work_ = std::move(parameters);
  work_changed();
}

std::vector<double> shift_work_cost(int num_parameters, const std::vector<sim::AngleSite>& sites,
                                    std::span<const double> site_costs, double simulations,
                                    double pass_seconds, double estimate_seconds) {
  std::vector<double> cost(num_parameters, 0.0);
  for (std::size_t s = 0; s < site_costs.size(); ++s)
    cost[sites[s].parameter] += simulations * site_costs[s] * pass_seconds + 2 * estimate_seconds;
  return cost;
}

std::vector<int> sites_of_work(int num_parameters, const std::vector<sim::AngleSite>& sites,
                               std::span<const int> work) {
  std::vector<char> mine(num_parameters, 0);
  for (int j : work) mine[j] = 1;
  std::vector<int> chosen;
  for (int s = 0; s < static_cast<int>(sites.size()); ++s)
    if (mine[sites[s].parameter]) chosen.push_back(s);
  return chosen;
}

void check_gradient_size(std::span<double> gradient, int num_parameters) {
  if (static_cast<int>(gradient.size()) != num_parameters)
    throw std::invalid_argument("gradient: needs one entry per parameter");
}

namespace {

template <typename F>
double best_of_three(F work) {
  double best = 1e300;
  for (int k = 0; k < 3; ++k) {
    const auto start = std::chrono::steady_clock::now();
    work();
    best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  return best;
}

class ParameterShiftEngine final : public GradientEngine {
public:
  ParameterShiftEngine(const sim::Circuit& circuit, const EngineOptions& options, const Loss& loss)
      : GradientEngine(circuit.num_parameters()), options_(options), loss_(loss),
        forward_(circuit, options.fusion), shift_(circuit, options.fusion, options.shift_evaluation),
        exact_(std::size_t{1} << circuit.num_qubits()), model_(exact_.size()),
        dl_dq_(exact_.size()), estimate_(exact_.size()) {
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
      sim::StateVector psi(forward_.circuit().num_qubits());
      forward_.run(theta, psi, exact_.data());
    }
    if (options_.shots > 0) {
      const LogEvent event(log_events().sample);
      auto stream = circuit_stream(0);
      sampler_.estimate(exact_, options_.shots, stream, model_);
    } else {
      model_ = exact_;
    }
    const double loss = loss_.value_and_gradient(model_, dl_dq_);

    std::fill(gradient.begin(), gradient.end(), 0.0);
    // The shifted circuits are simulated inside evaluate(); their sampling happens in the
    // callback, during which the simulation event is paused so that -log_view separates them.
    const auto& events = log_events();
    const LogEvent simulating(events.simulate);
    shift_.evaluate(theta, my_sites_, [&](int site, int sign, std::span<const double> p) {
      std::span<const double> estimate = p;
      if (options_.shots > 0) {
        const LogEventPause paused(events.simulate);
        const LogEvent sampling(events.sample);
        auto stream = circuit_stream(static_cast<std::uint32_t>(1 + 2 * site + (sign < 0 ? 1 : 0)));
        sampler_.estimate(p, options_.shots, stream, estimate_);
        estimate = estimate_;
      }
      double dot = 0.0;
      for (std::size_t x = 0; x < estimate.size(); ++x) dot += dl_dq_[x] * estimate[x];
      const sim::AngleSite& s = shift_.sites()[site];
      gradient[s.parameter] += 0.5 * sign * s.scale * dot;
    });
    return loss;
  }

  std::span<const double> model() const override { return model_; }

  std::vector<double> parameter_costs() override {
    // Seconds per site: its share of the circuit after it (site_costs, in passes, times the
    // time of one pass measured on a forward run) plus its shot estimates (two per site).
    const auto site_costs = shift_.site_costs();
    double passes = 0;
    for (const auto& g : shift_.plan().groups) passes += sim::pass_cost(g.kind);
    const std::vector<double> theta(forward_.circuit().num_parameters(), 0.3);
    const double pass_seconds = best_of_three([&] {
      sim::StateVector psi(forward_.circuit().num_qubits());
      forward_.run(theta, psi, exact_.data());
    }) / std::max(1.0, passes);
    double estimate_seconds = 0;
    if (options_.shots > 0) {
      estimate_seconds = best_of_three([&] {
        core::RandomStream stream(0, 0);
        sampler_.estimate(exact_, options_.shots, stream, estimate_);
      });
    }
    const double simulations = options_.shift_evaluation == sim::ShiftEvaluation::paired ? 1 : 2;
    return shift_work_cost(forward_.circuit().num_parameters(), shift_.sites(), site_costs, simulations, pass_seconds,
                           estimate_seconds);
  }

private:
  void work_changed() override {
    my_sites_ = sites_of_work(num_parameters(), shift_.sites(), work());
  }

  EngineOptions options_;
  const Loss& loss_;
  sim::Simulator forward_;
  sim::ParameterShift shift_;
  std::vector<int> my_sites_;  // the angle sites of the work set, ascending
  std::vector<double> exact_, model_, dl_dq_, estimate_;
  sim::ShotSampler sampler_;
};

class AdjointEngine final : public GradientEngine {
public:
  AdjointEngine(const sim::Circuit& circuit, const EngineOptions& options, const Loss& loss)
      : GradientEngine(circuit.num_parameters()), options_(options), loss_(loss),
        adjoint_(circuit, options.fusion), model_(std::size_t{1} << circuit.num_qubits()),
        dl_dq_(model_.size()), gradient_(circuit.num_parameters()) {}

  // The sweeps give every entry at once: each rank computes all and keeps its work set's.
  double evaluate(std::span<const double> theta, std::uint64_t, std::span<double> gradient) override {
    check_gradient_size(gradient, num_parameters());
    const LogEvent event(log_events().simulate);
    adjoint_.forward(theta, model_);
    const double loss = loss_.value_and_gradient(model_, dl_dq_);
    adjoint_.backward(dl_dq_, gradient_);
    std::fill(gradient.begin(), gradient.end(), 0.0);
    for (int j : work()) gradient[j] = gradient_[j];
    return loss;
  }

  std::span<const double> model() const override { return model_; }
  std::vector<double> parameter_costs() override {
    return std::vector<double>(gradient_.size(), 1.0);  // computed whole on every rank
  }

private:
  EngineOptions options_;
  const Loss& loss_;
  sim::AdjointDifferentiator adjoint_;
  std::vector<double> model_, dl_dq_, gradient_;
};

}  // namespace

std::unique_ptr<GradientEngine> make_gradient_engine(const sim::Circuit& circuit,
                                                     const EngineOptions& options,
                                                     const Loss& loss) {
  switch (options.method) {
    case GradientMethod::parameter_shift:
      return std::make_unique<ParameterShiftEngine>(circuit, options, loss);
    case GradientMethod::adjoint:
      if (options.shots > 0)
        throw core::InputError("the adjoint gradient needs exact probabilities (shots = 0); "
                               "use parameter-shift with shots");
      return std::make_unique<AdjointEngine>(circuit, options, loss);
  }
  throw core::InternalError("make_gradient_engine: an unknown gradient method");
}

}  // namespace qgen::train
