#include "qgen/train/stop_signals.hpp"

#include <mpi.h>

namespace qgen::train {
namespace {

volatile std::sig_atomic_t g_received = 0;

extern "C" void record_signal(int signal) { g_received = signal; }

}  // namespace

StopSignals::StopSignals() {
  struct sigaction action {};
  action.sa_handler = record_signal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;  // a signal must not abort MPI or file I/O in flight
  sigaction(SIGTERM, &action, &previous_term_);
  sigaction(SIGUSR1, &action, &previous_usr1_);
  sigaction(SIGINT, &action, &previous_int_);
}

StopSignals::~StopSignals() {
  sigaction(SIGTERM, &previous_term_, nullptr);
  sigaction(SIGUSR1, &previous_usr1_, nullptr);
  sigaction(SIGINT, &previous_int_, nullptr);
}

int StopSignals::received() const { return g_received; }

int StopSignals::agreed(const core::Ranks& ranks) const {
  int signal = received(), any = 0;
  MPI_Allreduce(&signal, &any, 1, MPI_INT, MPI_MAX, ranks.comm);
  return any;
}

void StopSignals::clear() { g_received = 0; }

}  // namespace qgen::train
