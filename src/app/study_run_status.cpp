#include "qgen/app/study_run_status.hpp"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>

#include "qgen/core/atomic_file.hpp"
#include "qgen/core/errors.hpp"
#include "qgen/core/hdf5.hpp"

namespace qgen::app {

using json = nlohmann::json;

void write_run_status(const StudyRun& run, const RunStatus& s) {
  const json record = {{"run", run.name},         {"state", core::name_of(s.state)},
                       {"message", s.message},    {"seconds", s.seconds},
                       {"exit_code", s.exit_code}, {"config", s.config}};
  core::write_text_atomically(run.status, record.dump(2) + "\n");
}

RunStatus read_run_status(const StudyRun& run) {
  RunStatus s;
  std::ifstream in(run.status);
  if (!in) return s;
  try {
    const json record = json::parse(in);
    s.state = core::parse_enum<RunState>(record.at("state").get<std::string>(), "state");
    s.message = record.at("message").get<std::string>();
    s.seconds = record.at("seconds").get<double>();
    s.exit_code = record.at("exit_code").get<int>();
    s.config = record.at("config").get<std::string>();
  } catch (const std::exception& e) {
    return run_status(RunState::missing, "its status file '" + run.status + "' cannot be read: " + e.what());
  }
  return s;
}

bool complete_results(const std::string& path) {
  if (!std::filesystem::is_regular_file(path)) return false;
  try {
    const core::hdf5::Location file = core::hdf5::open_file(path);
    if (!file.has("config") || !file.has("params") || !file.has("history") || !file.has("metrics"))
      return false;
    return file.group("history").has("loss") && file.group("metrics").has("js") &&
           file.group("metrics").has("mae");
  } catch (const std::exception&) {
    return false;
  }
}

RunStatus current_status(const StudyRun& run) {
  if (!run.invalid.empty()) return run_status(RunState::invalid, run.invalid);
  RunStatus s = read_run_status(run);
  if (s.state == RunState::missing) return s;
  if (s.config != run.config)
    return run_status(RunState::stale, "recorded for another configuration of this run (the study changed)");
  if (s.state == RunState::completed && !complete_results(run.results))
    return run_status(RunState::missing, "its results file '" + run.results + "' is missing or not whole");
  return s;
}

}  // namespace qgen::app
