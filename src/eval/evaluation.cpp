#include "qgen/eval/evaluation.hpp"

#include <algorithm>
#include <cmath>

#include "qgen/core/errors.hpp"
#include "qgen/eval/kolmogorov_smirnov.hpp"
#include "qgen/eval/metrics.hpp"
#include "qgen/train/loss.hpp"

namespace qgen::eval {
namespace {

// Cumulative distribution of one feature's marginal when each bin's probability is spread
// uniformly over the bin: piecewise linear through the edges (the decoding of data/binning).
class BinnedCdf {
public:
  BinnedCdf(std::vector<double> edges, const std::vector<double>& probabilities)
      : edges_(std::move(edges)), below_(probabilities.size() + 1, 0.0) {
    for (std::size_t i = 0; i < probabilities.size(); ++i) below_[i + 1] = below_[i] + probabilities[i];
  }
  double operator()(double x) const {
    if (x <= edges_.front()) return 0.0;
    if (x >= edges_.back()) return below_.back();
    const std::size_t i = static_cast<std::size_t>(std::upper_bound(edges_.begin(), edges_.end(), x) - edges_.begin()) - 1;
    const double inside = (x - edges_[i]) / (edges_[i + 1] - edges_[i]);
    return below_[i] + inside * (below_[i + 1] - below_[i]);
  }

private:
  std::vector<double> edges_;
  std::vector<double> below_;  // probability below edge i
};

std::vector<double> column(const data::Table& table, std::size_t c) {
  std::vector<double> values(table.rows());
  for (std::size_t r = 0; r < table.rows(); ++r) values[r] = table.at(r, c);
  return values;
}

// The samples' frequencies over the basis states, binned as the target was.
std::vector<double> sampled_distribution(const data::Table& samples, const data::Binning& binning) {
  std::vector<double> distribution(binning.num_states(), 0.0);
  for (std::size_t r = 0; r < samples.rows(); ++r) {
    const std::size_t state = binning.state(samples.row(r));
    if (state == binning.num_states())
      throw core::DataError("sample " + std::to_string(r) + " lies outside the binning's range");
    distribution[state] += 1.0;
  }
  for (double& d : distribution) d /= static_cast<double>(samples.rows());
  return distribution;
}

}  // namespace

Evaluation evaluate(const SampledRun& run, const data::Table& reference) {
  const data::Binning& binning = run.binning;
  if (run.samples.rows() == 0) throw core::DataError("no samples to evaluate");
  if (reference.weighted())  // the empirical distributions of the KS test count events
    throw core::DataError("the reference events are weighted; the Kolmogorov-Smirnov test here needs unweighted events");
  Evaluation e;
  e.features = binning.features();
  e.samples = run.samples.rows();
  e.reference_events = reference.rows();

  const std::vector<double> sampled = sampled_distribution(run.samples, binning);
  e.js_samples = train::jensen_shannon(run.target, sampled);
  e.mae_samples = marginal_mae(run.target, sampled, binning);
  e.mae_error = 1.0 / std::sqrt(static_cast<double>(e.samples));
  e.js_model = train::jensen_shannon(run.target, run.model);
  e.mae_model = marginal_mae(run.target, run.model, binning);

  e.correlation_data = reference.rows() > 0 ? data::correlation_matrix(reference) : run.data_correlation;
  e.correlation_samples = data::correlation_matrix(run.samples);

  const double n = static_cast<double>(e.samples), m = static_cast<double>(e.reference_events);
  for (int f = 0; f < binning.num_features(); ++f) {
    FeatureTest t{e.features[f]};
    std::vector<double> values = column(run.samples, static_cast<std::size_t>(f));
    if (reference.rows() > 0) {
      t.statistic = ks_statistic(std::move(values), column(reference, static_cast<std::size_t>(f)));
      t.effective_count = n * m / (n + m);
    } else {
      t.statistic = ks_statistic(std::move(values), BinnedCdf(binning.edges(f), data::marginal(run.target, binning, f)));
      t.effective_count = n;
    }
    t.p_value = ks_p_value(t.statistic, t.effective_count);
    e.tests.push_back(t);
  }
  return e;
}

}  // namespace qgen::eval
