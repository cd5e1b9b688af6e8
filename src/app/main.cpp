// qgen: quantum generative models for LHC events, on MPI.
//
//   qgen <command> [--config FILE] [--key value | key=value ...]
//   qgen --help | qgen <command> --help
#include <mpi.h>

#include <cstdio>
#include <cstring>
#include <exception>
#include <string>

#include "qgen/app/command.hpp"
#include "qgen/app/options.hpp"
#include "qgen/data/data_error.hpp"

namespace {

struct CommandEntry {
  const char* name;
  int (*run)(const qgen::app::Context&, const qgen::app::Words&);
  const char* summary;
};

constexpr CommandEntry kCommands[] = {
    {"train", qgen::app::run_train_command,
     "train a quantum circuit Born machine on a data set's distribution (MPI, PETSc/TAO)"},
    {"sample", qgen::app::run_sample_command,
     "draw decoded events from a trained model (a results file of qgen train)"},
    {"data", qgen::app::run_data_command,
     "read (HDF5, CSV, LHE, HepMC3) or generate events, compute observables, write HDF5"},
    {"circuit", qgen::app::run_circuit_command,
     "build a QCBM circuit, simulate it and summarise its distribution (or export OpenQASM)"},
};

void print_usage() {
  std::printf(
      "qgen: quantum circuit Born machines and quantum invertible networks for LHC events\n\n"
      "usage: qgen <command> [--config FILE] [--key value | key=value ...]\n\n"
      "commands:\n");
  for (const auto& c : kCommands) std::printf("  %-10s %s\n", c.name, c.summary);
  std::printf("\n'qgen <command> --help' lists a command's options with their defaults.\n"
              "Options come from the command line, then from the INI file given by --config.\n"
              "Exit codes: 0 success, 2 bad input (options or data), 3 training stopped by a\n"
              "signal after writing its checkpoint, 1 other failure.\n");
}

}  // namespace

int main(int argc, char** argv) {
  MPI_Init(&argc, &argv);
  qgen::app::Context context;
  MPI_Comm_rank(context.comm, &context.rank);
  MPI_Comm_size(context.comm, &context.size);

  int code = 0;
  const std::string first = argc > 1 ? argv[1] : "";
  const CommandEntry* command = nullptr;
  for (const auto& c : kCommands)
    if (first == c.name) command = &c;

  if (first.empty() || first == "--help" || first == "-h" || first == "help") {
    if (context.lead()) print_usage();
  } else if (command == nullptr) {
    if (context.lead())
      std::fprintf(stderr, "qgen: error: unknown command '%s' (see qgen --help)\n", first.c_str());
    code = 2;
  } else {
    try {
      code = command->run(context, qgen::app::Words(argv + 2, argv + argc));
    } catch (const qgen::app::InputError& e) {
      if (context.lead()) std::fprintf(stderr, "qgen %s: error: %s\n", command->name, e.what());
      code = 2;
    } catch (const qgen::data::DataError& e) {
      // Bad input data (a file that is missing, malformed or empty after the selection).
      std::fprintf(stderr, "qgen %s: error: %s\n", command->name, e.what());
      code = 2;
    } catch (const std::exception& e) {
      std::fprintf(stderr, "qgen %s: error (rank %d): %s\n", command->name, context.rank, e.what());
      code = 1;
    }
  }
  MPI_Finalize();
  return code;
}
