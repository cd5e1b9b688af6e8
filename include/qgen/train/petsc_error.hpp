// PETSc errors as exceptions with PETSc's own message, in one line. (qgen installs PETSc's
// "return" error handler, so errors come back as codes instead of being printed as traces.)
#pragma once

#include <petscsys.h>

#include <string>

namespace qgen::train {

/// The message of the last PETSc error, e.g. "-tao_adam_learning_rate must be > 0".
std::string petsc_error_text(PetscErrorCode code);

/// Throws std::invalid_argument("<what>: <PETSc's message>") unless code is 0: PETSc errors
/// here come from the options the user gave.
void check_petsc(PetscErrorCode code, const char* what);

}  // namespace qgen::train
