// The one HDF5 file of a study (written atomically by the lead rank, readable with h5py):
//
//   /                      attributes: study (name), study_file, study_text (the INI file),
//                          base, sweep_keys, runs, completed
//   /runs/<run name>/      a completed run: a copy (H5Ocopy) of its qgen train results file,
//                          /config, /history, /params, /target, /model, /samples, /metrics and
//                          its root attributes; every run, completed or not, has attributes
//                          status, message, seconds, exit_code, run_index, run_config (its
//                          options as INI text) and one per sweep key ("circuit.depth" = "3")
//   /table/{name, status, message}   strings, one entry per run in run order
//   /table/{run_index}               int64
//   /table/{loss, js, mae, seconds}  float64: final loss, model JS and marginal MAE D of the
//                                    results file's /metrics, wall-clock seconds; NaN where a run
//                                    has no results
//   /table/sweep/<key>               strings: each run's value of that sweep key
//   /table/{js_resampled_mean, js_resampled_std}   float64, with [evaluate]: the mean and standard
//                                    deviation of the JS of `repetitions` samples of `shots` shots
//                                    (paper 000, Fig. 7); NaN where a run has no evaluation
//   /runs/<run name>/evaluation/     with [evaluate]: the run's qgen eval output (<run>.eval.h5:
//                                    /resampled/js, /metrics, /histograms, /correlation, /ks)
//
// h5py: f = h5py.File("study.h5"); f["table/js"][:]; f["runs"][name]["history/loss"][:].
#pragma once

#include <string>
#include <vector>

#include "qgen/app/study_file.hpp"
#include "qgen/app/study_run_status.hpp"
#include "qgen/app/study_runs.hpp"

namespace qgen::app {

/// One run's line of the study's table.
struct StudyRow {
  const StudyRun* run = nullptr;
  RunStatus status;
  double loss, js, mae;  // NaN without a whole results file
  double js_resampled_mean, js_resampled_std;  // NaN without an evaluation
  bool evaluation_missing = false;  // [evaluate] asked for one and the completed run has none
};

/// Every run's current status (study_run_status.hpp) and final figures, in run order.
std::vector<StudyRow> study_rows(const std::vector<StudyRun>& runs, const StudyEvaluation& evaluate);

/// Writes study.output (atomically): see the layout above.
void write_study_output(const StudyFile& study, const std::vector<StudyRow>& rows);

/// The summary table: run, sweep point, status, loss, JS, D, time (and each failure's message).
std::string study_table(const std::vector<StudyRow>& rows);

}  // namespace qgen::app
