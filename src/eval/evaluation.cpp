#include "qgen/eval/evaluation.hpp"

#include <algorithm>
#include <cmath>

#include "qgen/core/errors.hpp"
#include "qgen/eval/correlation_chain.hpp"
#include "qgen/eval/kolmogorov_smirnov.hpp"
#include "qgen/eval/metrics.hpp"
#include "qgen/train/loss.hpp"

namespace qgen::eval {
namespace {

// Cumulative distribution of one feature's marginal when each state's probability is spread
// over its bin as the binning decodes: uniformly (piecewise linear through the edges), or
// through the bin's or the state's quantiles (data/bin_quantiles.hpp): inside bin i, the
// probability of the bins below plus sum over the states s in bin i of P(s) G_s(x), G_s the
// decoded value's CDF in s.
class BinnedCdf {
public:
  BinnedCdf(const data::Binning& binning, int feature, std::span<const double> probabilities)
      : binning_(binning), feature_(feature), edges_(binning.edges(feature)),
        below_(binning.bins_per_feature() + 1, 0.0), states_(binning.bins_per_feature()) {
    std::vector<double> in_bin(binning.bins_per_feature(), 0.0);
    for (std::size_t s = 0; s < probabilities.size(); ++s) {
      if (probabilities[s] == 0) continue;
      const std::size_t b = binning.bin_of_state(s, feature);
      in_bin[b] += probabilities[s];
      states_[b].push_back({s, probabilities[s]});
    }
    for (std::size_t i = 0; i < in_bin.size(); ++i) below_[i + 1] = below_[i] + in_bin[i];
  }
  double operator()(double x) const {
    if (x <= edges_.front()) return 0.0;
    if (x >= edges_.back()) return below_.back();
    const std::size_t i = static_cast<std::size_t>(std::upper_bound(edges_.begin(), edges_.end(), x) - edges_.begin()) - 1;
    if (binning_.quantiles_per_bin() == 0)  // the same for every state of the bin
      return below_[i] + (x - edges_[i]) / (edges_[i + 1] - edges_[i]) * (below_[i + 1] - below_[i]);
    double inside = 0;
    for (const auto& [s, p] : states_[i]) inside += p * binning_.decoded_cdf(s, feature_, x);
    return below_[i] + inside;
  }

private:
  const data::Binning& binning_;
  int feature_;
  const std::vector<double>& edges_;
  std::vector<double> below_;  // probability below edge i
  std::vector<std::vector<std::pair<std::size_t, double>>> states_;  // per bin: states, probabilities
};

std::vector<double> column(const data::Table& table, std::size_t c) {
  std::vector<double> values(table.rows());
  for (std::size_t r = 0; r < table.rows(); ++r) values[r] = table.at(r, c);
  return values;
}

// The samples' frequencies over the basis states, binned as the target was; samples outside the
// binning's range are counted and left out.
std::vector<double> sampled_distribution(const data::Table& samples, const data::Binning& binning,
                                         std::size_t& outside) {
  std::vector<double> distribution(binning.num_states(), 0.0);
  outside = 0;
  for (std::size_t r = 0; r < samples.rows(); ++r) {
    const std::size_t state = binning.state(samples.row(r));
    if (state == binning.num_states()) ++outside;
    else distribution[state] += 1.0;
  }
  const std::size_t inside = samples.rows() - outside;
  if (inside == 0) throw core::DataError("every sample lies outside the binning's range");
  for (double& d : distribution) d /= static_cast<double>(inside);
  return distribution;
}

FeatureHistogram histogram(const SampledRun& run, const std::vector<double>& sampled, int f) {
  FeatureHistogram h{run.binning.features()[f], run.binning.edges(f), data::marginal(run.target, run.binning, f),
                     run.model.empty() ? std::vector<double>{} : data::marginal(run.model, run.binning, f),
                     data::marginal(sampled, run.binning, f), {}};
  for (std::size_t i = 0; i < h.target.size(); ++i) h.ratio.push_back(h.target[i] > 0 ? h.samples[i] / h.target[i] : NAN);
  return h;
}

}  // namespace

const CorrelationStep* Evaluation::step(const std::string& name) const {
  for (const auto& s : chain)
    if (s.name == name) return &s;
  return nullptr;
}

Evaluation evaluate(const SampledRun& run, const data::Table& reference) {
  const data::Binning& binning = run.binning;
  if (run.samples.rows() == 0) throw core::DataError("no samples to evaluate");
  if (reference.weighted())  // the empirical distributions of the KS test count events
    throw core::DataError("the reference events are weighted; the Kolmogorov-Smirnov test here needs unweighted events");
  Evaluation e;
  e.features = binning.features();
  e.samples = run.samples.rows();
  e.reference_events = reference.rows();
  e.has_model = !run.model.empty();

  const std::vector<double> sampled = sampled_distribution(run.samples, binning, e.samples_outside);
  e.js_samples = train::jensen_shannon(run.target, sampled);
  e.mae_samples = marginal_mae(run.target, sampled, binning);
  e.mae_error = 1.0 / std::sqrt(static_cast<double>(e.samples));
  if (e.has_model) {
    e.js_model = train::jensen_shannon(run.target, run.model);
    e.mae_model = marginal_mae(run.target, run.model, binning);
  }
  for (int f = 0; f < binning.num_features(); ++f) e.histograms.push_back(histogram(run, sampled, f));

  if (reference.rows() > 0) e.chain.push_back({"events", data::correlation_matrix(reference)});
  else if (!run.data_correlation.empty()) e.chain.push_back({"events", run.data_correlation});
  e.chain.push_back({"bins", distribution_correlation(run.target, binning, BinPosition::centre)});
  e.chain.push_back({"bins_decoded", distribution_correlation(run.target, binning, BinPosition::decoded)});
  if (e.has_model) {
    e.chain.push_back({"model", distribution_correlation(run.model, binning, BinPosition::centre)});
    e.chain.push_back({"model_decoded", distribution_correlation(run.model, binning, BinPosition::decoded)});
  }
  e.chain.push_back({"samples", data::correlation_matrix(run.samples)});
  const double n = static_cast<double>(e.samples), m = static_cast<double>(e.reference_events);
  for (int f = 0; f < binning.num_features(); ++f) {
    FeatureTest t{e.features[f]};
    std::vector<double> values = column(run.samples, static_cast<std::size_t>(f));
    if (reference.rows() > 0) {
      t.statistic = ks_statistic(std::move(values), column(reference, static_cast<std::size_t>(f)));
      t.effective_count = n * m / (n + m);
    } else {
      t.statistic = ks_statistic(std::move(values), BinnedCdf(binning, f, run.target));
      t.effective_count = n;
    }
    t.p_value = ks_p_value(t.statistic, t.effective_count);
    e.tests.push_back(t);
  }
  return e;
}

}  // namespace qgen::eval
