// Sub-commands of the qgen executable. Each takes the words after its name and returns the
// process exit code; input errors are thrown as InputError (exit code 2).
#pragma once

#include <mpi.h>

#include <string>
#include <vector>

namespace qgen::app {

struct Context {
  MPI_Comm comm = MPI_COMM_WORLD;
  int rank = 0;
  int size = 1;
  bool lead() const { return rank == 0; }
};

using Words = std::vector<std::string>;

int run_circuit_command(const Context& context, const Words& words);
int run_data_command(const Context& context, const Words& words);
int run_train_command(const Context& context, const Words& words);
int run_sample_command(const Context& context, const Words& words);

}  // namespace qgen::app
