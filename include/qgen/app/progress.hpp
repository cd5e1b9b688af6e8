// Progress lines of a training run, on the lead rank:
//   step     12/300  loss 1.234567e-01  |grad| 4.567e-02  0.105 s/step  left 0:30
// printed at most once per `interval` seconds (always the first and the last step), unless
// quiet, and written for every step to the log file when one is named (DataError when the
// file cannot be written: a log that stops silently on a full disk is a lost record).
#pragma once

#include <fstream>
#include <string>

#include "qgen/train/history.hpp"

namespace qgen::app {

class ProgressPrinter {
public:
  /// `first_step`: where the run starts (0, or a checkpoint's step); a log file of a restarted
  /// run is appended to.
  ProgressPrinter(int total_steps, std::int64_t first_step, bool quiet, const std::string& log_path,
                  double interval = 1.0);

  void operator()(const train::StepRecord& record);

private:
  int total_steps_;
  std::int64_t first_step_;
  bool quiet_;
  double interval_;
  double start_, last_print_ = -1e300;
  std::string log_path_;
  std::ofstream log_;
};

}  // namespace qgen::app
