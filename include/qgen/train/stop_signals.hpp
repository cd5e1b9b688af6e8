// SIGTERM, SIGUSR1 (what Slurm's --signal and scancel send before a job's end) and SIGINT
// (Ctrl-C) as a request to stop: the handler only records the signal; the run notices it at its
// next safe point (between training steps, after reading the data, before the final write),
// all ranks agree on it, and the run writes a checkpoint and exits cleanly with code 3.
//
// Install the handlers before any work: qgen's main installs them for the commands that stop
// this way (train, qinn, lcd, study) until the process ends, so a signal that arrives while the
// data are read, the results written or MPI shut down is recorded, never fatal. Instances nest:
// each restores the handlers it found.
#pragma once

#include <csignal>

#include "qgen/core/parallel.hpp"

namespace qgen::train {

class StopSignals {
public:
  /// Installs the handlers; the destructor restores the previous ones.
  StopSignals();
  ~StopSignals();
  StopSignals(const StopSignals&) = delete;
  StopSignals& operator=(const StopSignals&) = delete;

  /// The signal received (SIGTERM, SIGUSR1 or SIGINT), or 0.
  int received() const;
  /// The signal any rank received, or 0; the same on every rank. Collective.
  int agreed(const core::Ranks& ranks) const;
  /// Forget a received signal (tests).
  void clear();

private:
  struct sigaction previous_term_ {}, previous_usr1_ {}, previous_int_ {};
};

}  // namespace qgen::train
