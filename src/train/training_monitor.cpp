#include "qgen/train/training_monitor.hpp"

#include <cstdio>

#include "qgen/train/log_events.hpp"

namespace qgen::train {

TrainingMonitor::TrainingMonitor(const core::Ranks& ranks, Trainer& trainer,
                                 const MonitorOptions& options, CheckpointIdentity identity,
                                 const TrainerStart& start)
    : ranks_(ranks), trainer_(trainer), options_(options), identity_(std::move(identity)),
      start_iteration_(start.iteration), history_(start.history) {}

bool TrainingMonitor::after_step(const StepRecord& record) {
  // A restart re-evaluates the checkpoint's last iterate: the same step, already recorded.
  const bool repeat = history_.size() > 0 && history_.step.back() == record.step;
  if (repeat) {
    if (history_.loss.back() != record.loss && ranks_.lead())
      std::fprintf(stderr, "qgen: warning: the restarted loss %.17g differs from the checkpoint's %.17g\n",
                   record.loss, history_.loss.back());
  } else {
    history_.append(record);
    // A log file that cannot be written (a full disk) stops every rank, not the lead alone.
    if (options_.progress) core::on_lead(ranks_, [&] { options_.progress(record); });
  }

  const int agreed = options_.signals ? options_.signals->agreed(ranks_) : 0;
  if (agreed) {
    stop_signal_ = agreed;
    write_checkpoint_now(record.step);
    return true;
  }
  const bool last = record.step >= trainer_.steps();
  if (options_.checkpoint_every > 0 && record.step > start_iteration_ &&
      record.step % options_.checkpoint_every == 0 && !last)
    write_checkpoint_now(record.step);
  return false;
}

void TrainingMonitor::finish(const TrainerResult& result) {
  if (stop_signal_ == 0) write_checkpoint_now(result.iteration);
}

void TrainingMonitor::write_checkpoint_now(std::int64_t iteration) {
  if (options_.checkpoint_path.empty()) return;
  const LogEvent event(log_events().io);
  TrainerState state = trainer_.state();
  core::on_lead(ranks_, [&] {
    Checkpoint c;
    c.config = identity_.config;
    c.fingerprint = identity_.fingerprint;
    c.parameters = std::move(state.parameters);
    c.optimizer = state.optimizer;
    c.has_adam = state.has_adam;
    c.adam = std::move(state.adam);
    c.iteration = iteration;
    c.iterate_evaluation = state.iterate_evaluation;
    c.ranks = ranks_.size;
    c.history = history_;
    write_checkpoint(options_.checkpoint_path, c);
  });
}

}  // namespace qgen::train
