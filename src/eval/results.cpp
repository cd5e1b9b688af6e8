#include "qgen/eval/results.hpp"

#include <cmath>

#include "qgen/core/errors.hpp"
#include "qgen/core/hdf5.hpp"
#include "qgen/eval/metrics.hpp"
#include "qgen/train/loss.hpp"

namespace qgen::eval {

void write_results(const std::string& path, const Results& r, const data::Binning& binning,
                   const std::function<void(const core::hdf5::Location&)>& extra) {
  core::hdf5::write_file(path, [&](const core::hdf5::Location& file) {
    file.set_attributes(r.attributes);
    file.write("config", r.config);

    train::write_history(file, "history", r.history);

    file.write("params", std::span<const double>(r.parameters), {r.parameters.size()});

    const auto target = file.create_group("target");
    target.write("probs", std::span<const double>(r.target), {r.target.size()});
    const std::vector<double> edges = binning.flat_edges();
    target.write("bin_edges", std::span<const double>(edges),
                 {static_cast<hsize_t>(binning.num_features()), binning.bins_per_feature() + 1});
    target.object("bin_edges").set_attribute("features", binning.features());
    target.set_attribute("qubits_per_feature", static_cast<std::int64_t>(binning.qubits_per_feature()));
    if (binning.quantiles_per_bin() > 0) {
      const std::vector<double>& quantiles = binning.flat_quantiles();
      target.write("bin_quantiles", std::span<const double>(quantiles),
                   {static_cast<hsize_t>(binning.num_features()), binning.bins_per_feature(),
                    static_cast<hsize_t>(binning.quantiles_per_bin())});
      target.object("bin_quantiles").set_attribute("features", binning.features());
    }
    if (binning.has_state_quantiles()) {
      const std::vector<double>& quantiles = binning.flat_state_quantiles();
      target.write("state_quantiles", std::span<const double>(quantiles),
                   {binning.num_states(), static_cast<hsize_t>(binning.num_features()),
                    static_cast<hsize_t>(binning.quantiles_per_bin())});
      target.object("state_quantiles").set_attribute("features", binning.features());
    }

    const auto model = file.create_group("model");
    model.write("probs", std::span<const double>(r.model), {r.model.size()});

    const auto metrics = file.create_group("metrics");
    metrics.write("js", train::jensen_shannon(r.target, r.model));
    metrics.write("mae", marginal_mae(r.target, r.model, binning));
    const auto correlation = metrics.create_group("correlation");
    const hsize_t nf = static_cast<hsize_t>(binning.num_features());
    correlation.write("data", std::span<const double>(r.data_correlation), {nf, nf});
    correlation.set_attribute("columns", binning.features());
    if (r.samples.rows() > 0) {
      file.write("samples", std::span<const double>(r.samples.values()), {r.samples.rows(), nf});
      file.object("samples").set_attribute("columns", r.samples.columns());
      metrics.write("js_samples", train::jensen_shannon(r.target, r.sample_distribution));
      metrics.write("mae_samples", marginal_mae(r.target, r.sample_distribution, binning));
      const auto c = data::correlation_matrix(r.samples);
      correlation.write("samples", std::span<const double>(c), {nf, nf});
    }
    if (extra) extra(file);
  });
}

TrainedModel read_trained_model(const std::string& path) {
  const auto file = core::hdf5::open_file(path);
  if (!file.has("params") || !file.has("target") || !file.has("config"))
    throw core::DataError("'" + path + "' is not a qgen results file (no /params, /target, /config)");
  const auto target = file.group("target");
  const int q = static_cast<int>(target.int64_attribute("qubits_per_feature"));
  const auto features = target.object("bin_edges").strings_attribute("features");
  data::Binning binning = data::Binning::from_flat_edges(features, q, target.read_doubles("bin_edges"));
  // Quantile decoding when the run stored quantiles; a file without them decodes uniformly.
  if (target.has("bin_quantiles")) {
    const auto dims = target.dims("bin_quantiles");
    if (dims.size() != 3 || dims[0] != features.size() || dims[1] != binning.bins_per_feature())
      throw core::DataError("'" + path + "': /target/bin_quantiles is not [features, bins, quantiles] of "
                            "/target/bin_edges");
    std::vector<double> per_state;
    if (target.has("state_quantiles")) {
      const auto state_dims = target.dims("state_quantiles");
      if (state_dims != std::vector<hsize_t>{binning.num_states(), features.size(), dims[2]})
        throw core::DataError("'" + path + "': /target/state_quantiles is not [states, features, quantiles] of "
                              "/target/bin_edges and /target/bin_quantiles");
      per_state = target.read_doubles("state_quantiles");
    }
    try {
      binning.set_quantiles(static_cast<int>(dims[2]), target.read_doubles("bin_quantiles"), std::move(per_state));
    } catch (const core::DataError& e) {
      throw core::DataError("'" + path + "': " + e.what());
    }
  } else if (target.has("state_quantiles")) {
    throw core::DataError("'" + path + "': /target/state_quantiles without /target/bin_quantiles");
  }
  return {file.read_string("config"), file.read_doubles("params"), std::move(binning)};
}

SampledRun read_target_run(const std::string& path) {
  TrainedModel trained = read_trained_model(path);
  const auto file = core::hdf5::open_file(path);
  if (!file.has("model") || !file.has("metrics"))
    throw core::DataError("'" + path + "' is not a qgen results file (no /model, /metrics)");
  const std::size_t states = trained.binning.num_states(), nf = static_cast<std::size_t>(trained.binning.num_features());
  SampledRun run{std::move(trained.binning), file.group("target").read_doubles("probs"),
                 file.group("model").read_doubles("probs"), data::Table{},
                 file.group("metrics").group("correlation").read_doubles("data")};
  if (run.target.size() != states || run.model.size() != states || run.data_correlation.size() != nf * nf)
    throw core::DataError("'" + path + "': /target/probs, /model/probs and /metrics/correlation/data "
                          "disagree with /target/bin_edges in size");
  return run;
}

SampledRun read_sampled_run(const std::string& path) {
  SampledRun run = read_target_run(path);
  const auto file = core::hdf5::open_file(path);
  if (!file.has("samples"))
    throw core::DataError("'" + path + "' holds no /samples: train with samples > 0, or score other "
                          "samples with --samples");
  const std::vector<std::string>& features = run.binning.features();
  const auto dims = file.dims("samples");
  if (dims.size() != 2 || dims[1] != features.size() || file.object("samples").strings_attribute("columns") != features)
    throw core::DataError("'" + path + "': /samples disagrees with /target/bin_edges in its columns");
  std::vector<double> values = file.read_doubles("samples");
  for (std::size_t k = 0; k < values.size(); ++k)
    if (!std::isfinite(values[k]))
      throw core::DataError("'" + path + "': /samples row " + std::to_string(k / features.size()) + ", column '" +
                            features[k % features.size()] + "' is not finite");
  run.samples = data::Table(features);
  run.samples.assign(std::move(values));
  return run;
}

}  // namespace qgen::eval
