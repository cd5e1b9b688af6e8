#include "qgen/app/run_files.hpp"

#include <cstdio>

#include "qgen/core/atomic_file.hpp"
#include "qgen/core/errors.hpp"

namespace qgen::app {

std::vector<std::string> check_run_files(const std::vector<RunFile>& inputs,
                                         const std::vector<RunFile>& outputs) {
  std::vector<std::string> notes;
  for (std::size_t k = 0; k < outputs.size(); ++k) {
    const RunFile& out = outputs[k];
    if (out.path.empty()) continue;
    for (const RunFile& in : inputs)
      if (!in.path.empty() && core::same_file(out.path, in.path))
        throw core::InputError(out.role + " '" + out.path + "' is the same file as " + in.role +
                               " '" + in.path + "': writing it would destroy an input");
    for (std::size_t j = 0; j < k; ++j)
      if (!outputs[j].path.empty() && core::same_file(out.path, outputs[j].path))
        throw core::InputError(out.role + " and " + outputs[j].role + " are the same file '" +
                               out.path + "': give each output its own name");
    for (const auto& stale : core::remove_stale_temporaries(out.path))
      notes.push_back("removed '" + stale.string() + "', left by a killed run");
    core::check_output(out.path, out.role);
  }
  return notes;
}

void print_cleaned(const std::vector<std::string>& notes) {
  for (const std::string& note : notes) std::printf("  cleaned        %s\n", note.c_str());
}

}  // namespace qgen::app
