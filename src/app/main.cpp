// qgen: quantum generative models for LHC events, on MPI.
//
//   qgen <command> [--config FILE] [--key value | key=value ...]
//   qgen --help | qgen <command> --help
//
// The one place where errors become exit codes (core/errors.hpp): a command throws, main prints
// one line and returns the kind's code. Errors agreed between ranks (core/parallel.hpp) are
// printed by the lead rank alone; the others carry a core::RemoteError and print nothing. An
// error that reaches main on another rank without having been agreed would leave the lead
// waiting in a collective: that rank prints it and aborts the whole job.
//
// The commands that stop on SIGTERM/SIGUSR1/SIGINT at a checkpoint (exit 3) keep recording those
// signals until the process ends: one that arrives after the results are written, while MPI shuts
// down, must not turn a finished run (exit 0) into one killed by the signal (exit 143).
#include <mpi.h>

#include <cstdio>
#include <cstring>
#include <exception>
#include <optional>
#include <string>

#include "qgen/app/command.hpp"
#include "qgen/core/errors.hpp"
#include "qgen/core/parallel.hpp"
#include "qgen/train/stop_signals.hpp"

namespace {

struct CommandEntry {
  const char* name;
  int (*run)(const qgen::core::Ranks&, const qgen::app::Words&);
  const char* summary;
  bool stops_on_signal = false;  // exits 3 at a checkpoint on SIGTERM/SIGUSR1/SIGINT
};

constexpr CommandEntry kCommands[] = {
    {"train", qgen::app::run_train_command,
     "train a quantum circuit Born machine on a data set's distribution (MPI, PETSc/TAO)", true},
    {"sample", qgen::app::run_sample_command,
     "draw decoded events from a trained model (a results file of qgen train)"},
    {"eval", qgen::app::run_eval_command,
     "score a trained model's samples against its data: JS, D, correlations, KS tests"},
    {"data", qgen::app::run_data_command,
     "read (HDF5, CSV, LHE, HepMC3) or generate events, compute observables, write HDF5"},
    {"circuit", qgen::app::run_circuit_command,
     "build a QCBM circuit, simulate it and summarise its distribution (or export OpenQASM)"},
    {"qinn", qgen::app::run_qinn_command, "quantum invertible network (paper 004): train, sample, density", true},
    {"lcd", qgen::app::run_lcd_command,
     "re-tune a trained QCBM on a noisy (emulated) device by layer-wise coordinate descent", true},
    {"study", qgen::app::run_study_command,
     "run a study (runs swept over train keys) in one allocation or a job array; one HDF5 file", true},
    {"serve-exchange", qgen::app::run_serve_exchange_command,
     "serve an exchange directory's hardware batches with the noisy emulator (docs/exchange.md)"},
    {"cost", qgen::app::run_cost_command,
     "predict seconds per training step and parallel efficiency on 1 to 4096 ranks (docs/cost-model.md)"},
};

void print_usage() {
  std::printf(
      "qgen: quantum circuit Born machines and quantum invertible networks for LHC events\n\n"
      "usage: qgen <command> [--config FILE] [--key value | key=value ...]\n\n"
      "commands:\n");
  for (const auto& c : kCommands) std::printf("  %-15s %s\n", c.name, c.summary);
  std::printf("\n'qgen <command> --help' lists a command's options with their defaults.\n"
              "Options come from the command line, then from the INI file given by --config.\n"
              "Exit codes: 0 success, 2 bad input (options or data), 3 training stopped by a\n"
              "signal after writing its checkpoint, 1 other failure.\n");
}

// Prints the error (where it belongs) and returns the exit code of its kind.
int report(const std::exception& error, const char* command, const qgen::core::Ranks& ranks) {
  using namespace qgen::core;
  const ErrorKind kind = error_kind(error);
  const int code = exit_code_of(kind);
  if (dynamic_cast<const RemoteError*>(&error)) return code;  // the lead reports it
  if (ranks.lead()) {
    std::fprintf(stderr, "qgen %s: error: %s\n", command, error.what());
    return code;
  }
  std::fprintf(stderr, "qgen %s: error (rank %d, not agreed with the others): %s\n", command,
               ranks.rank, error.what());
  std::fflush(stderr);
  MPI_Abort(ranks.comm, code);
  return code;
}

}  // namespace

int main(int argc, char** argv) {
  MPI_Init(&argc, &argv);
  const qgen::core::Ranks ranks = qgen::core::Ranks::of(MPI_COMM_WORLD);

  int code = qgen::core::exit_code::success;
  std::optional<qgen::train::StopSignals> stop_signals;  // lives past MPI_Finalize
  const std::string first = argc > 1 ? argv[1] : "";
  const CommandEntry* command = nullptr;
  for (const auto& c : kCommands)
    if (first == c.name) command = &c;

  if (first.empty() || first == "--help" || first == "-h" || first == "help") {
    if (ranks.lead()) print_usage();
  } else if (command == nullptr) {
    if (ranks.lead())
      std::fprintf(stderr, "qgen: error: unknown command '%s' (see qgen --help)\n", first.c_str());
    code = qgen::core::exit_code::bad_input;
  } else {
    if (command->stops_on_signal) stop_signals.emplace();
    try {
      code = command->run(ranks, qgen::app::Words(argv + 2, argv + argc));
    } catch (const std::exception& e) {
      code = report(e, command->name, ranks);
    }
  }
  MPI_Finalize();
  return code;
}
