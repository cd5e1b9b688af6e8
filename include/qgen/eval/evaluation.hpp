// qgen eval's numbers: how well a trained model's samples reproduce the data (paper 000, IV.A).
//
//   js_samples      JS(P | sampled distribution), the samples binned with the run's binning (eq. 1)
//   mae_samples     marginal MAE D (eq. 2) of the same; mae_error = 1/sqrt(N samples), the
//                   statistical error the paper quotes beside D
//   js_model, mae_model   the same for the model's exact distribution (/model/probs): what an
//                   infinite sample would give
//   correlation     Pearson matrices [N x N] of the data (the results file's, or the --data
//                   events') and of the samples
//   ks              per feature, two-sample Kolmogorov-Smirnov statistic and p-value
//                   (eval/kolmogorov_smirnov.hpp) of the samples against the reference: the
//                   data events when given, else the target distribution decoded uniformly
//                   inside each bin (a continuous distribution: N_e = n).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "qgen/core/hdf5.hpp"
#include "qgen/data/table.hpp"
#include "qgen/eval/results.hpp"

namespace qgen::eval {

struct FeatureTest {
  std::string feature;
  double statistic = 0;        // D, the largest distance of the cumulative distributions
  double effective_count = 0;  // N_e
  double p_value = 1;
};

struct Evaluation {
  std::vector<std::string> features;
  std::size_t samples = 0;
  std::size_t reference_events = 0;  // 0: the reference is the target distribution
  double js_samples = 0, mae_samples = 0, mae_error = 0;
  double js_model = 0, mae_model = 0;
  std::vector<double> correlation_data, correlation_samples;  // [N * N] row-major
  std::vector<FeatureTest> tests;
};

/// Scores `run`; `reference` (the data events, columns the run's features) replaces the target
/// distribution in the Kolmogorov-Smirnov tests and the data correlation when it has rows.
Evaluation evaluate(const SampledRun& run, const data::Table& reference = {});

/// The numbers as a table for the terminal (one line per number, features as rows).
std::string format_evaluation(const Evaluation& evaluation);

/// Writes the numbers whole (core::hdf5::write_file) with `attributes` on the root.
void write_evaluation(const std::string& path, const Evaluation& evaluation,
                      const std::vector<core::hdf5::Attribute>& attributes);

}  // namespace qgen::eval
