#include "qgen/core/errors.hpp"

namespace qgen::core {

ErrorKind error_kind(const std::exception& error) {
  if (const auto* remote = dynamic_cast<const RemoteError*>(&error)) return remote->kind();
  if (dynamic_cast<const InputError*>(&error)) return ErrorKind::input;
  if (dynamic_cast<const DataError*>(&error)) return ErrorKind::data;
  if (dynamic_cast<const PetscError*>(&error)) return ErrorKind::petsc;
  return ErrorKind::internal;
}

int exit_code_of(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::input:
    case ErrorKind::data:
      return exit_code::bad_input;
    case ErrorKind::petsc:
    case ErrorKind::internal:
      break;
  }
  return exit_code::failure;
}

void throw_error(ErrorKind kind, const std::string& message) {
  switch (kind) {
    case ErrorKind::input:
      throw InputError(message);
    case ErrorKind::data:
      throw DataError(message);
    case ErrorKind::petsc:
      throw PetscError(message);
    case ErrorKind::internal:
      break;
  }
  throw InternalError(message);
}

ErrorText error_text(const std::exception_ptr& error) {
  try {
    std::rethrow_exception(error);
  } catch (const std::exception& e) {
    return {error_kind(e), e.what()};
  } catch (...) {
    return {ErrorKind::internal, "unknown exception"};
  }
}

}  // namespace qgen::core
