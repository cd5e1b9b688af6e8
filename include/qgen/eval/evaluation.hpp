// qgen eval's numbers: how well samples reproduce the data (paper 000, section IV.A).
//
//   js_samples      JS(P | sampled distribution), the samples binned with the run's binning (eq. 1)
//   mae_samples     marginal MAE D (eq. 2) of the same; mae_error = 1/sqrt(N samples), the
//                   statistical error the paper quotes beside D
//   js_model, mae_model   the same for the model's exact distribution (/model/probs): what an
//                   infinite sample would give (absent for samples of another generator)
//   samples_outside samples outside the binning's range: left out of the binned distribution
//                   (normalised over the samples inside), kept in the correlations and KS tests
//   histograms      per feature: the marginals of target, model and samples over the bins, and
//                   the ratio samples / target (NaN where the target bin is empty)
//   chain           Pearson matrices [N x N] of each step events -> bins -> model -> samples
//                   (eval/correlation_chain.hpp); "events" is the data events' when given, else
//                   the results file's, else absent
//   tests           per feature, two-sample Kolmogorov-Smirnov statistic and p-value
//                   (eval/kolmogorov_smirnov.hpp) of the samples against the reference: the
//                   data events when given, else the target distribution decoded as the run
//                   decodes (uniformly, or through the stored bin quantiles) inside each bin
//                   (a continuous distribution: N_e = n).
//   resampled       the JS of repeated finite samples of the model against a reference
//                   (eval/resampled_js.hpp; filled by the caller, collectively; empty: not run)
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "qgen/core/hdf5.hpp"
#include "qgen/data/table.hpp"
#include "qgen/eval/resampled_js.hpp"
#include "qgen/eval/results.hpp"

namespace qgen::eval {

struct FeatureTest {
  std::string feature;
  double statistic = 0;        // D, the largest distance of the cumulative distributions
  double effective_count = 0;  // N_e
  double p_value = 1;
};

struct FeatureHistogram {
  std::string feature;
  std::vector<double> edges;                  // 2^q + 1, in the feature's unit
  std::vector<double> target, model, samples; // bin probabilities; model empty without a model
  std::vector<double> ratio;                  // samples / target
};

struct CorrelationStep {
  std::string name;            // events, bins, bins_decoded, model, model_decoded, samples
  std::vector<double> matrix;  // [N * N] row-major
};

struct Evaluation {
  std::vector<std::string> features;
  std::size_t samples = 0, samples_outside = 0;
  std::size_t reference_events = 0;  // 0: the reference is the target distribution
  bool has_model = false;
  double js_samples = 0, mae_samples = 0, mae_error = 0;
  double js_model = 0, mae_model = 0;
  std::vector<FeatureHistogram> histograms;
  std::vector<CorrelationStep> chain;
  std::vector<FeatureTest> tests;
  ResampledJs resampled;
  std::string resampled_reference;  // what the resampled JS compares against, for people

  /// The chain step of that name; nullptr when absent.
  const CorrelationStep* step(const std::string& name) const;
};

/// Scores `run`; `reference` (the data events, columns the run's features) replaces the target
/// distribution in the Kolmogorov-Smirnov tests and gives the chain's "events" when it has rows.
Evaluation evaluate(const SampledRun& run, const data::Table& reference = {});

/// The numbers as tables for the terminal.
std::string format_evaluation(const Evaluation& evaluation);
/// The resampled JS's line of it ("" when not run).
std::string format_resampled(const Evaluation& evaluation);

/// Writes the numbers whole (core::hdf5::write_file) with `attributes` on the root.
void write_evaluation(const std::string& path, const Evaluation& evaluation,
                      const std::vector<core::hdf5::Attribute>& attributes);

}  // namespace qgen::eval
