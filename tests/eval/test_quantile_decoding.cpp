// Quantile decoding through the evaluation layer: the bin quantiles persist through the results
// file (and an old file without them decodes uniformly), the correlation chain's exact decoded
// moments match Monte Carlo of the decoder, and samples are reproducible by seed.
#include <gtest/gtest.h>

#include <cmath>

#include "../support/temp_dir.hpp"
#include "qgen/core/random_stream.hpp"
#include "qgen/eval/correlation_chain.hpp"
#include "qgen/eval/evaluation.hpp"
#include "qgen/eval/metrics.hpp"
#include "qgen/eval/results.hpp"

namespace qgen::eval {
namespace {

// Two features with a steep, correlated spectrum: x ~ Exp, y = x / 2 + Exp, 2 qubits each.
data::Table steep_events(std::size_t n) {
  data::Table t({"pT", "mass"});
  core::RandomStream stream(5, 1);
  for (std::size_t k = 0; k < n; ++k) {
    const double x = 1 - 3 * std::log1p(-stream.next_uniform());
    const double y = x / 2 - std::log1p(-stream.next_uniform());
    t.append(std::vector<double>{x, y});
  }
  return t;
}

data::Binning quantile_binning(const data::Table& events, int k,
                               data::DecodingMode mode = data::DecodingMode::quantiles) {
  data::BinningOptions options{2, data::BinningMode::equal_width, {}};
  options.decoding = mode;
  options.quantiles_per_bin = k;
  return data::make_binning(events, options);
}

TEST(QuantileDecoding, PersistsThroughTheResultsFile) {
  const testing::TempDir dir;
  const data::Table events = steep_events(5000);
  const data::Binning binning = quantile_binning(events, 8);
  Results r;
  r.config = "seed = 1\n";
  r.parameters = {0.1, 0.2};
  r.target = data::encode(events, binning).probabilities;
  r.model = r.target;
  r.data_correlation = data::correlation_matrix(events);
  write_results(dir.file("q.h5"), r, binning);
  const TrainedModel back = read_trained_model(dir.file("q.h5"));
  ASSERT_EQ(back.binning.quantiles_per_bin(), 8);
  EXPECT_EQ(back.binning.flat_quantiles(), binning.flat_quantiles());
  // Samples drawn from the file's binning equal those of the run's, value for value.
  const Samples a = sample_events(r.model, binning, 2000, 3), b = sample_events(r.model, back.binning, 2000, 3);
  EXPECT_EQ(a.events.values(), b.events.values());
  EXPECT_EQ(read_target_run(dir.file("q.h5")).binning.quantiles_per_bin(), 8);

  // A file written without quantiles (uniform decoding, as every file before them) reads back
  // without, and decodes uniformly: not the quantile run's values.
  const data::Binning uniform = data::Binning::from_flat_edges(binning.features(), 2, binning.flat_edges());
  write_results(dir.file("u.h5"), r, uniform);
  const TrainedModel old = read_trained_model(dir.file("u.h5"));
  EXPECT_EQ(old.binning.quantiles_per_bin(), 0);
  const Samples c = sample_events(r.model, old.binning, 2000, 3), d = sample_events(r.model, uniform, 2000, 3);
  EXPECT_EQ(c.events.values(), d.events.values());
  EXPECT_NE(c.events.values(), a.events.values());
  // The same states either way: the decoding draws from its own stream.
  EXPECT_EQ(c.distribution, a.distribution);
}

TEST(QuantileDecoding, ChainMomentsMatchMonteCarloOfTheDecoder) {
  const data::Table events = steep_events(20000);
  const data::Binning binning = quantile_binning(events, 16);
  const std::vector<double> p = data::encode(events, binning).probabilities;
  const double exact = distribution_correlation(p, binning, BinPosition::decoded)[1];
  const Samples samples = sample_events(p, binning, 400000, 17);
  // Standard error of an empirical r from 400000 draws: below (1 - r^2) / sqrt(n) = 0.0016.
  EXPECT_NEAR(exact, data::correlation_matrix(samples.events)[1], 0.006);
  // The test can tell: the uniform decoding's exact correlation of the same bins is further away.
  const data::Binning uniform = data::Binning::from_flat_edges(binning.features(), 2, binning.flat_edges());
  EXPECT_GT(std::abs(distribution_correlation(p, uniform, BinPosition::decoded)[1] - exact), 0.02);
  // Quantile decoding returns the events' correlation better than uniform decoding.
  const double events_r = data::correlation_matrix(events)[1];
  EXPECT_LT(std::abs(exact - events_r),
            std::abs(distribution_correlation(p, uniform, BinPosition::decoded)[1] - events_r));
}

TEST(QuantileDecoding, ChainMomentsPerFeatureMatchMonteCarlo) {
  // Means and variances, not only the correlation: the decoded samples' against the formulas.
  const data::Table events = steep_events(20000);
  const data::Binning binning = quantile_binning(events, 4);
  const std::vector<double> p = data::encode(events, binning).probabilities;
  const Samples samples = sample_events(p, binning, 400000, 23);
  for (int f = 0; f < 2; ++f) {
    double mean = 0, second = 0;
    for (std::size_t s = 0; s < p.size(); ++s) {
      const data::InBinMoments m = binning.decoded_moments(s, f);
      mean += p[s] * m.mean;
      second += p[s] * (m.variance + m.mean * m.mean);
    }
    double sm = 0, ss = 0;
    const std::size_t n = samples.events.rows();
    for (std::size_t r = 0; r < n; ++r) {
      const double x = samples.events.at(r, static_cast<std::size_t>(f));
      sm += x;
      ss += x * x;
    }
    sm /= static_cast<double>(n);
    const double variance = second - mean * mean, sample_variance = ss / static_cast<double>(n) - sm * sm;
    // x has a standard deviation of a few units: standard error of the mean ~0.005.
    EXPECT_NEAR(sm, mean, 0.03) << f;
    EXPECT_NEAR(sample_variance / variance, 1.0, 0.02) << f;
  }
}

TEST(StateQuantileDecoding, PersistsThroughTheResultsFile) {
  const testing::TempDir dir;
  const data::Table events = steep_events(5000);
  const data::Binning binning = quantile_binning(events, 8, data::DecodingMode::state_quantiles);
  ASSERT_TRUE(binning.has_state_quantiles());
  Results r;
  r.config = "seed = 1\n";
  r.parameters = {0.1};
  r.target = data::encode(events, binning).probabilities;
  r.model = r.target;
  r.data_correlation = data::correlation_matrix(events);
  write_results(dir.file("s.h5"), r, binning);
  const TrainedModel back = read_trained_model(dir.file("s.h5"));
  EXPECT_TRUE(back.binning.has_state_quantiles());
  EXPECT_EQ(back.binning.flat_state_quantiles(), binning.flat_state_quantiles());
  EXPECT_EQ(back.binning.flat_quantiles(), binning.flat_quantiles());
  EXPECT_EQ(sample_events(r.model, binning, 1000, 4).events.values(),
            sample_events(r.model, back.binning, 1000, 4).events.values());
}

TEST(StateQuantileDecoding, KeepsTheCorrelationInsideTheBinsAndMatchesMonteCarlo) {
  const data::Table events = steep_events(40000);
  const data::Binning per_bin = quantile_binning(events, 16);
  const data::Binning per_state = quantile_binning(events, 16, data::DecodingMode::state_quantiles);
  const std::vector<double> p = data::encode(events, per_state).probabilities;
  const double exact = distribution_correlation(p, per_state, BinPosition::decoded)[1];
  const Samples samples = sample_events(p, per_state, 400000, 29);
  EXPECT_NEAR(exact, data::correlation_matrix(samples.events)[1], 0.006);
  // Closer to the events' correlation than the per-bin quantiles, which lose what lies inside
  // the 4 x 4 bins (here 0.64 against 0.47 and 0.84 in the events: y = x / 2 + noise keeps much
  // of its correlation inside the wide bins, which no decoding that draws the features of a
  // state independently can return).
  const double events_r = data::correlation_matrix(events)[1];
  const double bin_r = distribution_correlation(p, per_bin, BinPosition::decoded)[1];
  EXPECT_LT(std::abs(exact - events_r), std::abs(bin_r - events_r) - 0.02) << exact << " " << bin_r << " " << events_r;
}

TEST(StateQuantileDecoding, KolmogorovSmirnovAgainstTheTargetUsesTheDecoding) {
  // Samples decoded through the state quantiles pass the KS test against the target decoded
  // the same way; the same states decoded uniformly do not.
  const data::Table events = steep_events(20000);
  const data::Binning per_state = quantile_binning(events, 16, data::DecodingMode::state_quantiles);
  const std::vector<double> p = data::encode(events, per_state).probabilities;
  const data::Binning uniform = data::Binning::from_flat_edges(per_state.features(), 2, per_state.flat_edges());
  SampledRun run{per_state, p, {}, sample_events(p, per_state, 20000, 31).events, {}};
  const Evaluation good = evaluate(run);
  run.samples = sample_events(p, uniform, 20000, 31).events;
  const Evaluation bad = evaluate(run);
  for (std::size_t f = 0; f < 2; ++f) {
    EXPECT_GT(good.tests[f].p_value, 0.001) << f;
    EXPECT_LT(good.tests[f].statistic, 0.015) << f;  // 1.95 / sqrt(20000) = 0.014 at 99.9%
    EXPECT_GT(bad.tests[f].statistic, 0.03) << f;
  }
}

}  // namespace
}  // namespace qgen::eval
