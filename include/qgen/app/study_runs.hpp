// The runs of a study (study_file.hpp): the cartesian product of its [sweep] values, each a
// `qgen train` word list (the base config, the [set] and swept values, the run's own files),
// checked up front the way qgen train checks its options.
//
// A run's files live in the study's runs folder (<output>.runs/): <name>.h5 (the results of
// qgen train), <name>.checkpoint.h5, <name>.log (every step's progress) and <name>.status.json
// (study_run_status.hpp). Runs are quiet (progress only in the log) unless [set] or [sweep]
// give `quiet`.
#pragma once

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "qgen/app/command.hpp"
#include "qgen/app/study_file.hpp"

namespace qgen::app {

struct StudyRun {
  std::size_t index = 0;
  std::string name;                                         // run-03_depth-3_seed-2
  std::vector<std::pair<std::string, std::string>> swept;  // key, value: this run's sweep point
  Words words;         // qgen train's words for this run (a restart adds --restart)
  std::string config;  // its options as INI text, as qgen train records them before reading data
  std::string invalid;  // why qgen train refuses this run's values; "" when it takes them
  std::string results, checkpoint, log, status;  // its files
  std::string evaluation;  // <name>.eval.h5: qgen eval --repetitions of it ([evaluate])
};

/// Every run, in order. InputError naming the study file when its base config is not a qgen
/// train config (an unknown key, a value of the wrong type); a run whose values qgen train
/// refuses comes back with `invalid` set (it is recorded as such, the others run).
std::vector<StudyRun> study_runs(const StudyFile& study);

/// "circuit.depth=3 train.seed=2": a run's sweep point for tables and messages.
std::string swept_text(const StudyRun& run);

}  // namespace qgen::app
