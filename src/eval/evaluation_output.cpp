// qgen eval's numbers for people (a table) and for programs (HDF5):
//
//   /metrics/{js_samples, mae_samples, mae_error, js_model, mae_model}   float64 scalars
//   /correlation/{data, samples}     float64 [N, N]; attribute columns
//   /ks/{statistic, effective_count, p_value}   float64 [N]; attribute features, reference
//   root attributes                  samples, reference_events, and the caller's provenance
#include <cmath>
#include <cstdio>
#include <string>

#include "qgen/eval/evaluation.hpp"

namespace qgen::eval {
namespace {

std::string line(const char* format, auto... values) {
  char buffer[256];
  std::snprintf(buffer, sizeof buffer, format, values...);
  return buffer;
}

std::vector<double> field(const std::vector<FeatureTest>& tests, double FeatureTest::*member) {
  std::vector<double> values;
  for (const auto& t : tests) values.push_back(t.*member);
  return values;
}

}  // namespace

std::string format_evaluation(const Evaluation& e) {
  const std::size_t n = e.features.size();
  std::string out;
  out += line("  samples        %zu, against %s\n", e.samples,
              e.reference_events ? (std::to_string(e.reference_events) + " data events").c_str()
                                 : "the target distribution");
  out += line("  JS             %.6f samples   %.6f exact model\n", e.js_samples, e.js_model);
  out += line("  D (eq. 2)      %.6f +- %.6f samples (1/sqrt(N))   %.6f exact model\n",
              e.mae_samples, e.mae_error, e.mae_model);
  out += "  Pearson        data" + std::string(n * 8 > 4 ? n * 8 - 4 : 0, ' ') + "   samples\n";
  for (std::size_t i = 0; i < n; ++i) {
    out += line("    %-10.10s ", e.features[i].c_str());
    for (std::size_t j = 0; j < n; ++j) out += line(" %7.3f", e.correlation_data[i * n + j]);
    out += "   ";
    for (std::size_t j = 0; j < n; ++j) out += line(" %7.3f", e.correlation_samples[i * n + j]);
    out += "\n";
  }
  out += "  KS test        feature         D    sqrt(N_e) D   p-value\n";
  for (const auto& t : e.tests)
    out += line("                 %-10.10s %8.5f %11.3f   %.4g\n", t.feature.c_str(), t.statistic,
                std::sqrt(t.effective_count) * t.statistic, t.p_value);
  return out;
}

void write_evaluation(const std::string& path, const Evaluation& e,
                      const std::vector<core::hdf5::Attribute>& attributes) {
  core::hdf5::write_file(path, [&](const core::hdf5::Location& file) {
    file.set_attributes(attributes);
    file.set_attribute("samples", static_cast<std::int64_t>(e.samples));
    file.set_attribute("reference_events", static_cast<std::int64_t>(e.reference_events));

    const auto metrics = file.create_group("metrics");
    metrics.write("js_samples", e.js_samples);
    metrics.write("mae_samples", e.mae_samples);
    metrics.write("mae_error", e.mae_error);
    metrics.write("js_model", e.js_model);
    metrics.write("mae_model", e.mae_model);

    const hsize_t n = e.features.size();
    const auto correlation = file.create_group("correlation");
    correlation.write("data", std::span<const double>(e.correlation_data), {n, n});
    correlation.write("samples", std::span<const double>(e.correlation_samples), {n, n});
    correlation.set_attribute("columns", e.features);

    const auto ks = file.create_group("ks");
    ks.write("statistic", std::span<const double>(field(e.tests, &FeatureTest::statistic)), {n});
    ks.write("effective_count", std::span<const double>(field(e.tests, &FeatureTest::effective_count)), {n});
    ks.write("p_value", std::span<const double>(field(e.tests, &FeatureTest::p_value)), {n});
    ks.set_attribute("features", e.features);
    ks.set_attribute("reference", std::string(e.reference_events ? "data events" : "target distribution"));
  });
}

}  // namespace qgen::eval
