// What happens between the optimiser's steps: the StepObserver of a training run.
//
// After every TAO iteration (on every rank, with the same record) the monitor
//   - records the history (a restart re-evaluates the checkpoint's last iterate: that step is
//     already recorded and is only compared, not added),
//   - hands new steps to a progress callback on the lead rank (the application prints them),
//   - writes a checkpoint every `checkpoint_every` steps, and
//   - asks every rank whether a stop signal arrived (one MPI_Allreduce); if one did, it writes
//     a checkpoint and stops the run.
// finish() writes the final checkpoint of a run that was not stopped by a signal.
// Checkpoints are gathered by the Trainer and written by the lead rank (core::on_lead).
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "qgen/core/parallel.hpp"
#include "qgen/train/checkpoint.hpp"
#include "qgen/train/history.hpp"
#include "qgen/train/stop_signals.hpp"
#include "qgen/train/trainer.hpp"

namespace qgen::train {

struct MonitorOptions {
  std::string checkpoint_path;  // "": none
  int checkpoint_every = 0;     // 0: at the end and on a signal only
  const StopSignals* signals = nullptr;
  /// New steps, on the lead rank only (progress lines, log files).
  std::function<void(const StepRecord&)> progress;
};

/// What a checkpoint records besides the state: the configuration and what a restart must match.
struct CheckpointIdentity {
  std::string config;
  Fingerprint fingerprint;
};

class TrainingMonitor final : public StepObserver {
public:
  TrainingMonitor(const core::Ranks& ranks, Trainer& trainer, const MonitorOptions& options,
                  CheckpointIdentity identity, const TrainerStart& start);

  bool after_step(const StepRecord& record) override;

  /// After Trainer::run: the final checkpoint, unless a signal's checkpoint was just written.
  void finish(const TrainerResult& result);

  const History& history() const { return history_; }
  /// The signal that stopped the run (SIGTERM, SIGUSR1), or 0.
  int stop_signal() const { return stop_signal_; }

private:
  void write_checkpoint_now(std::int64_t iteration);

  core::Ranks ranks_;
  Trainer& trainer_;
  MonitorOptions options_;
  CheckpointIdentity identity_;
  std::int64_t start_iteration_;
  History history_;
  int stop_signal_ = 0;
};

}  // namespace qgen::train
