// qgen's error kinds and the one place that turns them into exit codes (README, "Exit codes"):
//
//   InputError     an option, a combination of options or a value the user gave     exit 2
//   DataError      a data, checkpoint or results file that is missing, malformed or
//                  of another run; an output that cannot be written                 exit 2
//   PetscError     a PETSc call failed; the message is PETSc's own                  exit 1
//   InternalError  a broken invariant inside qgen (also any other std::exception)   exit 1
//
// Exit code 3 (training stopped by a signal after writing its checkpoint) is an outcome, not an
// error: the command returns it. Messages are one line that names what is wrong and where.
//
// InputError derives from std::invalid_argument (it is one); a plain std::invalid_argument from
// a lower layer is a programming error, not bad input, and maps to exit code 1.
#pragma once

#include <exception>
#include <stdexcept>
#include <string>

namespace qgen::core {

enum class ErrorKind { input, data, petsc, internal };

namespace exit_code {
inline constexpr int success = 0;
inline constexpr int failure = 1;    // PETSc and internal errors
inline constexpr int bad_input = 2;  // input and data errors
inline constexpr int stopped = 3;    // stopped by SIGTERM/SIGUSR1 after a checkpoint
}  // namespace exit_code

class InputError : public std::invalid_argument {
public:
  using std::invalid_argument::invalid_argument;
};

class DataError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

class PetscError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

class InternalError : public std::logic_error {
public:
  using std::logic_error::logic_error;
};

/// An error raised on another rank, which reports it itself (or through the lead rank): it
/// carries the kind, so that every rank exits with the same code, and is not printed again.
class RemoteError : public std::runtime_error {
public:
  RemoteError(ErrorKind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
  ErrorKind kind() const { return kind_; }

private:
  ErrorKind kind_;
};

ErrorKind error_kind(const std::exception& error);
int exit_code_of(ErrorKind kind);

/// Throws an exception of `kind` with `message` (rebuilding an error that crossed ranks).
[[noreturn]] void throw_error(ErrorKind kind, const std::string& message);

/// The kind and message of an exception_ptr (InternalError for non-std exceptions).
struct ErrorText {
  ErrorKind kind = ErrorKind::internal;
  std::string message;
};
ErrorText error_text(const std::exception_ptr& error);

}  // namespace qgen::core
