#include "qgen/app/progress.hpp"

#include <mpi.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "qgen/core/errors.hpp"
#include "qgen/core/text.hpp"

namespace qgen::app {

ProgressPrinter::ProgressPrinter(int total_steps, std::int64_t first_step, bool quiet,
                                 const std::string& log_path, double interval)
    : total_steps_(total_steps), first_step_(first_step), quiet_(quiet), interval_(interval),
      start_(MPI_Wtime()), log_path_(log_path) {
  if (!log_path.empty()) {
    log_.open(log_path, first_step > 0 ? std::ios::app : std::ios::trunc);
    if (!log_) throw core::DataError("cannot open the log file '" + log_path + "'");
  }
}

void ProgressPrinter::operator()(const train::StepRecord& r) {
  const double now = MPI_Wtime();
  const std::int64_t done = r.step - first_step_;
  const double per_step = done > 0 ? (now - start_) / static_cast<double>(done) : r.seconds;
  char line[256];
  std::snprintf(line, sizeof line, "step %6lld/%d  loss %.6e  |grad| %.3e  %.3f s/step  left %s\n",
                static_cast<long long>(r.step), total_steps_, r.loss, r.grad_norm, r.seconds,
                core::duration_text(per_step * static_cast<double>(total_steps_ - r.step)).c_str());
  if (log_.is_open()) {
    log_ << line << std::flush;
    if (!log_) throw core::DataError("cannot write the log file '" + log_path_ + "' (" +
                                     std::strerror(errno) + "; a full disk?)");
  }
  const bool force = r.step == first_step_ || r.step >= total_steps_;
  if (!quiet_ && (force || now - last_print_ >= interval_)) {
    std::fputs(line, stdout);
    std::fflush(stdout);
    last_print_ = now;
  }
}

}  // namespace qgen::app
