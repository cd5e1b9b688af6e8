// A study: many `qgen train` runs made from one base configuration, described by an INI file
// (docs/study.md):
//
//   [study]
//   name = layers-a1                          # letters, digits, . _ -
//   base = inputs/qcbm-2d-a1-zero.ini         # the train config every run starts from (optional)
//   output = study-layers-a1.h5               # default <name>.h5
//   [sweep]
//   circuit.depth = 1, 3, 6, 9                # any qgen train key; runs = cartesian product
//   train.seed = 1, 2
//   [set]
//   train.steps = 300                         # the same for every run
//   [evaluate]                                # optional: paper 000's Fig. 7 score of each run
//   repetitions = 1000                        # finite samples of the exact model (qgen eval
//   shots = 8192                              #   --repetitions), their JS against `data` (the
//   data = dijet.h5                           #   full data set; default: the run's target)
//   seed = 1
//
// Paths are read as on the command line: relative to the folder qgen runs in. Values of a sweep
// key are separated by commas, or by semicolons when a value itself holds commas
// (encoding.features = pT,mass; pT,mass,eta). Runs are numbered in the product's order, the
// last sweep key changing fastest; run k is named run-<k>_<key>-<value>_..., padded so that
// names sort in run order (e.g. run-03_depth-3_seed-2).
//
// Every key of [sweep] and [set] must be a qgen train key; the files of each run (results,
// checkpoint, log, restart) and dry-run belong to the study. An unknown section or key, a
// repeated key or value, and a base config that qgen train refuses are core::InputError naming
// the key and the study file, before anything runs. A value one run cannot use (train.shots =
// -1) makes that run invalid, not the study (study_runs.hpp).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace qgen::app {

// [evaluate]: after a run completes, its group runs qgen eval --repetitions on it (the ranks
// split the repetitions) into <run>.eval.h5; repetitions = 0 (the default) evaluates nothing.
struct StudyEvaluation {
  std::size_t repetitions = 0;
  std::uint64_t shots = 8192, seed = 1;
  std::string data;  // events to score against; "" = each run's own target
};

struct StudyFile {
  std::string path;  // the INI file
  std::string text;  // its contents, recorded in the study's output
  std::string name, base, output;
  std::vector<std::pair<std::string, std::vector<std::string>>> sweep;  // in file order
  std::vector<std::pair<std::string, std::string>> set;                // in file order
  StudyEvaluation evaluate;
};

/// Reads and checks the study INI file (InputError naming the key and `path`).
StudyFile read_study_file(const std::string& path);

/// The folder of the runs' own files: "<output>.runs".
std::string runs_folder(const StudyFile& study);

}  // namespace qgen::app
