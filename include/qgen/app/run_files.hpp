// The files a command reads and writes, checked on the lead rank before any work, so that a
// problem costs a second instead of a finished training:
//   - every output can be created (its folder exists and is writable, its name fits the file
//     system: core::check_output),
//   - no output is an input or another output of the same run (same inode or resolved path):
//     writing it would destroy what the run reads, or one result would overwrite another,
//   - temporaries that killed runs left beside an output are removed, and said so.
#pragma once

#include <string>
#include <vector>

namespace qgen::app {

struct RunFile {
  std::string role;  // the option that names it: "results", "data.input", ...
  std::string path;  // "" when not given
};

/// Returns one line per removed stale temporary (for the lead to print).
std::vector<std::string> check_run_files(const std::vector<RunFile>& inputs,
                                         const std::vector<RunFile>& outputs);

/// Prints check_run_files' lines ("  cleaned        removed '...', left by a killed run").
void print_cleaned(const std::vector<std::string>& notes);

}  // namespace qgen::app
