// The results file of a training run (DESIGN.md), written by the lead rank, openable in h5py:
//
//   /config                         the run's options as INI text
//   /history/{step, evaluations}    int64      per TAO iteration
//   /history/{loss, grad_norm, seconds} float64
//   /params                         float64 [P], the final parameters
//   /target/probs                   float64 [2^Q], the encoded data distribution P(x)
//   /target/bin_edges               float64 [N, 2^q + 1]; attribute features
//   /target/bin_quantiles           float64 [N, 2^q, K] per-bin quantiles of the training events
//                                   (encoding.decoding = quantiles; data/bin_quantiles.hpp);
//                                   absent: decoding is uniform inside each bin
//   /target/state_quantiles         float64 [2^Q, N, K] per basis state (state_quantiles)
//   /model/probs                    float64 [2^Q], the model's exact distribution at /params
//   /samples                        float64 [n, N] decoded events; attribute columns (when drawn)
//   /metrics/js, /metrics/mae       JS(P|model) and the marginal MAE D (eq. 2), exact model
//   /metrics/js_samples, mae_samples  the same for the samples' distribution (when drawn)
//   /metrics/correlation/{data, samples} [N, N] Pearson matrices; attribute columns
//   root attributes                 provenance (qgen command, ranks, data source, timings, ...)
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "qgen/data/binning.hpp"
#include "qgen/data/hdf5_table.hpp"
#include "qgen/data/table.hpp"
#include "qgen/train/history.hpp"

namespace qgen::eval {

struct Results {
  std::string config;
  train::History history;
  std::vector<double> parameters;
  std::vector<double> target;
  std::vector<double> model;
  data::Table samples;               // empty: none drawn
  std::vector<double> sample_distribution;
  std::vector<double> data_correlation;
  std::vector<core::hdf5::Attribute> attributes;
};

/// Writes atomically (temporary name, then rename); metrics are computed here from the fields.
/// `extra` adds the groups of another command (qgen lcd's /lcd) to the same file.
void write_results(const std::string& path, const Results& results, const data::Binning& binning,
                   const std::function<void(const core::hdf5::Location&)>& extra = {});

/// What another command needs from a results file to rebuild the trained model.
struct TrainedModel {
  std::string config;              // /config: the run's options as INI text
  std::vector<double> parameters;  // /params
  data::Binning binning;           // /target/bin_edges (and bin_quantiles) with its features and qubits per feature
};

/// DataError naming the file when it is not a qgen results file.
TrainedModel read_trained_model(const std::string& path);

/// What qgen eval scores: samples against the target, with the model beside them. From a results
/// file, or built by the caller for samples of another generator (model empty, the target the
/// data encoded with a binning made for them).
struct SampledRun {
  data::Binning binning;
  std::vector<double> target;            // /target/probs
  std::vector<double> model;             // /model/probs; empty: no model (another generator)
  data::Table samples;                   // /samples, its columns the binning's features
  std::vector<double> data_correlation;  // /metrics/correlation/data [N * N]; empty: unknown
};

/// Everything but the samples; DataError naming the file when it is not a qgen results file.
SampledRun read_target_run(const std::string& path);
/// With the samples; DataError also when it holds none or a sample is not finite.
SampledRun read_sampled_run(const std::string& path);

}  // namespace qgen::eval
