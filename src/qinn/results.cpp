#include "qgen/qinn/results.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "qgen/core/errors.hpp"
#include "qgen/core/hdf5.hpp"
#include "qgen/data/observables.hpp"
#include "qgen/qinn/dilepton.hpp"

namespace qgen::qinn {
namespace {

void write_table(const core::hdf5::Location& at, const std::string& name, const data::Table& t) {
  at.write(name, std::span<const double>(t.values()), {t.rows(), t.num_columns()});
  at.object(name).set_attribute("columns", t.columns());
}

double median(std::vector<double> v) {
  if (v.empty()) return 0.0;
  std::nth_element(v.begin(), v.begin() + v.size() / 2, v.end());
  return v[v.size() / 2];
}

}  // namespace

data::Table zll_table(const std::vector<double>& events) {
  std::vector<std::string> columns = zll_features();
  columns.push_back("M_ll");
  columns.push_back("delta_R_ll");
  data::Table t(columns);
  t.reserve(events.size() / 5);
  for (std::size_t i = 0; i + 5 <= events.size(); i += 5) {
    const double* x = &events[i];
    const double row[7] = {x[0], x[1], x[2], x[3], x[4],
                           data::dilepton_mass(x[0], x[1], x[2], x[3], x[4]),
                           std::hypot(x[3] - x[4], x[2])};
    t.append(row);
  }
  return t;
}

void invertibility_metrics(const std::vector<double>& x, const std::vector<double>& x_hat,
                           const std::vector<double>& s, const std::vector<double>& s_hat, int n,
                           QinnMetrics& m) {
  std::vector<double> all;
  std::vector<std::vector<double>> per(n);
  double scaled = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    scaled += std::abs(s_hat[i] - s[i]) / std::numbers::pi;
    if (x[i] == 0.0) continue;
    const double d = std::abs((x_hat[i] - x[i]) / x[i]);
    all.push_back(d);
    per[i % n].push_back(d);
  }
  double sum = 0;
  for (double d : all) sum += d;
  m.invertibility_deviation = all.empty() ? 0.0 : sum / static_cast<double>(all.size());
  m.invertibility_deviation_median = median(all);
  m.invertibility_deviation_per_feature.assign(n, 0.0);
  for (int q = 0; q < n; ++q) {
    double f = 0;
    for (double d : per[q]) f += d;
    m.invertibility_deviation_per_feature[q] = per[q].empty() ? 0.0 : f / static_cast<double>(per[q].size());
  }
  m.invertibility_deviation_scaled = x.empty() ? 0.0 : scaled / static_cast<double>(x.size());
}

void write_qinn_results(const std::string& path, const QinnResults& r) {
  core::hdf5::write_file(path, [&](const core::hdf5::Location& file) {
    file.set_attribute("qgen_qinn_results", std::int64_t{1});
    file.set_attribute("format_version", kQinnResultsFormat);
    file.set_attribute("best_epoch", r.best_epoch);
    file.set_attributes(r.attributes);
    file.write("config", r.config);
    write_epoch_history(file, "history", r.history);

    const auto model = file.create_group("model");
    const QinnShape& s = r.model.shape;
    model.set_attribute("features", std::int64_t{s.features});
    model.set_attribute("layers", std::int64_t{s.layers});
    model.set_attribute("isp_layers", std::int64_t{s.isp_layers});
    model.set_attribute("network_layers", std::int64_t{s.network_layers});
    model.set_attribute("network_hidden", std::int64_t{s.network_hidden});
    model.set_attribute("chunk", std::int64_t{r.model.chunk});
    model.set_attribute("fusion", core::name_of(r.model.fusion));
    model.write("parameters", std::span<const double>(r.parameters), {r.parameters.size()});
    model.write("final_parameters", std::span<const double>(r.final_parameters), {r.final_parameters.size()});
    const auto scaling = model.create_group("scaling");
    scaling.write("low", std::span<const double>(r.scaling.low), {r.scaling.low.size()});
    scaling.write("high", std::span<const double>(r.scaling.high), {r.scaling.high.size()});
    scaling.set_attribute("columns", r.scaling.columns);

    if (r.samples.rows() > 0) write_table(file, "samples", r.samples);
    if (r.test.rows() > 0) {
      const auto test = file.create_group("test");
      write_table(test, "events", r.test);
      test.write("reconstructed", std::span<const double>(r.reconstructed),
                 {r.test.rows(), static_cast<hsize_t>(s.features)});
      test.write("log_density", std::span<const double>(r.test_log_density), {r.test_log_density.size()});
    }
    const auto metrics = file.create_group("metrics");
    write_loss_parts(metrics.create_group("test_loss"), {r.metrics.test_loss});
    metrics.write("invertibility_deviation", r.metrics.invertibility_deviation);
    metrics.write("invertibility_deviation_median", r.metrics.invertibility_deviation_median);
    metrics.write("invertibility_deviation_per_feature",
                  std::span<const double>(r.metrics.invertibility_deviation_per_feature),
                  {r.metrics.invertibility_deviation_per_feature.size()});
    metrics.write("invertibility_deviation_scaled", r.metrics.invertibility_deviation_scaled);
    metrics.write("test_log_density_mean", r.metrics.test_log_density_mean);
    metrics.write("test_clamped", static_cast<double>(r.metrics.test_clamped));
  });
}

TrainedQinn read_trained_qinn(const std::string& path) {
  const auto file = core::hdf5::open_file(path);
  if (!file.has_attribute("qgen_qinn_results") || !file.has("model"))
    throw core::DataError("'" + path + "' is not a QINN results file (qgen qinn train writes them)");
  TrainedQinn t;
  t.config = file.read_string("config");
  const auto model = file.group("model");
  QinnShape& s = t.model.shape;
  s.features = static_cast<int>(model.int64_attribute("features"));
  s.layers = static_cast<int>(model.int64_attribute("layers"));
  s.isp_layers = static_cast<int>(model.int64_attribute("isp_layers"));
  s.network_layers = static_cast<int>(model.int64_attribute("network_layers"));
  s.network_hidden = static_cast<int>(model.int64_attribute("network_hidden"));
  t.model.chunk = static_cast<int>(model.int64_attribute("chunk"));
  t.model.fusion = core::parse_enum<sim::FusionLevel>(model.string_attribute("fusion"), path + ": /model fusion");
  t.parameters = model.read_doubles("parameters");
  const auto scaling = model.group("scaling");
  t.scaling.low = scaling.read_doubles("low");
  t.scaling.high = scaling.read_doubles("high");
  t.scaling.columns = scaling.strings_attribute("columns");
  try {
    check_model_options(t.model);
  } catch (const core::InputError& e) {
    throw core::DataError("'" + path + "': its model is not a valid QINN: " + e.what());
  }
  if (static_cast<int>(t.scaling.low.size()) != s.features || t.scaling.high.size() != t.scaling.low.size() ||
      static_cast<int>(t.scaling.columns.size()) != s.features)
    throw core::DataError("'" + path + "': /model/scaling does not have " + std::to_string(s.features) + " features");
  if (static_cast<int>(t.parameters.size()) != ParameterLayout(s).size)
    throw core::DataError("'" + path + "' has " + std::to_string(t.parameters.size()) +
                          " parameters; its QINN needs " + std::to_string(ParameterLayout(s).size));
  return t;
}

}  // namespace qgen::qinn
