// Where a run of a study stands, kept beside its results as <name>.status.json (written
// atomically by the run's lead rank when the run starts and when it ends), so that a restarted
// study, a job array's tasks and `qgen study --collect` all see the same record:
//
//   {"run": "run-03_depth-3_seed-2", "state": "completed", "message": "", "seconds": 12.5,
//    "exit_code": 0, "config": "<the run's options as INI text>"}
//
// States: running (started; a run still "running" when the study ends was killed), completed,
// failed (qgen train stopped with an error: message, exit code), invalid (qgen train refuses the
// run's values; never started), stopped (by a signal, with a checkpoint to continue from).
// For the study's view two more: missing (no record, or its results file is incomplete) and
// stale (recorded for another configuration of the run: the study file changed since).
#pragma once

#include <array>
#include <string>
#include <utility>

#include "qgen/app/study_runs.hpp"
#include "qgen/core/enum_names.hpp"

namespace qgen::app {

enum class RunState { missing, running, completed, failed, invalid, stopped, stale };
constexpr auto enum_names(RunState) {
  using enum RunState;
  return std::array{core::EnumName{missing, "missing"},     core::EnumName{running, "running"},
                    core::EnumName{completed, "completed"}, core::EnumName{failed, "failed"},
                    core::EnumName{invalid, "invalid"},     core::EnumName{stopped, "stopped"},
                    core::EnumName{stale, "stale"}};
}

struct RunStatus {
  RunState state = RunState::missing;
  std::string message;
  double seconds = 0;  // wall-clock time of the run (0 when it never ran)
  int exit_code = 0;   // qgen train's
  std::string config;  // the run's options as INI text
};

/// A status with only a state and a message.
inline RunStatus run_status(RunState state, std::string message = "") {
  RunStatus s;
  s.state = state;
  s.message = std::move(message);
  return s;
}

/// Writes `status` for `run` (atomically; DataError when it cannot).
void write_run_status(const StudyRun& run, const RunStatus& status);

/// The record as written; state missing when there is none or it cannot be read.
RunStatus read_run_status(const StudyRun& run);

/// True when `path` is a whole results file of qgen train: it opens as HDF5 and holds /config,
/// /params, /history/loss and /metrics/{js,mae}.
bool complete_results(const std::string& path);

/// The run as the study sees it now: invalid when qgen train refuses its values; stale when its
/// record is for another configuration; missing when there is no record or a completed run's
/// results are not whole; otherwise the record.
RunStatus current_status(const StudyRun& run);

}  // namespace qgen::app
