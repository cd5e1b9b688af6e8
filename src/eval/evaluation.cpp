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

// Cumulative distribution of one feature's marginal when each bin's probability is spread over
// the bin as the binning decodes: uniformly (piecewise linear through the edges), or through the
// bin's quantiles (piecewise linear through them, 1 / (K - 1) per segment; data/bin_quantiles).
class BinnedCdf {
public:
  BinnedCdf(const data::Binning& binning, int feature, const std::vector<double>& probabilities)
      : binning_(binning), feature_(feature), edges_(binning.edges(feature)), below_(probabilities.size() + 1, 0.0) {
    for (std::size_t i = 0; i < probabilities.size(); ++i) below_[i + 1] = below_[i] + probabilities[i];
  }
  double operator()(double x) const {
    if (x <= edges_.front()) return 0.0;
    if (x >= edges_.back()) return below_.back();
    const std::size_t i = static_cast<std::size_t>(std::upper_bound(edges_.begin(), edges_.end(), x) - edges_.begin()) - 1;
    return below_[i] + inside(i, x) * (below_[i + 1] - below_[i]);
  }

private:
  // The fraction of bin i's probability below x.
  double inside(std::size_t i, double x) const {
    if (binning_.quantiles_per_bin() == 0) return (x - edges_[i]) / (edges_[i + 1] - edges_[i]);
    const auto q = binning_.quantiles(feature_, i);
    if (x <= q.front()) return 0.0;
    if (x >= q.back()) return 1.0;
    // q_j <= x < q_{j+1}: a segment of positive width.
    const std::size_t j = static_cast<std::size_t>(std::upper_bound(q.begin(), q.end(), x) - q.begin()) - 1;
    return (static_cast<double>(j) + (x - q[j]) / (q[j + 1] - q[j])) / static_cast<double>(q.size() - 1);
  }

  const data::Binning& binning_;
  int feature_;
  const std::vector<double>& edges_;
  std::vector<double> below_;  // probability below edge i
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
      t.statistic = ks_statistic(std::move(values), BinnedCdf(binning, f, data::marginal(run.target, binning, f)));
      t.effective_count = n;
    }
    t.p_value = ks_p_value(t.statistic, t.effective_count);
    e.tests.push_back(t);
  }
  return e;
}

}  // namespace qgen::eval
