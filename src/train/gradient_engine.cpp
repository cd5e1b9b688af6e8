#include "qgen/train/gradient_engine.hpp"

#include <algorithm>
#include <numeric>
#include <stdexcept>

#include "qgen/sim/simulator.hpp"
#include "qgen/train/log_events.hpp"

namespace qgen::train {

std::vector<Ownership> balanced_ownership(std::span<const double> cost, int ranks) {
  if (ranks < 1) throw std::invalid_argument("ownership: needs at least one rank");
  const int n = static_cast<int>(cost.size());
  std::vector<double> prefix(n + 1, 0.0);  // prefix[k] = cost of parameters 0..k-1
  for (int k = 0; k < n; ++k) prefix[k + 1] = prefix[k] + cost[k];
  // Boundary r: the prefix closest to r/ranks of the total; then at least one parameter per
  // rank whenever there are as many parameters as ranks.
  std::vector<int> bound(ranks + 1, 0);
  bound[ranks] = n;
  for (int r = 1; r < ranks; ++r) {
    const double goal = prefix[n] * r / ranks;
    int k = static_cast<int>(std::lower_bound(prefix.begin(), prefix.end(), goal) - prefix.begin());
    if (k > 0 && (k > n || goal - prefix[k - 1] < prefix[k] - goal)) --k;
    bound[r] = std::clamp(k, 0, n);
  }
  const int gap = n >= ranks ? 1 : 0;
  for (int r = 1; r < ranks; ++r) bound[r] = std::max(bound[r], bound[r - 1] + gap);
  for (int r = ranks - 1; r >= 1; --r) bound[r] = std::min(bound[r], bound[r + 1] - gap);
  std::vector<Ownership> blocks(ranks);
  for (int r = 0; r < ranks; ++r) blocks[r] = {bound[r], bound[r + 1]};
  return blocks;
}

namespace {

class ParameterShiftEngine final : public GradientEngine {
public:
  ParameterShiftEngine(const sim::Circuit& circuit, const EngineOptions& options, const Loss& loss)
      : options_(options), loss_(loss), forward_(circuit, options.fusion),
        shift_(circuit, options.fusion, options.shift_evaluation),
        ownership_{0, circuit.num_parameters()}, exact_(std::size_t{1} << circuit.num_qubits()),
        model_(exact_.size()), dl_dq_(exact_.size()), estimate_(exact_.size()) {
    select_sites();
  }

