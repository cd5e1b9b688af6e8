// The results file of a QINN training (HDF5, written by the lead rank through core::AtomicFile;
// opens in h5py):
//
//   /                    attributes qgen_qinn_results = 1, format_version, ranks, stopped
//                        (completed | signal), best_epoch, the data's provenance
//   /config              the run's options as INI text
//   /history             qinn/history.hpp: per epoch train and validation losses, rate, ...
//   /model               attributes features, layers, isp_layers, network_layers,
//                        network_hidden, chunk, fusion; parameters (the best epoch's: what
//                        samples, metrics and `qgen qinn sample/density` use),
//                        final_parameters; scaling/{low, high} with attribute columns
//   /samples             generated events [N, 7]: the five features and the derived M_ll,
//                        delta_R_ll; attribute columns
//   /test/events         the test split [N, 7], same columns; /test/reconstructed [N, 5]:
//                        g(f(x)) in physical units; /test/log_density [N]
//   /metrics             test_loss/{input_mmd, latent_mmd, mass_mmd, invertibility, total}
//                        (mean over test batches); invertibility_deviation = mean over test
//                        events and features of |(x^ - x) / x| (paper 004: < 2.1 %; events with
//                        x = 0 left out), invertibility_deviation_median, per feature
//                        invertibility_deviation_per_feature [5]; invertibility_deviation_scaled
//                        = mean |s^ - s| / pi (scaled units, no division by small x);
//                        test_log_density_mean; test_clamped (test events outside the training
//                        range, clamped)
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "qgen/core/hdf5.hpp"
#include "qgen/data/table.hpp"
#include "qgen/qinn/history.hpp"
#include "qgen/qinn/model.hpp"

namespace qgen::qinn {

inline constexpr std::int64_t kQinnResultsFormat = 1;

struct QinnMetrics {
  LossParts test_loss;
  double invertibility_deviation = 0, invertibility_deviation_median = 0;
  std::vector<double> invertibility_deviation_per_feature;
  double invertibility_deviation_scaled = 0;
  double test_log_density_mean = 0;
  std::int64_t test_clamped = 0;
};

struct QinnResults {
  std::string config;
  EpochHistory history;
  ModelOptions model;
  FeatureScaling scaling;
  std::vector<double> parameters, final_parameters;
  std::int64_t best_epoch = 0;
  data::Table samples, test;  // the five features and M_ll, delta_R_ll
  std::vector<double> reconstructed, test_log_density;
  QinnMetrics metrics;
  std::vector<core::hdf5::Attribute> attributes;
};

void write_qinn_results(const std::string& path, const QinnResults& results);

/// What qgen qinn sample and density need.
struct TrainedQinn {
  std::string config;
  ModelOptions model;
  FeatureScaling scaling;
  std::vector<double> parameters;
};

/// DataError naming the file when it is not a QINN results file or its model is inconsistent.
TrainedQinn read_trained_qinn(const std::string& path);

/// The zll table of physical events (N x 5): the five features and M_ll, delta_R_ll.
data::Table zll_table(const std::vector<double>& events);

/// The invertibility deviations of x^ against x (physical, N x n) and of the scaled values.
void invertibility_metrics(const std::vector<double>& x, const std::vector<double>& x_hat,
                           const std::vector<double>& s, const std::vector<double>& s_hat, int n,
                           QinnMetrics& metrics);

}  // namespace qgen::qinn
