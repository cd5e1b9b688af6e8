// Quantile decoding (data/bin_quantiles.hpp): quantiles and the inverse CDF by hand, the exact
// moments against Monte Carlo, a known in-bin distribution recovered, reproducibility by seed.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "qgen/core/errors.hpp"
#include "qgen/core/random_stream.hpp"
#include "qgen/data/binning.hpp"

namespace qgen::data {
namespace {

TEST(BinQuantiles, EmpiricalQuantilesByHand) {
  const std::vector<double> five = {0, 1, 2, 3, 4};
  EXPECT_EQ(empirical_quantiles(five, 3), (std::vector<double>{0, 2, 4}));
  EXPECT_EQ(empirical_quantiles(five, 5), five);
  // Between order statistics: h = (n - 1) p = 1 * 0.5 for two values.
  EXPECT_EQ(empirical_quantiles(std::vector<double>{2, 10}, 3), (std::vector<double>{2, 6, 10}));
  // Four values, K = 3: h = 1.5 -> 1 + 0.5 (5 - 1) = 3.
  EXPECT_EQ(empirical_quantiles(std::vector<double>{0, 1, 5, 9}, 3), (std::vector<double>{0, 3, 9}));
}

TEST(BinQuantiles, InverseCdfByHand) {
  const std::vector<double> q = {0, 1, 5};  // two segments of probability 1/2 each
  EXPECT_EQ(inverse_cdf(q, 0.0), 0.0);
  EXPECT_DOUBLE_EQ(inverse_cdf(q, 0.25), 0.5);
  EXPECT_DOUBLE_EQ(inverse_cdf(q, 0.5), 1.0);
  EXPECT_DOUBLE_EQ(inverse_cdf(q, 0.75), 3.0);
  EXPECT_LE(inverse_cdf(q, std::nextafter(1.0, 0.0)), 5.0);
  // Repeated quantiles (a discrete value) decode to that value.
  EXPECT_EQ(inverse_cdf(std::vector<double>{2, 2, 2}, 0.7), 2.0);
}

TEST(BinQuantiles, MomentsByHand) {
  // Uniform quantiles: a uniform over [lo, hi].
  const InBinMoments u = decoded_moments(uniform_quantiles(3.0, 7.0, 9));
  EXPECT_NEAR(u.mean, 5.0, 1e-14);
  EXPECT_NEAR(u.variance, 16.0 / 12, 1e-13);
  // {0, 1, 5}: half uniform on [0, 1], half on [1, 5]. E[x] = (0.5 + 3) / 2 = 1.75,
  // E[x^2] = (1/3 + 31/3) / 2 = 16/3, variance 16/3 - 1.75^2.
  const InBinMoments m = decoded_moments(std::vector<double>{0, 1, 5});
  EXPECT_NEAR(m.mean, 1.75, 1e-15);
  EXPECT_NEAR(m.variance, 16.0 / 3 - 1.75 * 1.75, 1e-14);
}

TEST(BinQuantiles, MomentsMatchMonteCarlo) {
  // Skewed quantiles far from zero (the variance must keep its digits), with a repeated one.
  const std::vector<double> q = {1000.0, 1000.1, 1000.15, 1000.15, 1000.4, 1001.0, 1003.0};
  const InBinMoments exact = decoded_moments(q);
  core::RandomStream stream(7, 1);
  const int n = 1000000;
  double sum = 0, sum2 = 0;
  for (int k = 0; k < n; ++k) {
    const double x = inverse_cdf(q, stream.next_uniform()) - 1000.0;
    sum += x;
    sum2 += x * x;
  }
  const double mean = sum / n, variance = sum2 / n - mean * mean;
  // Standard error of the mean sqrt(var / n) ~ 0.0007; of the variance about 0.001.
  EXPECT_NEAR(exact.mean - 1000.0, mean, 0.004);
  EXPECT_NEAR(exact.variance, variance, 0.006);
  // The test can tell: the uniform decoding's moments are far off.
  EXPECT_GT(std::abs(1001.5 - exact.mean), 0.5);
}

// One feature x ~ Exp(1) on [0, 8] with 1 qubit: bin 0 = [0, 4) holds about 98% of the events,
// whose in-bin CDF is F(x) = (1 - e^-x) / (1 - e^-4).
Table exponential_events(std::size_t n, std::uint64_t seed) {
  Table t({"x", "y"});
  core::RandomStream stream(seed, 3);
  for (std::size_t k = 0; k < n; ++k) {
    const double x = std::min(8.0, -std::log1p(-stream.next_uniform()));
    const double y = stream.next_uniform();
    t.append(std::vector<double>{x, y});
  }
  t.append(std::vector<double>{0.0, 0.0});  // the fixed ranges' ends
  t.append(std::vector<double>{8.0, 1.0});
  return t;
}

// KS distance of feature-0 values decoded from state 0 against the true in-bin CDF.
double ks_against_exponential(const Binning& binning, std::size_t n) {
  core::RandomStream stream(11, 5);
  std::vector<double> values(2), x(n);
  for (std::size_t k = 0; k < n; ++k) {
    binning.decode(0, stream, values);
    x[k] = values[0];
  }
  std::sort(x.begin(), x.end());
  double d = 0;
  for (std::size_t k = 0; k < n; ++k) {
    const double f = (1 - std::exp(-x[k])) / (1 - std::exp(-4.0));
    d = std::max({d, std::abs(f - static_cast<double>(k) / n), std::abs(f - static_cast<double>(k + 1) / n)});
  }
  return d;
}

TEST(QuantileDecoding, FollowsAnExponentialInsideItsBin) {
  const Table events = exponential_events(200000, 1);
  BinningOptions options{1, BinningMode::equal_width, {{"x", {0, 8}}, {"y", {0, 1}}}};
  options.decoding = DecodingMode::uniform;
  const Binning uniform = make_binning(events, options);
  options.decoding = DecodingMode::quantiles;
  options.quantiles_per_bin = 32;
  const Binning quantiles = make_binning(events, options);
  ASSERT_EQ(uniform.quantiles_per_bin(), 0);
  ASSERT_EQ(quantiles.quantiles_per_bin(), 32);
  const double d_quantiles = ks_against_exponential(quantiles, 100000);
  const double d_uniform = ks_against_exponential(uniform, 100000);
  // Piecewise linear through 32 quantiles of an exponential over [0, 4]: the largest CDF error
  // is about 0.003; 100000 decoded values add about 0.004 of KS noise (1.36 / sqrt(n) at 95%).
  EXPECT_LT(d_quantiles, 0.01) << d_uniform;
  // A uniform draw over [0, 4] misses the exponential by about 0.3.
  EXPECT_GT(d_uniform, 0.25);
  // Every decoded value stays in its bin.
  core::RandomStream stream(3, 3);
  std::vector<double> values(2);
  for (std::size_t s = 0; s < quantiles.num_states(); ++s)
    for (int k = 0; k < 1000; ++k) {
      quantiles.decode(s, stream, values);
      EXPECT_EQ(quantiles.state(values), s);
    }
}

TEST(QuantileDecoding, OneUniformPerValueAndReproducibleBySeed) {
  const Table events = exponential_events(5000, 2);
  BinningOptions options{2, BinningMode::log_width, {}};
  options.decoding = DecodingMode::uniform;
  const Binning uniform = make_binning(events, options);
  options.decoding = DecodingMode::quantiles;
  const Binning quantiles = make_binning(events, options);
  core::RandomStream a(42, 9), b(42, 9), c(42, 9);
  std::vector<double> va(2), vb(2), vc(2);
  for (std::size_t k = 0; k < 1000; ++k) {
    const std::size_t s = (k * 7) % quantiles.num_states();
    quantiles.decode(s, a, va);
    quantiles.decode(s, b, vb);
    uniform.decode(s, c, vc);
    ASSERT_EQ(va, vb);
  }
  // The same number of draws as uniform decoding: the streams stand at the same position.
  EXPECT_EQ(a.position(), c.position());
  EXPECT_EQ(a.next_u64(), c.next_u64());
}

TEST(QuantileDecoding, SparseBinsFallBackToUniform) {
  // Edges 0, 1, 2, 3, 4: bin 1 holds one event, bin 2 none; with at most one event a bin decodes
  // uniformly, and its moments are the centre and w^2/12.
  Table t({"x"});
  for (double x : {0.0, 0.1, 0.2, 1.5, 3.0, 3.5, 4.0}) t.append(std::vector<double>{x});
  BinningOptions options{2, BinningMode::equal_width, {}};
  options.decoding = DecodingMode::quantiles;
  options.quantiles_per_bin = 5;
  const Binning b = make_binning(t, options);
  for (std::size_t bin : {1u, 2u}) {           // one event, no event
    const auto q = b.quantiles(0, bin);
    for (std::size_t j = 0; j < q.size(); ++j) EXPECT_NEAR(q[j], static_cast<double>(bin) + 0.25 * j, 1e-15);
    EXPECT_NEAR(b.decoded_moments(bin, 0).mean, bin + 0.5, 1e-15);
    EXPECT_NEAR(b.decoded_moments(bin, 0).variance, 1.0 / 12, 1e-15);
  }
  // Bin 0 follows its events 0, 0.1, 0.2; bin 3 its events 3, 3.5, 4.
  EXPECT_EQ(b.quantiles(0, 0).front(), 0.0);
  EXPECT_EQ(b.quantiles(0, 0).back(), 0.2);
  EXPECT_EQ(b.quantiles(0, 3).back(), 4.0);
}

TEST(QuantileDecoding, IsTheDefault) {
  const BinningOptions options;
  EXPECT_EQ(options.decoding, DecodingMode::quantiles);
  EXPECT_EQ(options.quantiles_per_bin, 32);
}

TEST(QuantileDecoding, StoredQuantilesAreChecked) {
  Binning b({"x"}, 1, {{0.0, 1.0, 2.0}});
  EXPECT_THROW(b.set_quantiles(3, {0, 0.5, 1, 1, 1.5}), core::DataError);          // size
  EXPECT_THROW(b.set_quantiles(3, {0, 0.5, 1, 1, 1.5, 2.5}), core::DataError);     // outside the bin
  EXPECT_THROW(b.set_quantiles(3, {0, 0.7, 0.5, 1, 1.5, 2}), core::DataError);     // descending
  EXPECT_THROW(b.set_quantiles(3, {0, NAN, 1, 1, 1.5, 2}), core::DataError);       // not finite
  EXPECT_THROW(b.set_quantiles(1, {0.5, 1.5}), core::DataError);                   // K < 2
  b.set_quantiles(3, {0, 0.1, 1, 1, 1.9, 2});
  EXPECT_EQ(b.quantiles_per_bin(), 3);
  EXPECT_EQ(b.quantiles(0, 1)[1], 1.9);
  BinningOptions options{1, BinningMode::equal_width, {}};
  options.decoding = DecodingMode::quantiles;
  options.quantiles_per_bin = 1;
  Table t({"x"});
  for (double x : {0.0, 1.0, 2.0}) t.append(std::vector<double>{x});
  EXPECT_THROW(make_binning(t, options), core::InputError);
}

TEST(StateQuantiles, PerStateWithFallbackToTheBin) {
  // Two features, 1 qubit each over [0, 2]: state 0 (x < 1, y < 1) holds three events, state 1
  // (x < 1, y >= 1) one, states 2 and 3 the rest.
  Table t({"x", "y"});
  for (const auto& [x, y] : std::vector<std::pair<double, double>>{
           {0.0, 0.0}, {0.2, 0.4}, {0.6, 0.9}, {0.8, 1.5}, {1.5, 1.2}, {2.0, 2.0}, {1.1, 0.1}, {1.9, 0.3}})
    t.append(std::vector<double>{x, y});
  BinningOptions options{1, BinningMode::equal_width, {}};
  options.decoding = DecodingMode::state_quantiles;
  options.quantiles_per_bin = 3;
  const Binning b = make_binning(t, options);
  ASSERT_TRUE(b.has_state_quantiles());
  // State 0: x in {0, 0.2, 0.6} -> {0, 0.2, 0.6}; y in {0, 0.4, 0.9} -> {0, 0.4, 0.9}.
  EXPECT_EQ(std::vector<double>(b.decoding_quantiles(0, 0).begin(), b.decoding_quantiles(0, 0).end()),
            (std::vector<double>{0, 0.2, 0.6}));
  EXPECT_EQ(std::vector<double>(b.decoding_quantiles(0, 1).begin(), b.decoding_quantiles(0, 1).end()),
            (std::vector<double>{0, 0.4, 0.9}));
  // State 1 has one event: its bins' quantiles. x bin 0 holds {0, 0.2, 0.6, 0.8} -> {0, 0.4, 0.8}
  // (h = 1.5: 0.2 + 0.5 * 0.4); y bin 1 holds {1.2, 1.5, 2} -> {1.2, 1.5, 2}.
  const auto x1 = b.decoding_quantiles(1, 0), y1 = b.decoding_quantiles(1, 1);
  EXPECT_NEAR(x1[1], 0.4, 1e-15);
  EXPECT_EQ(x1[2], 0.8);
  EXPECT_EQ(std::vector<double>(y1.begin(), y1.end()), (std::vector<double>{1.2, 1.5, 2}));
  // The per-bin grouping decodes state 0 from the bins instead.
  options.decoding = DecodingMode::quantiles;
  const Binning per_bin = make_binning(t, options);
  EXPECT_FALSE(per_bin.has_state_quantiles());
  EXPECT_NEAR(per_bin.decoding_quantiles(0, 0)[1], 0.4, 1e-15);
  // The moments and CDF follow the state's quantiles: {0, 0.2, 0.6} has mean (0.1 + 0.4) / 2.
  EXPECT_NEAR(b.decoded_moments(0, 0).mean, 0.25, 1e-15);
  EXPECT_NEAR(b.decoded_cdf(0, 0, 0.4), 0.75, 1e-15);
  // Stored per-state quantiles outside their state's bin are refused.
  Binning c({"x", "y"}, 1, {{0.0, 1.0, 2.0}, {0.0, 1.0, 2.0}});
  std::vector<double> state_q = b.flat_state_quantiles();
  EXPECT_NO_THROW(c.set_quantiles(3, b.flat_quantiles(), state_q));
  state_q[0] = 1.5;  // state 0, feature x: bin 0 is [0, 1]
  EXPECT_THROW(c.set_quantiles(3, b.flat_quantiles(), state_q), core::DataError);
  EXPECT_THROW(c.set_quantiles(3, b.flat_quantiles(), std::vector<double>(5, 0.5)), core::DataError);
}

TEST(StateQuantiles, TooManyValuesAreRefused) {
  // 2 features x 12 qubits = 2^24 states x 2 x 2 quantiles: over the 2^24-value bound.
  Table t({"x", "y"});
  for (double x : {0.0, 1.0, 2.0}) t.append(std::vector<double>{x, x});
  BinningOptions options{12, BinningMode::equal_width, {}};
  options.decoding = DecodingMode::state_quantiles;
  options.quantiles_per_bin = 2;
  EXPECT_THROW(make_binning(t, options), core::InputError);
}

TEST(BinQuantiles, CdfInvertsTheInverseCdf) {
  const std::vector<double> q = {0, 1, 1, 5};
  for (double u : {0.1, 0.3, 0.7, 0.95}) EXPECT_NEAR(quantile_cdf(q, inverse_cdf(q, u)), u, 1e-14) << u;
  EXPECT_EQ(quantile_cdf(q, -1), 0.0);
  EXPECT_EQ(quantile_cdf(q, 5), 1.0);
  EXPECT_NEAR(quantile_cdf(q, 1.0), 2.0 / 3, 1e-15);  // the atom at 1 (probability 1/3) is below
}

}  // namespace
}  // namespace qgen::data
