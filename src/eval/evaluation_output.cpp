// qgen eval's numbers for people (tables) and for programs (HDF5):
//
//   /metrics/{js_samples, mae_samples, mae_error}    float64 scalars
//   /metrics/{js_model, mae_model}                   the exact model's (results files only)
//   /correlation/<step>     float64 [N, N] for each step of the chain (events, bins, bins_decoded,
//                           model, model_decoded, samples; those present); attributes columns
//                           and steps (the steps in chain order)
//   /histograms/edges       float64 [N, 2^q + 1]
//   /histograms/{target, model, samples, ratio}  float64 [N, 2^q]: marginal bin probabilities
//                           (model only with a model), ratio = samples / target (NaN: empty
//                           target bin); attribute features
//   /ks/{statistic, effective_count, p_value}   float64 [N]; attributes features, reference
//   /resampled/js           float64 [repetitions]: JS of each finite sample of the model, in
//                           repetition order; attributes shots, seed, reference; mean and
//                           standard deviation in /metrics/{js_resampled_mean, js_resampled_std}
//   root attributes         samples, samples_outside, reference_events, and the caller's provenance
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

template <class Item>
std::vector<double> field(const std::vector<Item>& items, auto member) {
  std::vector<double> values;
  for (const auto& item : items) {
    if constexpr (std::is_same_v<decltype(item.*member), const double&>) values.push_back(item.*member);
    else values.insert(values.end(), (item.*member).begin(), (item.*member).end());
  }
  return values;
}

std::string pearson_pairs(const Evaluation& e) {
  const std::size_t n = e.features.size();
  std::string out = "  Pearson through the chain (events -> bins -> model -> samples)\n    pair                ";
  for (const auto& s : e.chain) out += line(" %13s", s.name.c_str());
  out += "\n";
  for (std::size_t a = 0; a < n; ++a)
    for (std::size_t b = a + 1; b < n; ++b) {
      out += line("    %-20.20s", (e.features[a] + "-" + e.features[b]).c_str());
      for (const auto& s : e.chain) out += line(" %13.4f", s.matrix[a * n + b]);
      out += "\n";
    }
  return out;
}

std::string pearson_matrices(const Evaluation& e, const CorrelationStep& data, const CorrelationStep& samples) {
  const std::size_t n = e.features.size();
  std::string out = line("  Pearson matrices: %s | samples\n", data.name.c_str());
  for (std::size_t i = 0; i < n; ++i) {
    out += line("    %-10.10s ", e.features[i].c_str());
    for (std::size_t j = 0; j < n; ++j) out += line(" %7.3f", data.matrix[i * n + j]);
    out += "   |";
    for (std::size_t j = 0; j < n; ++j) out += line(" %7.3f", samples.matrix[i * n + j]);
    out += "\n";
  }
  return out;
}

std::string histogram_table(const FeatureHistogram& h) {
  std::string out = line("  Histogram of %s: bin probabilities\n    %5s %12s %12s %10s %10s %10s %8s\n",
                         h.feature.c_str(), "bin", "low", "high", "target", "model", "samples", "ratio");
  for (std::size_t i = 0; i < h.target.size(); ++i) {
    out += line("    %5zu %12.5g %12.5g %10.6f ", i, h.edges[i], h.edges[i + 1], h.target[i]);
    out += h.model.empty() ? line("%10s ", "-") : line("%10.6f ", h.model[i]);
    out += line("%10.6f %8.3f\n", h.samples[i], h.ratio[i]);
  }
  return out;
}

}  // namespace

std::string format_resampled(const Evaluation& e) {
  if (e.resampled.values.empty()) return "";
  return line("  resampled JS   %.6f +- %.6f (mean and standard deviation of %zu samples of %llu shots "
              "against %s)\n", e.resampled.mean, e.resampled.standard_deviation, e.resampled.values.size(),
              static_cast<unsigned long long>(e.resampled.shots), e.resampled_reference.c_str());
}

