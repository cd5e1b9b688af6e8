// PETSc log events for qgen's phases, so that -log_view times simulation, shot sampling,
// collective reductions and file I/O alongside TAO's own events.
#pragma once

#include <petsclog.h>

namespace qgen::train {

struct LogEvents {
  PetscLogEvent simulate = 0, sample = 0, reduce = 0, io = 0;
};

/// The events, registered with PETSc on first use (after PetscInitialize).
const LogEvents& log_events();

/// Begins an event for the lifetime of the object.
class LogEvent {
public:
  explicit LogEvent(PetscLogEvent event) : event_(event) { PetscLogEventBegin(event_, 0, 0, 0, 0); }
  ~LogEvent() { PetscLogEventEnd(event_, 0, 0, 0, 0); }
  LogEvent(const LogEvent&) = delete;
  LogEvent& operator=(const LogEvent&) = delete;

private:
  PetscLogEvent event_;
};

/// Ends a running event for the lifetime of the object and begins it again after it, so that a
/// phase nested inside (shots drawn between simulations) is timed apart.
class LogEventPause {
public:
  explicit LogEventPause(PetscLogEvent event) : event_(event) { PetscLogEventEnd(event_, 0, 0, 0, 0); }
  ~LogEventPause() { PetscLogEventBegin(event_, 0, 0, 0, 0); }
  LogEventPause(const LogEventPause&) = delete;
  LogEventPause& operator=(const LogEventPause&) = delete;

private:
  PetscLogEvent event_;
};

}  // namespace qgen::train
