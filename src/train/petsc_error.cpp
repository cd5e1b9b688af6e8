#include "qgen/train/petsc_error.hpp"

#include "qgen/core/errors.hpp"

namespace qgen::train {

std::string petsc_error_text(PetscErrorCode code) {
  const char* text = nullptr;
  char* specific = nullptr;
  PetscErrorMessage(code, &text, &specific);
  std::string out = specific && *specific ? specific : (text ? text : "unknown PETSc error");
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  return out;
}

void check_petsc(PetscErrorCode code, const char* what) {
  if (code != 0) throw core::PetscError(std::string(what) + ": " + petsc_error_text(code));
}

void check_petsc_options(PetscErrorCode code, const char* what) {
  if (code != 0) throw core::InputError(std::string(what) + ": " + petsc_error_text(code));
}

}  // namespace qgen::train