std::string format_evaluation(const Evaluation& e) {
  std::string out;
  out += line("  samples        %zu (%zu outside the bins), against %s\n", e.samples, e.samples_outside,
              e.reference_events ? (std::to_string(e.reference_events) + " data events").c_str()
                                 : "the target distribution");
  out += line("  JS             %.6f samples", e.js_samples);
  out += e.has_model ? line("   %.6f exact model\n", e.js_model) : "\n";
  out += line("  D (eq. 2)      %.6f +- %.6f samples (1/sqrt(N))", e.mae_samples, e.mae_error);
  out += e.has_model ? line("   %.6f exact model\n", e.mae_model) : "\n";
  out += pearson_pairs(e);
  out += pearson_matrices(e, e.step("events") ? *e.step("events") : *e.step("bins"), *e.step("samples"));
  out += "  KS test        feature         D    sqrt(N_e) D   p-value\n";
  for (const auto& t : e.tests)
    out += line("                 %-10.10s %8.5f %11.3f   %.4g\n", t.feature.c_str(), t.statistic,
                std::sqrt(t.effective_count) * t.statistic, t.p_value);
  out += format_resampled(e);
  for (const auto& h : e.histograms) out += histogram_table(h);
  return out;
}

void write_evaluation(const std::string& path, const Evaluation& e,
                      const std::vector<core::hdf5::Attribute>& attributes) {
  core::hdf5::write_file(path, [&](const core::hdf5::Location& file) {
    file.set_attributes(attributes);
    file.set_attribute("samples", static_cast<std::int64_t>(e.samples));
    file.set_attribute("samples_outside", static_cast<std::int64_t>(e.samples_outside));
    file.set_attribute("reference_events", static_cast<std::int64_t>(e.reference_events));

    const auto metrics = file.create_group("metrics");
    metrics.write("js_samples", e.js_samples);
    metrics.write("mae_samples", e.mae_samples);
    metrics.write("mae_error", e.mae_error);
    if (e.has_model) {
      metrics.write("js_model", e.js_model);
      metrics.write("mae_model", e.mae_model);
    }

    const hsize_t n = e.features.size();
    const auto correlation = file.create_group("correlation");
    std::vector<std::string> steps;
    for (const auto& s : e.chain) {
      correlation.write(s.name, std::span<const double>(s.matrix), {n, n});
      steps.push_back(s.name);
    }
    correlation.set_attribute("columns", e.features);
    correlation.set_attribute("steps", steps);

    const auto histograms = file.create_group("histograms");
    const hsize_t bins = e.histograms.front().target.size();
    histograms.write("edges", std::span<const double>(field(e.histograms, &FeatureHistogram::edges)), {n, bins + 1});
    histograms.write("target", std::span<const double>(field(e.histograms, &FeatureHistogram::target)), {n, bins});
    if (e.has_model)
      histograms.write("model", std::span<const double>(field(e.histograms, &FeatureHistogram::model)), {n, bins});
    histograms.write("samples", std::span<const double>(field(e.histograms, &FeatureHistogram::samples)), {n, bins});
    histograms.write("ratio", std::span<const double>(field(e.histograms, &FeatureHistogram::ratio)), {n, bins});
    histograms.set_attribute("features", e.features);

    const auto ks = file.create_group("ks");
    ks.write("statistic", std::span<const double>(field(e.tests, &FeatureTest::statistic)), {n});
    ks.write("effective_count", std::span<const double>(field(e.tests, &FeatureTest::effective_count)), {n});
    ks.write("p_value", std::span<const double>(field(e.tests, &FeatureTest::p_value)), {n});
    ks.set_attribute("features", e.features);
    ks.set_attribute("reference", std::string(e.reference_events ? "data events" : "target distribution"));

    if (!e.resampled.values.empty()) {
      metrics.write("js_resampled_mean", e.resampled.mean);
      metrics.write("js_resampled_std", e.resampled.standard_deviation);
      const auto resampled = file.create_group("resampled");
      resampled.write("js", std::span<const double>(e.resampled.values), {e.resampled.values.size()});
      resampled.set_attribute("shots", static_cast<std::int64_t>(e.resampled.shots));
      resampled.set_attribute("seed", static_cast<std::int64_t>(e.resampled.seed));
      resampled.set_attribute("reference", e.resampled_reference);
    }
  });
}

}  // namespace qgen::eval
