#include "qgen/train/log_events.hpp"

#include <petscsys.h>

namespace qgen::train {

const LogEvents& log_events() {
  static const LogEvents events = [] {
    LogEvents e;
    PetscClassId id = 0;
    PetscClassIdRegister("qgen", &id);
    PetscLogEventRegister("qgenSimulate", id, &e.simulate);
    PetscLogEventRegister("qgenSample", id, &e.sample);
    PetscLogEventRegister("qgenReduce", id, &e.reduce);
    PetscLogEventRegister("qgenIO", id, &e.io);
    return e;
  }();
  return events;
}

}  // namespace qgen::train
