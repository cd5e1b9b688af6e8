#include "qgen/train/stop_signals.hpp"

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
}

StopSignals::~StopSignals() {
  sigaction(SIGTERM, &previous_term_, nullptr);
  sigaction(SIGUSR1, &previous_usr1_, nullptr);
}

int StopSignals::received() const { return g_received; }
void StopSignals::clear() { g_received = 0; }

}  // namespace qgen::train
