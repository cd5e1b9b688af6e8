// SIGTERM and SIGUSR1 (what Slurm's --signal and scancel send before a job's end) as a request
// to stop: the handler only records the signal; the trainer notices it between steps, all ranks
// agree on it, and the run writes a checkpoint and exits cleanly.
#pragma once

#include <csignal>

namespace qgen::train {

class StopSignals {
public:
  /// Installs the handlers; the destructor restores the previous ones.
  StopSignals();
  ~StopSignals();
  StopSignals(const StopSignals&) = delete;
  StopSignals& operator=(const StopSignals&) = delete;

  /// The signal received (SIGTERM or SIGUSR1), or 0.
  int received() const;
  /// Forget a received signal (tests).
  void clear();

private:
  struct sigaction previous_term_ {}, previous_usr1_ {};
};

}  // namespace qgen::train
