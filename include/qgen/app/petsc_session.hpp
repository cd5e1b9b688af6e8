// PETSc for the lifetime of a command: initialised with the PETSc options of the command line
// (words like -tao_type lmvm, -tao_monitor, -log_view) and of the input file, finalised at the
// end (which is when -log_view prints). MPI is already initialised by main and stays so.
//
// Nested sessions: when PETSc is already initialised (qgen study runs many trainings in one
// process, and PETSc cannot be initialised again after PetscFinalize), a session pushes a fresh
// options database with its options (PetscOptionsPush) and pops it at its end, so one run's
// -tao_* options never reach the next; PETSc itself stays up until the outer session ends.
#pragma once

#include <string>
#include <vector>

namespace qgen::app {

/// Splits a command's words into qgen's and PETSc's. A PETSc option is a word with a single
/// leading dash and a name ("-tao_type"), plus the next word as its value unless that is
/// another option or a key=value word (a negative number is a value).
void split_petsc_options(const std::vector<std::string>& words, std::vector<std::string>& qgen,
                         std::vector<std::string>& petsc);

class PetscSession {
public:
  /// `options`: PETSc words, then `extra` (whitespace-separated, as in an input file).
  PetscSession(const std::vector<std::string>& options, const std::string& extra);
  ~PetscSession();
  PetscSession(const PetscSession&) = delete;
  PetscSession& operator=(const PetscSession&) = delete;

  /// The PETSc options given but not read by any PETSc object so far (misspelt or meant for a
  /// solver that is not in use), apart from those PETSc reads when it finalises (-log_view, ...).
  std::vector<std::string> unused_options() const;

private:
  bool nested_ = false;
  void* options_ = nullptr;  // PetscOptions of a nested session
};

}  // namespace qgen::app
