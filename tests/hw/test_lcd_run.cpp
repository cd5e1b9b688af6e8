// LCD iterations (hw/lcd_run.hpp) on one rank, on a noiseless emulated device, checked against
// quantities recomputed here: the noiseless losses from dense-matrix probabilities of each
// shifted circuit, the flat angles from their variance (and the final row's omegas, an RZ just
// before measurement, always flat), the batch sent (exactly the non-flat angles' circuits,
// angle-major), the measured losses from the emulator's counts of that batch, each angle's shift
// as the argmin of its own measured sweep, the single move of update=best, and an iteration
// whose every angle is flat skipped without a batch.
#include <gtest/gtest.h>
#include <mpi.h>

#include <algorithm>
#include <cmath>
#include <numbers>

#include "../support/expect_error.hpp"
#include "lcd_fixture.hpp"
#include "qgen/core/errors.hpp"
#include "qgen/train/loss.hpp"

namespace qgen::hw {
namespace {

using testing::LcdProblem;
using testing::RecordingBackend;

core::Ranks one_rank() { return core::Ranks::of(MPI_COMM_SELF); }

std::vector<double> shifted(std::vector<double> theta, int slot, double shift) {
  theta[slot] += shift;
  return theta;
}

double reference_loss(const LcdProblem& p, const std::vector<double>& theta) {
  return train::jensen_shannon(p.target, testing::reference_probabilities(p.circuit, theta));
}

LcdOptions small_options() {
  LcdOptions o;
  o.shots = 4000;
  return o;
}

TEST(LcdRun, LayersAndGrid) {
  const LcdProblem p;
  RecordingBackend backend(*p.backend);
  const LcdRun run(p.circuit, sim::FusionLevel::two_qubit, p.target, backend, small_options());
  ASSERT_EQ(run.layers().size(), 3u);
  EXPECT_EQ(run.layers(), train::rotational_layers(p.circuit));
  EXPECT_EQ(run.layers()[0].size(), 12u);
  EXPECT_EQ(run.layers()[1].size(), 6u);
  EXPECT_EQ(run.total_iterations(), 3);
  // B = 120: 12 angles -> n = 10 -> 9 shifts; 6 angles -> n = 20 -> 19 shifts.
  EXPECT_EQ(run.shifts_per_angle(0), 9);
  EXPECT_EQ(run.shifts_per_angle(1), 19);
  EXPECT_NEAR(run.noiseless_loss(p.start), reference_loss(p, p.start), 1e-12);
}

TEST(LcdRun, RefusesBatchLimitsThatDoNotFit) {
  const LcdProblem p;
  LcdOptions o = small_options();
  o.batch_limit = 240;  // above the backend's 120: allowed, the queue cuts a sweep into jobs
  EXPECT_NO_THROW(LcdRun(p.circuit, sim::FusionLevel::two_qubit, p.target, *p.backend, o));
  o.batch_limit = 11;  // fewer than the 12 angles of a layer
  EXPECT_THROW(LcdRun(p.circuit, sim::FusionLevel::two_qubit, p.target, *p.backend, o), core::InputError);
  o.batch_limit = 60;
  o.method = train::LcdMethod::fourier;
  o.fourier_shifts = 6;  // 72 circuits for 12 angles
  testing::expect_error<core::InputError>(
      [&] { LcdRun(p.circuit, sim::FusionLevel::two_qubit, p.target, *p.backend, o); }, "needs 72 circuits");
}

TEST(LcdRun, EachAngleTakesTheArgminOfItsOwnSweep) {
  const LcdProblem p;
  RecordingBackend backend(*p.backend);
  const LcdRun run(p.circuit, sim::FusionLevel::two_qubit, p.target, backend, small_options());
  LcdState state{p.start, {}};
  ASSERT_TRUE(run.iterate(one_rank(), state));
  ASSERT_EQ(state.iterations.size(), 1u);
  const LcdIteration& it = state.iterations[0];
  EXPECT_EQ(it.sweep, 0);
  EXPECT_EQ(it.layer, 0);
  EXPECT_EQ(it.batch, 1u);
  EXPECT_FALSE(it.skipped);

  // The final Rot row: slots 18..29, omegas at 20, 23, 26, 29.
  std::vector<int> final_row(12);
  for (int i = 0; i < 12; ++i) final_row[i] = 18 + i;
  ASSERT_EQ(it.parameter_ids, final_row);
  EXPECT_EQ(it.sweep_shifts, train::shift_grid(120, 12).shifts);
  const std::size_t angles = 12, n = it.sweep_shifts.size();

  // Noiseless losses from dense matrices; flatness from their variance.
  ASSERT_EQ(it.js_noiseless.size(), angles * n);
  std::vector<std::size_t> active;
  for (std::size_t a = 0; a < angles; ++a) {
    std::vector<double> sweep;
    for (std::size_t s = 0; s < n; ++s) {
      const double reference = reference_loss(p, shifted(p.start, it.parameter_ids[a], it.sweep_shifts[s]));
      EXPECT_NEAR(it.js_noiseless[a * n + s], reference, 1e-12) << "angle " << a << " shift " << s;
      sweep.push_back(reference);
    }
    double mean = 0, var = 0;
    for (double v : sweep) mean += v / n;
    for (double v : sweep) var += (v - mean) * (v - mean) / n;
    const bool omega = a % 3 == 2;
    EXPECT_EQ(it.flat[a] != 0, var < 5e-7) << "angle " << a << " variance " << var;
    if (omega) {  // an RZ right before measurement changes no probability
      EXPECT_TRUE(it.flat[a]) << "angle " << a;
      EXPECT_LT(var, 1e-20) << "angle " << a;
    }
    if (!it.flat[a]) active.push_back(a);
  }
  // At these angles 6 of the 8 phi/theta angles vary by more than 5e-7 (two phis are nearly flat).
  ASSERT_EQ(active.size(), 6u);

  // The batch: the non-flat angles' circuits, angle-major, under the documented name.
  ASSERT_EQ(backend.batches.size(), 1u);
  const BatchRequest& batch = backend.batches[0];
  EXPECT_EQ(batch.id, "lcd-i0-s0-l0");
  EXPECT_EQ(batch.number, 1u);
  EXPECT_EQ(batch.shots, 4000u);
  ASSERT_EQ(batch.parameter_sets.size(), active.size() * n);
  for (std::size_t k = 0; k < active.size(); ++k)
    for (std::size_t s = 0; s < n; ++s)
      ASSERT_EQ(batch.parameter_sets[k * n + s], shifted(p.start, it.parameter_ids[active[k]], it.sweep_shifts[s]));

  // Measured losses: the emulator's counts of that batch, over the shots.
  const auto counts = p.backend->counts_of_share(batch, 0, batch.parameter_sets.size());
  ASSERT_EQ(it.js_noisy.size(), counts.size());
  for (std::size_t c = 0; c < counts.size(); ++c) {
    std::vector<double> measured(counts[c].begin(), counts[c].end());
    for (double& m : measured) m /= 4000.0;
    EXPECT_NEAR(it.js_noisy[c], train::jensen_shannon(p.target, measured), 1e-15) << "circuit " << c;
  }

  // Each non-flat angle moves by the shift of its own lowest measured loss; flat ones stay.
  std::vector<double> expected = p.start;
  double lowest = 1e300;
  for (std::size_t k = 0; k < active.size(); ++k) {
    const auto first = it.js_noisy.begin() + k * n;
    const std::size_t s = std::min_element(first, first + n) - first;
    EXPECT_EQ(it.shifts[active[k]], it.sweep_shifts[s]) << "angle " << active[k];
    expected[it.parameter_ids[active[k]]] += it.sweep_shifts[s];
    lowest = std::min(lowest, *(first + s));
  }
  for (std::size_t a = 0; a < angles; ++a)
    if (it.flat[a]) {
      EXPECT_EQ(it.shifts[a], 0.0);
    }
  EXPECT_EQ(state.parameters, expected);
  EXPECT_EQ(it.loss_noisy, lowest);
  EXPECT_NEAR(it.loss_noiseless, reference_loss(p, state.parameters), 1e-12);
  // Not a degenerate sweep: at least some angle moved.
  EXPECT_NE(state.parameters, p.start);
}

TEST(LcdRun, BestUpdateMovesExactlyOneAngle) {
  const LcdProblem p;
  RecordingBackend backend(*p.backend);
  LcdOptions o = small_options();
  o.update = train::LcdUpdate::best;
  const LcdRun run(p.circuit, sim::FusionLevel::two_qubit, p.target, backend, o);
  LcdState state{p.start, {}};
  for (int i = 0; i < 2; ++i) {
    const std::vector<double> before = state.parameters;
    ASSERT_TRUE(run.iterate(one_rank(), state));
    const LcdIteration& it = state.iterations.back();
    ASSERT_FALSE(it.skipped);
    const std::size_t n = it.sweep_shifts.size();
    // The best circuit of the batch and the angle it belongs to.
    const std::size_t best = std::min_element(it.js_noisy.begin(), it.js_noisy.end()) - it.js_noisy.begin();
    std::vector<std::size_t> active;
    for (std::size_t a = 0; a < it.flat.size(); ++a)
      if (!it.flat[a]) active.push_back(a);
    const std::size_t angle = active[best / n];
    const double shift = it.sweep_shifts[best % n];
    int moved = 0;
    for (std::size_t j = 0; j < before.size(); ++j) moved += state.parameters[j] != before[j];
    std::vector<double> expected = before;
    expected[it.parameter_ids[angle]] += shift;
    EXPECT_EQ(state.parameters, expected) << "iteration " << i;
    EXPECT_EQ(moved, shift == 0.0 ? 0 : 1) << "iteration " << i;
    for (std::size_t a = 0; a < it.shifts.size(); ++a) EXPECT_EQ(it.shifts[a], a == angle ? shift : 0.0);
    EXPECT_EQ(it.loss_noisy, it.js_noisy[best]);
  }
  EXPECT_NE(state.parameters, p.start);
  EXPECT_EQ(backend.batches.back().id, "lcd-i1-s0-l1");
}

TEST(LcdRun, FourierShiftsMinimiseTheExactCut) {
  // With many shots the fitted cut is close to the exact one: each angle's shift must reach the
  // exact cut's minimum (found by a dense scan of dense-matrix losses) to within shot noise.
  const LcdProblem p;
  RecordingBackend backend(*p.backend);
  LcdOptions o;
  o.method = train::LcdMethod::fourier;
  o.fourier_shifts = 5;
  o.shots = 400000;
  const LcdRun run(p.circuit, sim::FusionLevel::two_qubit, p.target, backend, o);
  EXPECT_EQ(run.shifts_per_angle(0), 5);
  LcdState state{p.start, {}};
  ASSERT_TRUE(run.iterate(one_rank(), state));
  const LcdIteration& it = state.iterations[0];
  EXPECT_EQ(it.sweep_shifts, train::fourier_shifts(5));
  ASSERT_EQ(backend.batches.size(), 1u);
  const BatchRequest& batch = backend.batches[0];
  std::size_t k = 0;
  double lowest_fit = 1e300;
  for (std::size_t a = 0; a < it.flat.size(); ++a) {
    if (it.flat[a]) continue;
    // The sent circuits are the angle at the Fourier points, in their order.
    for (std::size_t s = 0; s < 5; ++s)
      ASSERT_EQ(batch.parameter_sets[k * 5 + s], shifted(p.start, it.parameter_ids[a], it.sweep_shifts[s]));
    double exact_min = 1e300;
    for (int i = 0; i < 720; ++i)
      exact_min = std::min(exact_min, reference_loss(p, shifted(p.start, it.parameter_ids[a], -std::numbers::pi + 2 * std::numbers::pi * i / 720)));
    const double reached = reference_loss(p, shifted(p.start, it.parameter_ids[a], it.shifts[a]));
    EXPECT_LT(reached - exact_min, 2e-4) << "angle " << a << " shift " << it.shifts[a];
    EXPECT_GT(it.shifts[a], -std::numbers::pi);
    EXPECT_LE(it.shifts[a], std::numbers::pi);
    // The fitted loss at the chosen shift, from this angle's measured distributions.
    std::vector<std::vector<double>> measured;
    const auto counts = p.backend->counts_of_share(batch, k * 5, 5);
    for (const auto& c : counts) {
      measured.emplace_back(c.begin(), c.end());
      for (double& m : measured.back()) m /= o.shots;
    }
    const double fitted = train::jensen_shannon(p.target, train::fit_fourier_cut(measured).at(it.shifts[a]));
    lowest_fit = std::min(lowest_fit, fitted);
    ++k;
  }
  EXPECT_EQ(k * 5, batch.parameter_sets.size());
  EXPECT_NEAR(it.loss_noisy, lowest_fit, 1e-12);
  EXPECT_LT(it.loss_noiseless, reference_loss(p, p.start));
}

TEST(LcdRun, AllFlatLayerIsSkippedWithoutABatch) {
  const LcdProblem p;
  RecordingBackend backend(*p.backend);
  LcdOptions o = small_options();
  o.flat_variance = 1.0;  // JS <= ln 2: every sweep's variance is below 1
  const LcdRun run(p.circuit, sim::FusionLevel::two_qubit, p.target, backend, o);
  LcdState state{p.start, {}};
  ASSERT_TRUE(run.iterate(one_rank(), state));
  ASSERT_TRUE(run.iterate(one_rank(), state));
  EXPECT_TRUE(backend.batches.empty());
  EXPECT_EQ(state.parameters, p.start);
  for (int i = 0; i < 2; ++i) {
    const LcdIteration& it = state.iterations[i];
    EXPECT_TRUE(it.skipped);
    EXPECT_EQ(it.layer, i);
    EXPECT_EQ(it.batch, static_cast<std::uint32_t>(i + 1));
    EXPECT_TRUE(it.js_noisy.empty());
    EXPECT_EQ(it.js_noiseless.size(), it.parameter_ids.size() * it.sweep_shifts.size());
    EXPECT_EQ(it.shifts, std::vector<double>(it.parameter_ids.size(), 0.0));
    EXPECT_TRUE(std::all_of(it.flat.begin(), it.flat.end(), [](char f) { return f != 0; }));
    EXPECT_TRUE(std::isnan(it.loss_noisy));
    EXPECT_NEAR(it.loss_noiseless, reference_loss(p, p.start), 1e-12);
  }
  // With the paper's threshold the same layer goes to the backend.
  const LcdRun paper(p.circuit, sim::FusionLevel::two_qubit, p.target, backend, small_options());
  LcdState fresh{p.start, {}};
  ASSERT_TRUE(paper.iterate(one_rank(), fresh));
  EXPECT_FALSE(fresh.iterations[0].skipped);
  EXPECT_EQ(backend.batches.size(), 1u);
}

TEST(LcdRun, SweepsVisitTheLayersFromTheMeasurementSide) {
  const LcdProblem p;
  RecordingBackend backend(*p.backend);
  LcdOptions o = small_options();
  o.sweeps = 2;
  o.run_name = "t";
  const LcdRun run(p.circuit, sim::FusionLevel::two_qubit, p.target, backend, o);
  EXPECT_EQ(run.total_iterations(), 6);
  LcdState state{p.start, {}};
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(run.iterate(one_rank(), state));
  const std::vector<std::string> ids{"t-i0-s0-l0", "t-i1-s0-l1", "t-i2-s0-l2", "t-i3-s1-l0"};
  ASSERT_EQ(backend.batches.size(), 4u);
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(backend.batches[i].id, ids[i]);
    EXPECT_EQ(backend.batches[i].number, static_cast<std::uint32_t>(i + 1));
    EXPECT_EQ(state.iterations[i].parameter_ids, run.layers()[i % 3]);
    EXPECT_EQ(state.iterations[i].sweep, i / 3);
  }
}

// A lead-only backend that takes batches and never answers.
class SilentBackend : public RecordingBackend {
public:
  using RecordingBackend::RecordingBackend;
  std::optional<std::vector<Counts>> poll(const BatchRequest&) override { return std::nullopt; }
};

TEST(LcdRun, StopWhileWaitingLeavesTheStateUnchanged) {
  const LcdProblem p;
  SilentBackend silent(*p.backend, true);
  QueueOptions q;
  q.poll_interval = 1e-4;
  int asked = 0;
  q.stop_requested = [&] { return ++asked >= 2; };
  const LcdRun run(p.circuit, sim::FusionLevel::two_qubit, p.target, silent, small_options(), q);
  LcdState state{p.start, {}};
  EXPECT_FALSE(run.iterate(one_rank(), state));
  EXPECT_TRUE(state.iterations.empty());
  EXPECT_EQ(state.parameters, p.start);
  EXPECT_EQ(silent.batches.size(), 1u);  // submitted, then the wait ended
  asked = 0;
  EXPECT_FALSE(run.measured_loss(one_rank(), p.start, 0, "eval"));
}

TEST(LcdRun, MeasuredDistributionsGoThroughDistributionOf) {
  // A "mitigation" that returns the target whatever was counted: every measured loss is 0, so
  // each angle takes the first shift of its sweep (the first of equal minima).
  const LcdProblem p;
  int calls = 0;
  const LcdRun run(p.circuit, sim::FusionLevel::two_qubit, p.target, *p.backend, small_options(), {},
                   [&](const Counts& counts) {
                     ++calls;
                     EXPECT_EQ(counts.size(), 16u);
                     return p.target;
                   });
  LcdState state{p.start, {}};
  ASSERT_TRUE(run.iterate(one_rank(), state));
  const LcdIteration& it = state.iterations[0];
  EXPECT_EQ(static_cast<std::size_t>(calls), it.js_noisy.size());
  for (double js : it.js_noisy) EXPECT_EQ(js, 0.0);
  EXPECT_EQ(it.loss_noisy, 0.0);
  for (std::size_t a = 0; a < it.flat.size(); ++a)
    EXPECT_EQ(it.shifts[a], it.flat[a] ? 0.0 : it.sweep_shifts.front()) << "angle " << a;
}

TEST(LcdRun, MeasuredLossOfOneCircuit) {
  const LcdProblem p;
  RecordingBackend backend(*p.backend);
  const LcdRun run(p.circuit, sim::FusionLevel::two_qubit, p.target, backend, small_options());
  std::vector<double> distribution;
  const auto loss = run.measured_loss(one_rank(), p.start, 0, "eval", &distribution);
  ASSERT_TRUE(loss);
  ASSERT_EQ(backend.batches.size(), 1u);
  EXPECT_EQ(backend.batches[0].id, "lcd-eval");
  const auto counts = p.backend->counts_of_share(backend.batches[0], 0, 1)[0];
  std::vector<double> measured(counts.begin(), counts.end());
  for (double& m : measured) m /= 4000.0;
  EXPECT_EQ(distribution, measured);
  EXPECT_NEAR(*loss, train::jensen_shannon(p.target, measured), 1e-15);
  // Shot noise only: the noiseless emulator's measured loss is near the exact one.
  EXPECT_NEAR(*loss, reference_loss(p, p.start), 0.02);
}

}  // namespace
}  // namespace qgen::hw