  double evaluate(std::span<const double> theta, std::uint64_t evaluation,
                  std::span<double> local_gradient) override {
    if (static_cast<int>(local_gradient.size()) != ownership_.size())
      throw std::invalid_argument("gradient: local block size mismatch");
    const auto circuit_stream = [&](std::uint32_t circuit) {
      return sim::RandomStream(options_.seed, sim::stream_id(static_cast<std::uint32_t>(evaluation), circuit));
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

    std::fill(local_gradient.begin(), local_gradient.end(), 0.0);
    // The shifted circuits are simulated inside evaluate(); their sampling happens in the
    // callback, during which the simulation event is paused so that -log_view separates them.
    const auto& events = log_events();
    PetscLogEventBegin(events.simulate, 0, 0, 0, 0);
    shift_.evaluate(theta, my_sites_, [&](int site, int sign, std::span<const double> p) {
      std::span<const double> estimate = p;
      if (options_.shots > 0) {
        PetscLogEventEnd(events.simulate, 0, 0, 0, 0);
        PetscLogEventBegin(events.sample, 0, 0, 0, 0);
        auto stream = circuit_stream(static_cast<std::uint32_t>(1 + 2 * site + (sign < 0 ? 1 : 0)));
        sampler_.estimate(p, options_.shots, stream, estimate_);
        estimate = estimate_;
        PetscLogEventEnd(events.sample, 0, 0, 0, 0);
        PetscLogEventBegin(events.simulate, 0, 0, 0, 0);
      }
      double dot = 0.0;
      for (std::size_t x = 0; x < estimate.size(); ++x) dot += dl_dq_[x] * estimate[x];
      const sim::AngleSite& s = shift_.sites()[site];
      local_gradient[s.parameter - ownership_.first] += 0.5 * sign * s.scale * dot;
    });
    PetscLogEventEnd(events.simulate, 0, 0, 0, 0);
    return loss;
  }

  std::span<const double> model() const override { return model_; }

  std::vector<double> parameter_costs() const override {
    // Simulation: the site's share of the circuit after it; sampling: two estimates per site,
    // converted to the same units (a pass over 2^Q amplitudes) at about 4 amplitudes' cost per
    // shot drawn.
    const auto site_costs = shift_.site_costs();
    const double shots_in_passes =
        options_.shots > 0 ? 2.0 * 4.0 * options_.shots / static_cast<double>(exact_.size()) : 0;
    const double per_site_simulation = options_.shift_evaluation == sim::ShiftEvaluation::paired ? 1 : 2;
    std::vector<double> cost(forward_.circuit().num_parameters(), 0.0);
    for (std::size_t s = 0; s < site_costs.size(); ++s)
      cost[shift_.sites()[s].parameter] += per_site_simulation * site_costs[s] + shots_in_passes;
    return cost;
  }

  const Ownership& ownership() const override { return ownership_; }
  void set_ownership(const Ownership& ownership) override {
    ownership_ = ownership;
    select_sites();
  }

private:
  void select_sites() {
    my_sites_.clear();
    for (int s = 0; s < static_cast<int>(shift_.sites().size()); ++s) {
      const int j = shift_.sites()[s].parameter;
      if (j >= ownership_.first && j < ownership_.last) my_sites_.push_back(s);
    }
  }

  EngineOptions options_;
  const Loss& loss_;
  sim::Simulator forward_;
  sim::ParameterShift shift_;
  Ownership ownership_;
  std::vector<int> my_sites_;
  std::vector<double> exact_, model_, dl_dq_, estimate_;
  sim::ShotSampler sampler_;
};

class AdjointEngine final : public GradientEngine {
public:
  AdjointEngine(const sim::Circuit& circuit, const EngineOptions& options, const Loss& loss)
      : options_(options), loss_(loss), adjoint_(circuit, options.fusion),
        ownership_{0, circuit.num_parameters()}, model_(std::size_t{1} << circuit.num_qubits()),
        dl_dq_(model_.size()), gradient_(circuit.num_parameters()) {}

  double evaluate(std::span<const double> theta, std::uint64_t, std::span<double> local_gradient) override {
    if (static_cast<int>(local_gradient.size()) != ownership_.size())
      throw std::invalid_argument("gradient: local block size mismatch");
    const LogEvent event(log_events().simulate);
    adjoint_.forward(theta, model_);
    const double loss = loss_.value_and_gradient(model_, dl_dq_);
    adjoint_.backward(dl_dq_, gradient_);
    std::copy(gradient_.begin() + ownership_.first, gradient_.begin() + ownership_.last,
              local_gradient.begin());
    return loss;
  }

  std::span<const double> model() const override { return model_; }
  std::vector<double> parameter_costs() const override {
    return std::vector<double>(gradient_.size(), 1.0);
  }
  const Ownership& ownership() const override { return ownership_; }
  void set_ownership(const Ownership& ownership) override { ownership_ = ownership; }

private:
  EngineOptions options_;
  const Loss& loss_;
  sim::AdjointDifferentiator adjoint_;
  Ownership ownership_;
  std::vector<double> model_, dl_dq_, gradient_;
};

}  // namespace

std::unique_ptr<GradientEngine> make_gradient_engine(const sim::Circuit& circuit,
                                                     const EngineOptions& options,
                                                     const Loss& loss) {
  if (options.method == "parameter-shift")
    return std::make_unique<ParameterShiftEngine>(circuit, options, loss);
  if (options.method == "adjoint") {
    if (options.shots > 0)
      throw std::invalid_argument("the adjoint gradient needs exact probabilities (shots = 0); "
                                  "use parameter-shift with shots");
    return std::make_unique<AdjointEngine>(circuit, options, loss);
  }
  throw std::invalid_argument("gradient '" + options.method +
                              "' is not one of parameter-shift, adjoint");
}

}  // namespace qgen::train
