// PETSc errors as exceptions carrying PETSc's own message, in one line. (qgen installs PETSc's
// "return" error handler, so errors come back as codes instead of being printed as traces.)
//
// Every PETSc call in qgen is checked with one of these:
//   check_petsc          a failure is a core::PetscError (exit code 1): PETSc could not do
//                        what qgen asked (memory, MPI, a broken invariant)
//   check_petsc_options  a failure is a core::InputError (exit code 2): the call read the
//                        user's options (TaoSetFromOptions: -tao_type, -tao_adam_*, ...)
// Inside PETSc callbacks (which return codes) use PetscCall as PETSc's own code does.
#pragma once

#include <petscsys.h>

#include <string>

namespace qgen::train {

/// The message of the last PETSc error, e.g. "-tao_adam_learning_rate must be > 0".
std::string petsc_error_text(PetscErrorCode code);

/// Throws core::PetscError("<what>: <PETSc's message>") unless code is 0.
void check_petsc(PetscErrorCode code, const char* what);

/// Throws core::InputError("<what>: <PETSc's message>") unless code is 0.
void check_petsc_options(PetscErrorCode code, const char* what);

}  // namespace qgen::train
