#include "qgen/hw/lcd_run.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "qgen/core/errors.hpp"
#include "qgen/train/loss.hpp"

namespace qgen::hw {
namespace {

std::vector<std::size_t> scaled(std::vector<std::size_t> boundaries, std::size_t factor) {
  for (std::size_t& b : boundaries) b *= factor;
  return boundaries;
}

}  // namespace

LcdRun::LcdRun(const sim::Circuit& circuit, sim::FusionLevel fusion, std::vector<double> target, Backend& backend,
               const LcdOptions& options, const QueueOptions& queue,
               std::function<std::vector<double>(const Counts&)> distribution_of)
    : simulator_(circuit, fusion),
      target_(std::move(target)),
      backend_(backend),
      options_(options),
      queue_(queue),
      distribution_of_(std::move(distribution_of)),
      layers_(train::rotational_layers(circuit)) {
  if (backend.num_qubits() != circuit.num_qubits())
    throw core::InputError("the backend " + backend.describe() + " measures " + std::to_string(backend.num_qubits()) +
                           " qubits; the circuit has " + std::to_string(circuit.num_qubits()));
  if (layers_.empty()) throw core::InputError("the circuit has no rotational layer for LCD to tune");
  if (options_.sweeps < 1) throw core::InputError("lcd.sweeps = " + std::to_string(options_.sweeps) + " must be >= 1");
  if (options_.shots < 1) throw core::InputError("lcd.shots must be >= 1");
  if (options_.batch_limit <= 0) options_.batch_limit = backend.max_experiments();
  for (std::size_t layer = 0; layer < layers_.size(); ++layer) {
    const int circuits = shifts_per_angle(static_cast<int>(layer)) * static_cast<int>(layers_[layer].size());
    if (circuits > options_.batch_limit)
      throw core::InputError("an LCD sweep of layer " + std::to_string(layer) + " needs " + std::to_string(circuits) +
                             " circuits; the batch limit is " + std::to_string(options_.batch_limit));
  }
}

std::vector<double> LcdRun::shifts_of(int layer) const {
  const int angles = static_cast<int>(layers_[layer].size());
  return options_.method != train::LcdMethod::fourier
             ? train::shift_grid(options_.batch_limit, angles, options_.half_width).shifts
             : train::fourier_shifts(options_.fourier_shifts);
}

int LcdRun::shifts_per_angle(int layer) const { return static_cast<int>(shifts_of(layer).size()); }

std::vector<double> LcdRun::distribution(const Counts& counts) const {
  if (distribution_of_) return distribution_of_(counts);
  std::vector<double> p(counts.size());
  for (std::size_t x = 0; x < counts.size(); ++x) p[x] = static_cast<double>(counts[x]) / options_.shots;
  return p;
}

double LcdRun::noiseless_loss(const std::vector<double>& parameters) const {
  return train::jensen_shannon(target_, simulator_.probabilities(parameters));
}

std::optional<double> LcdRun::measured_loss(const core::Ranks& ranks, const std::vector<double>& parameters,
                                            std::uint32_t number, const std::string& name,
                                            std::vector<double>* distribution_out) const {
  const BatchRequest batch{options_.run_name + "-" + name, number, options_.shots, {parameters}};
  std::vector<std::size_t> share(ranks.size + 1, 1);
  share[0] = 0;  // the one circuit belongs to the lead
  const auto counts = run_batch(ranks, backend_, batch, share, queue_);
  if (!counts) return std::nullopt;
  double loss = 0.0;
  if (ranks.lead()) {
    const std::vector<double> measured = distribution(counts->front());
    loss = train::jensen_shannon(target_, measured);
    if (distribution_out) *distribution_out = measured;
  }
  core::broadcast(ranks, loss);
  return loss;
}

bool LcdRun::iterate(const core::Ranks& ranks, LcdState& state) const {
  const int index = static_cast<int>(state.iterations.size());
  LcdIteration it;
  it.sweep = index / static_cast<int>(layers_.size());
  it.layer = index % static_cast<int>(layers_.size());
  it.batch = static_cast<std::uint32_t>(index + 1);
  it.parameter_ids = layers_[it.layer];
  it.sweep_shifts = shifts_of(it.layer);
  const std::size_t angles = it.parameter_ids.size(), n = it.sweep_shifts.size();
  const auto shifted = [&](std::size_t angle, std::size_t shift) {
    std::vector<double> p = state.parameters;
    p[it.parameter_ids[angle]] += it.sweep_shifts[shift];
    return p;
  };

  // 1. Noiseless sweep, the ranks splitting the angles.
  const auto angle_blocks = core::block_boundaries(angles, ranks.size);
  std::vector<double> mine;
  core::collectively(ranks, [&] {
    for (std::size_t a = angle_blocks[ranks.rank]; a < angle_blocks[ranks.rank + 1]; ++a)
      for (std::size_t s = 0; s < n; ++s) mine.push_back(noiseless_loss(shifted(a, s)));
  });
  it.js_noiseless = core::gather_blocks(ranks, mine, scaled(angle_blocks, n));
  std::vector<std::size_t> active;
  it.flat.assign(angles, 0);
  for (std::size_t a = 0; a < angles; ++a) {
    const std::span<const double> sweep(it.js_noiseless.data() + a * n, n);
    it.flat[a] = train::variance(sweep) < options_.flat_variance;
    if (!it.flat[a]) active.push_back(a);
  }
  it.shifts.assign(angles, 0.0);
  if (active.empty()) {
    it.skipped = true;
    it.loss_noisy = std::numeric_limits<double>::quiet_NaN();
    it.loss_noiseless = noiseless_loss(state.parameters);
    state.iterations.push_back(std::move(it));
    return true;
  }

  // 2. The batch of the non-flat angles' circuits.
  BatchRequest batch{options_.run_name + "-i" + std::to_string(index) + "-s" + std::to_string(it.sweep) + "-l" +
                         std::to_string(it.layer),
                     it.batch, options_.shots, {}};
  for (std::size_t a : active)
    for (std::size_t s = 0; s < n; ++s) batch.parameter_sets.push_back(shifted(a, s));
  const auto active_blocks = core::block_boundaries(active.size(), ranks.size);
  const auto circuit_blocks = scaled(active_blocks, n);
  const auto counts = run_batch(ranks, backend_, batch, circuit_blocks, queue_);
  if (!counts) return false;

  // 3. Each rank's angles: losses, best shift; then gathered in angle order.
  std::vector<double> js, best_shift, best_loss;
  core::collectively(ranks, [&] {
    for (std::size_t k = 0; k < active_blocks[ranks.rank + 1] - active_blocks[ranks.rank]; ++k) {
      std::vector<std::vector<double>> distributions;
      for (std::size_t s = 0; s < n; ++s) {
        distributions.push_back(distribution((*counts)[k * n + s]));
        js.push_back(train::jensen_shannon(target_, distributions.back()));
      }
      if (options_.method == train::LcdMethod::grid) {
        const auto first = js.end() - static_cast<std::ptrdiff_t>(n);
        const auto best = std::min_element(first, js.end());
        best_shift.push_back(it.sweep_shifts[best - first]);
        best_loss.push_back(*best);
      } else {
        const train::FourierCut cut = train::fit_cut(it.sweep_shifts, distributions);
        const auto cut_loss = [&](double a) { return train::jensen_shannon(target_, cut.at(a)); };
        const auto [alpha, loss] =
            options_.method == train::LcdMethod::fourier
                ? train::minimise_on_circle(cut_loss)
                : train::minimise_on_interval(cut_loss, it.sweep_shifts.front(), it.sweep_shifts.back());
        best_shift.push_back(alpha);
        best_loss.push_back(loss);
      }
    }
  });
  it.js_noisy = core::gather_blocks(ranks, js, circuit_blocks);
  const auto shifts = core::gather_blocks(ranks, best_shift, active_blocks);
  const auto losses = core::gather_blocks(ranks, best_loss, active_blocks);
  const std::size_t best = std::min_element(losses.begin(), losses.end()) - losses.begin();
  for (std::size_t k = 0; k < active.size(); ++k) {
    if (options_.update == train::LcdUpdate::best && k != best) continue;
    it.shifts[active[k]] = shifts[k];
    state.parameters[it.parameter_ids[active[k]]] += shifts[k];
  }
  it.loss_noisy = losses[best];
  it.loss_noiseless = noiseless_loss(state.parameters);
  state.iterations.push_back(std::move(it));
  return true;
}

}  // namespace qgen::hw
