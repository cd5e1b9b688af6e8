// Layer-wise coordinate descent on a backend (paper 000, section IV.B, Fig. 12): one iteration
// re-tunes one rotational layer (train/lcd_sweep.hpp says which angles, which shifts and how the
// best one is chosen); iterations visit the layers from the measurement side inward, `sweeps`
// times over.
//
// One iteration, on every rank:
//   1. the sweep's circuits (each angle of the layer at each shift, angle-major) are evaluated
//      noiselessly, the ranks splitting the angles; an angle whose noiseless losses vary by less
//      than `flat_variance` (paper: 5e-7) keeps its value and its circuits stay home; when every
//      angle is flat the iteration is skipped (the paper's "not executed on hardware");
//   2. the remaining circuits go to the backend as one batch (hw/batch_queue.hpp; the lead alone
//      talks to a non-parallel backend); each rank receives the counts of its angles' circuits,
//      turns them into distributions (`distribution_of`: counts/shots, or readout-mitigated)
//      and losses, and picks its angles' shifts (grid: the best circuit; Fourier: the minimum of
//      the fitted cut);
//   3. the losses and shifts are gathered in a fixed order and every angle moves by its shift.
// All ranks hold the same parameters after every iteration, and the same numbers for any
// number of ranks: the noiseless losses are exact, the counts keyed by (batch, circuit), and
// the gathers ordered by angle.
//
// The batch of iteration i is number i + 1 (number 0 is the evaluation before LCD) and is named
// "<run>-i<i>-s<sweep>-l<layer>", stable across restarts.
#pragma once

#include <cstdint>
#include <functional>
#include <numbers>
#include <optional>
#include <string>
#include <vector>

#include "qgen/core/parallel.hpp"
#include "qgen/hw/backend.hpp"
#include "qgen/hw/batch_queue.hpp"
#include "qgen/sim/circuit.hpp"
#include "qgen/sim/fusion.hpp"
#include "qgen/sim/simulator.hpp"
#include "qgen/train/lcd_sweep.hpp"

namespace qgen::hw {

struct LcdOptions {
  train::LcdMethod method = train::LcdMethod::grid;
  train::LcdUpdate update = train::LcdUpdate::each;
  int sweeps = 1;                              // passes over all rotational layers
  int batch_limit = 0;                         // B; 0: the backend's max_experiments
  double half_width = std::numbers::pi / 4;    // eps of the grid
  int fourier_shifts = 3;                      // m of the Fourier method
  std::uint64_t shots = 20000;
  double flat_variance = 5e-7;
  std::string run_name = "lcd";                // prefix of the batch ids
};

/// What one iteration did (the results file's /lcd records).
struct LcdIteration {
  int sweep = 0, layer = 0;       // layer 0: nearest the measurement
  std::uint32_t batch = 0;        // the batch number
  bool skipped = false;           // every angle flat: nothing sent
  std::vector<int> parameter_ids; // the layer's angles
  std::vector<double> sweep_shifts;  // the shifts tried (grid or Fourier points)
  std::vector<double> shifts;     // the shift each angle took (0 for flat angles)
  std::vector<char> flat;         // per angle
  std::vector<double> js_noiseless;  // every circuit of the sweep, angle-major
  std::vector<double> js_noisy;      // every circuit sent, angle-major over the non-flat angles
  double loss_noisy = 0.0;        // the lowest measured (grid) or fitted (Fourier) loss; NaN if skipped
  double loss_noiseless = 0.0;    // the noiseless loss at the parameters after the iteration
};

struct LcdState {
  std::vector<double> parameters;
  std::vector<LcdIteration> iterations;  // the finished ones
};

class LcdRun {
public:
  /// `target`: the distribution the loss (JS) compares with; `distribution_of`: counts -> the
  /// measured distribution (empty: counts / shots).
  LcdRun(const sim::Circuit& circuit, sim::FusionLevel fusion, std::vector<double> target, Backend& backend,
         const LcdOptions& options, const QueueOptions& queue = {},
         std::function<std::vector<double>(const Counts&)> distribution_of = {});

  const std::vector<std::vector<int>>& layers() const { return layers_; }
  int total_iterations() const { return static_cast<int>(layers_.size()) * options_.sweeps; }
  /// Circuits per angle of a sweep.
  int shifts_per_angle(int layer) const;

  /// Runs iteration state.iterations.size() and appends it; false (state unchanged) when a stop
  /// was requested while the backend worked. Collective.
  bool iterate(const core::Ranks& ranks, LcdState& state) const;

  /// The loss measured on the backend for one circuit at `parameters` (batch `number`, named
  /// `name`), or nothing when stopped; the measured distribution into `distribution` on the
  /// lead when given. Collective.
  std::optional<double> measured_loss(const core::Ranks& ranks, const std::vector<double>& parameters,
                                      std::uint32_t number, const std::string& name,
                                      std::vector<double>* distribution = nullptr) const;
  double noiseless_loss(const std::vector<double>& parameters) const;

private:
  std::vector<double> shifts_of(int layer) const;
  std::vector<double> distribution(const Counts& counts) const;

  sim::Simulator simulator_;
  std::vector<double> target_;
  Backend& backend_;
  LcdOptions options_;
  QueueOptions queue_;
  std::function<std::vector<double>(const Counts&)> distribution_of_;
  std::vector<std::vector<int>> layers_;
};

}  // namespace qgen::hw
