// Counter-based streams and shot sampling.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <set>
#include <span>

#include <Random123/philox.h>

#include "qgen/core/random_stream.hpp"
#include "qgen/core/tree_sum.hpp"
#include "qgen/sim/cdf_sampling.hpp"
#include "qgen/sim/sampling.hpp"

namespace qgen::sim {
namespace {

TEST(RandomStream, PhiloxKnownAnswer) {
  // Random123's published known-answer test for philox4x32_10: counter = key = 0 gives
  // 6627e8d5 e169c58d bc57ac4c 9b00dbd8. Block 0 supplies word 0 (low half) and word 16.
  core::RandomStream s(0, 0);
  EXPECT_EQ(s.next_u64(), 0xe169c58d6627e8d5ull);
  s.seek(16);
  EXPECT_EQ(s.next_u64(), 0x9b00dbd8bc57ac4cull);
}

TEST(RandomStream, EveryWordIsRandom123Philox) {
  // Word by word and in batches (fill), against Random123's scalar Philox4x32-10 with the
  // documented word layout, for several seeds and streams and unaligned starts.
  for (std::uint64_t seed : {std::uint64_t{0}, std::uint64_t{7}, std::uint64_t{0xfedcba9876543210}})
    for (std::uint64_t stream : {std::uint64_t{0}, std::uint64_t{3}, core::stream_id(299, 937),
                                 ~std::uint64_t{0}}) {
      r123::Philox4x32 philox;
      const r123::Philox4x32::key_type key = {
          {static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32)}};
      auto expected = [&](std::uint64_t position) {
        const std::uint64_t block = core::RandomStream::block_of(position);
        const auto r = philox({{static_cast<std::uint32_t>(block),
                                static_cast<std::uint32_t>(block >> 32),
                                static_cast<std::uint32_t>(stream),
                                static_cast<std::uint32_t>(stream >> 32)}},
                              key);
        return core::RandomStream::high_half_of(position) ? (std::uint64_t{r.v[3]} << 32) | r.v[2]
                                                    : (std::uint64_t{r.v[1]} << 32) | r.v[0];
      };
      core::RandomStream one(seed, stream);
      for (std::uint64_t p = 0; p < 100; ++p) ASSERT_EQ(one.next_u64(), expected(p));
      core::RandomStream batch(seed, stream);
      batch.seek(5);
      std::vector<std::uint64_t> words(603);  // a partial group, batches of four, single groups
      batch.fill(words);
      for (std::size_t k = 0; k < words.size(); ++k) ASSERT_EQ(words[k], expected(5 + k)) << k;
      EXPECT_EQ(batch.position(), 608u);
      EXPECT_EQ(batch.next_u64(), expected(608));
    }
}

TEST(RandomStream, PureFunctionOfSeedStreamAndPosition) {
  core::RandomStream a(42, core::stream_id(3, 17)), b(42, core::stream_id(3, 17));
  std::vector<std::uint64_t> first;
  for (int i = 0; i < 100; ++i) first.push_back(a.next_u64());
  for (int i = 0; i < 100; ++i) EXPECT_EQ(b.next_u64(), first[i]);
  // Seeking to a position replays from that word, odd positions included.
  for (std::uint64_t position : {0, 1, 7, 20, 99}) {
    core::RandomStream c(42, core::stream_id(3, 17));
    c.seek(position);
    EXPECT_EQ(c.next_u64(), first[position]) << position;
  }
  // Other seeds and streams differ.
  core::RandomStream d(43, core::stream_id(3, 17)), e(42, core::stream_id(3, 18)), f(42, core::stream_id(4, 17));
  EXPECT_NE(d.next_u64(), first[0]);
  EXPECT_NE(e.next_u64(), first[0]);
  EXPECT_NE(f.next_u64(), first[0]);
}

TEST(RandomStream, SavedPositionResumesExactly) {
  // A run that stops after an odd number of draws and resumes from position() in a new stream
  // object (a restart) continues the same sequence.
  core::RandomStream whole(9, 4);
  std::vector<std::uint64_t> expected;
  for (int i = 0; i < 10; ++i) expected.push_back(whole.next_u64());
  core::RandomStream first(9, 4);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(first.next_u64(), expected[i]);
  core::RandomStream resumed(9, 4);
  resumed.seek(first.position());
  EXPECT_EQ(first.position(), 3u);
  for (int i = 3; i < 10; ++i) EXPECT_EQ(resumed.next_u64(), expected[i]);
}

TEST(RandomStream, UniformsInUnitIntervalWithRightMean) {
  core::RandomStream s(7, 1);
  double sum = 0.0;
  const int n = 200000;
  for (int i = 0; i < n; ++i) {
    const double u = s.next_uniform();
    ASSERT_GE(u, 0.0);
    ASSERT_LT(u, 1.0);
    sum += u;
  }
  EXPECT_NEAR(sum / n, 0.5, 5 * std::sqrt(1.0 / 12 / n));
}

std::vector<double> test_distribution(int n) {
  // Uneven, with exact zeros, like a trained QCBM's output.
  std::vector<double> p(n);
  for (int i = 0; i < n; ++i) p[i] = (i % 7 == 3) ? 0.0 : std::exp(-0.05 * i) * (1 + (i % 3));
  const double total = std::accumulate(p.begin(), p.end(), 0.0);
  for (double& x : p) x /= total;
  return p;
}

TEST(AliasTable, RejectsBadWeights) {
  EXPECT_THROW(AliasTable(std::vector<double>{}), std::invalid_argument);
  EXPECT_THROW(AliasTable(std::vector<double>{0.0, 0.0}), std::invalid_argument);
  EXPECT_THROW(AliasTable(std::vector<double>{0.5, -0.1}), std::invalid_argument);
  EXPECT_THROW(AliasTable(std::vector<double>{0.5, NAN}), std::invalid_argument);
  EXPECT_THROW(AliasTable(std::vector<double>{1e308, 1e308}), std::invalid_argument);  // sum overflows
}

TEST(AliasTable, TinyWeightsAreStillADistribution) {
  // n / total would overflow for these: the table must still be exact, not NaN.
  for (const std::vector<double>& w : {std::vector<double>{0.0, 5e-324}, std::vector<double>{1e-310, 3e-310}}) {
    const auto implied = AliasTable(w).implied_probabilities();
    const double total = w[0] + w[1];
    for (int i = 0; i < 2; ++i) EXPECT_NEAR(implied[i], w[i] / total, 1e-15) << i;
  }
}


TEST(AliasTable, DrawsFromExactlyTheGivenDistribution) {
  // The distribution implied by the table's thresholds and aliases, computed column by column,
  // equals the (normalised) input to double precision: sampling is exact, not approximate.
  for (int n : {1, 2, 5, 256, 4096}) {
    auto p = test_distribution(n);
    if (n == 1) p = {1.0};
    std::vector<double> weights(p);
    for (double& w : weights) w *= 3.5;  // unnormalised input
    const auto implied = AliasTable(weights).implied_probabilities();
    for (int i = 0; i < n; ++i) EXPECT_NEAR(implied[i], p[i], 1e-15) << n << " outcomes, " << i;
  }
}

TEST(AliasTable, ExactForFlatAndPeakedDistributions) {
  // The two extremes of the construction's sweep: every column exactly average (nothing to
  // move), and one column topping up all the others.
  const std::vector<double> flat(1024, 1.0);
  for (double x : AliasTable(flat).implied_probabilities()) EXPECT_NEAR(x, 1.0 / 1024, 1e-18);
  std::vector<double> peaked(1024, 1e-3);
  peaked[700] = 1.0;
  const double total = std::accumulate(peaked.begin(), peaked.end(), 0.0);
  const auto implied = AliasTable(peaked).implied_probabilities();
  // Column 700's implied probability is a sum of 1024 terms: up to 1024 roundings of 1.1e-16.
  for (int i = 0; i < 1024; ++i)
    EXPECT_NEAR(implied[i], peaked[i] / total, i == 700 ? 1024 * 1.1e-16 * implied[i] : 1e-15) << i;
}

TEST(AliasTable, CountsAreTheOutcomesOfTheirWords) {
  // count() against outcome() word by word, the 128-bit product of the header's definition,
  // including the extreme words.
  for (int n : {5, 64, 4096}) {
    const AliasTable table(test_distribution(n));
    core::RandomStream stream(8, core::stream_id(1, static_cast<std::uint32_t>(n)));
    std::vector<std::uint64_t> words(1003);
    stream.fill(words);
    words[0] = 0;                      // the first column, fraction 0
    words[1] = ~std::uint64_t{0};      // the last column, the largest fraction
    std::vector<std::uint32_t> counts(n, 0), expected(n, 0);
    table.count(words, counts);
    for (std::uint64_t w : words) ++expected[table.outcome(w)];
    EXPECT_EQ(counts, expected) << n << " outcomes";
  }
}

// Pearson chi-square over the outcomes with expected count >= 5 (others pooled). For k - 1
// degrees of freedom the statistic has mean k - 1 and sd sqrt(2(k - 1)); the bounds are the
// mean -+ 5 sd, which a correct sampler leaves with probability < 1e-5 (and one returning the
// expected counts themselves would fall below). Outcomes of probability zero must never occur.
template <typename Counts>
void expect_counts_fit(std::span<const double> p, const Counts& counts, std::uint64_t shots) {
  EXPECT_EQ(std::accumulate(counts.begin(), counts.end(), std::uint64_t{0}), shots);
  const double total = std::accumulate(p.begin(), p.end(), 0.0);
  double chi2 = 0.0, pooled_expected = 0.0, pooled_observed = 0.0;
  int bins = 0;
  for (std::size_t i = 0; i < p.size(); ++i) {
    const double expected = p[i] / total * shots;
    if (p[i] == 0.0) {
      EXPECT_EQ(counts[i], 0u) << "drew outcome " << i << " of probability zero";
      continue;
    }
    if (expected < 5) {
      pooled_expected += expected;
      pooled_observed += counts[i];
      continue;
    }
    chi2 += (counts[i] - expected) * (counts[i] - expected) / expected;
    ++bins;
  }
  if (pooled_expected > 0) {
    chi2 += (pooled_observed - pooled_expected) * (pooled_observed - pooled_expected) /
            pooled_expected;
    ++bins;
  }
  const double dof = bins - 1;
  EXPECT_LT(chi2, dof + 5 * std::sqrt(2 * dof)) << "chi2 " << chi2 << " dof " << dof;
  EXPECT_GT(chi2, dof - 5 * std::sqrt(2 * dof)) << "chi2 " << chi2 << " dof " << dof;
}

TEST(Sampling, ChiSquareAgainstExactDistribution) {
  const auto p = test_distribution(256);
  core::RandomStream stream(2024, core::stream_id(0, 0));
  expect_counts_fit(p, sample_counts(p, 200000, stream), 200000);
}

TEST(Sampling, CountsDependOnlyOnSeedAndStream) {
  const auto p = test_distribution(64);
  core::RandomStream a(5, core::stream_id(2, 9)), b(5, core::stream_id(2, 9)), c(5, core::stream_id(2, 10));
  const auto ca = sample_counts(p, 5000, a), cb = sample_counts(p, 5000, b),
             cc = sample_counts(p, 5000, c);
  EXPECT_EQ(ca, cb);
  EXPECT_NE(ca, cc);
}

TEST(Sampling, EstimateIsCountsOverShots) {
  const auto p = test_distribution(32);
  core::RandomStream a(1, 1), b(1, 1);
  const auto counts = sample_counts(p, 1000, a);
  std::vector<double> estimate(p.size());
  estimate_probabilities(p, 1000, b, estimate);
  for (std::size_t i = 0; i < p.size(); ++i) EXPECT_DOUBLE_EQ(estimate[i], counts[i] / 1000.0);
  EXPECT_THROW(estimate_probabilities(p, 0, b, estimate), std::invalid_argument);
}

TEST(Sampling, DeterministicOutcomes) {
  std::vector<double> p(16, 0.0);
  p[11] = 1.0;
  core::RandomStream s(3, 3);
  const auto counts = sample_counts(p, 1000, s);
  EXPECT_EQ(counts[11], 1000u);
}

// The integer CDF (sim/cdf_sampling.hpp): its placement of a whole distribution.
CdfPlacement whole_placement(std::span<const double> p) {
  const double scale = cdf_scale(cdf_slice_total(p));
  const std::uint64_t whole = cdf_integer_total(p, scale);
  return {scale, 0, whole, whole};
}

std::vector<std::uint32_t> cdf_counts(std::span<const double> slice, const CdfPlacement& placement,
                                      std::span<const std::uint64_t> words) {
  CdfSlicer slicer;
  slicer.begin(placement);
  slicer.add(words.first(words.size() / 3));  // in two calls, as the samplers feed it
  slicer.add(words.subspan(words.size() / 3));
  std::vector<std::uint32_t> counts(slice.size());
  slicer.count(slice, counts);
  return counts;
}

std::vector<std::uint64_t> words_of(core::RandomStream stream, std::size_t n) {
  std::vector<std::uint64_t> words(n);
  stream.fill(words);
  return words;
}

TEST(CdfSampling, EachShotLandsWhereItsWordFallsInTheIntegerCdf) {
  // Reference: the cumulative integer weights written out, and each word's x = floor(u W / 2^64)
  // looked up in them by binary search (not the slicer's sort and sweep). Unnormalised, with
  // zeros at both ends and inside.
  std::vector<double> p = test_distribution(37);
  p.front() = p.back() = 0.0;
  for (double& x : p) x *= 3.5;
  const CdfPlacement placement = whole_placement(p);
  EXPECT_EQ(placement.scale, std::ldexp(1.0, 62) / cdf_slice_total(p));
  std::vector<std::uint64_t> cumulative{0};
  for (double x : p) cumulative.push_back(cumulative.back() + static_cast<std::uint64_t>(x * placement.scale));
  ASSERT_EQ(cumulative.back(), placement.whole);
  EXPECT_NEAR(static_cast<double>(placement.whole), std::ldexp(1.0, 62), 1e-12 * std::ldexp(1.0, 62));
  const auto words = words_of(core::RandomStream(8, 8), 5000);
  std::vector<std::uint32_t> expected(p.size(), 0);
  for (std::uint64_t u : words) {
    const auto x = static_cast<std::uint64_t>((static_cast<unsigned __int128>(u) * placement.whole) >> 64);
    ++expected[std::upper_bound(cumulative.begin(), cumulative.end(), x) - cumulative.begin() - 1];
  }
  EXPECT_EQ(cdf_counts(p, placement, words), expected);
  EXPECT_EQ(expected.front(), 0u);
  EXPECT_EQ(expected.back(), 0u);
}

TEST(CdfSampling, SlicesPlacedByTheirIntegerTotalsCountAsTheWhole) {
  const auto p = test_distribution(1024);
  const auto words = words_of(core::RandomStream(4, 2), 20000);
  const CdfPlacement whole = whole_placement(p);
  const auto expected = cdf_counts(p, whole, words);
  expect_counts_fit(p, expected, words.size());
  for (std::size_t slices : {2u, 4u, 16u}) {
    const std::size_t n = p.size() / slices;
    // The slices' pairwise sums added as the top of the tree: the whole's total bit for bit.
    core::TreeSum top;
    for (std::size_t k = 0; k < slices; ++k) top.add(cdf_slice_total(std::span(p).subspan(k * n, n)));
    ASSERT_EQ(top.total(), cdf_slice_total(p)) << slices << " slices";
    std::uint64_t offset = 0;
    for (std::size_t k = 0; k < slices; ++k) {
      const auto slice = std::span(p).subspan(k * n, n);
      const std::uint64_t own = cdf_integer_total(slice, whole.scale);
      const auto counts = cdf_counts(slice, {whole.scale, offset, own, whole.whole}, words);
      for (std::size_t i = 0; i < n; ++i)
        ASSERT_EQ(counts[i], expected[k * n + i]) << slices << " slices, state " << k * n + i;
      offset += own;
    }
    EXPECT_EQ(offset, whole.whole);
  }
}

TEST(CdfSampling, RejectsBadWeights) {
  const std::vector<double> negative{0.5, -0.1}, not_a_number{0.5, std::nan("")}, zeros(4, 0.0);
  EXPECT_THROW(cdf_slice_total(negative), std::invalid_argument);
  EXPECT_THROW(cdf_slice_total(not_a_number), std::invalid_argument);
  EXPECT_THROW(cdf_scale(cdf_slice_total(zeros)), std::invalid_argument);
  EXPECT_THROW(cdf_scale(std::numeric_limits<double>::infinity()), std::invalid_argument);
}

TEST(ShotSampler, DrawsFromMoreThanTheLargestAliasTableByTheIntegerCdf) {
  // 2^24 + 2^12 states (128 MiB), 64 of them with weight: the sampler must take the CDF path
  // (the alias table's counts would differ), move the stream one word per shot and draw from
  // the distribution.
  const std::size_t n = kLargestAliasTable + 4096, stride = n / 64;
  std::vector<double> p(n, 0.0);
  const auto weights = test_distribution(64);
  for (std::size_t k = 0; k < 64; ++k) p[k * stride + k] = weights[k];
  const std::uint64_t shots = 100000;
  core::RandomStream stream(11, core::stream_id(1, 2));
  ShotSampler sampler;
  const auto counts = sampler.count(p, shots, stream);
  EXPECT_EQ(stream.position(), shots);
  const auto expected = cdf_counts(p, whole_placement(p), words_of(core::RandomStream(11, core::stream_id(1, 2)), shots));
  ASSERT_TRUE(std::equal(counts.begin(), counts.end(), expected.begin()));
  std::vector<std::uint32_t> by_weight(64);
  for (std::size_t k = 0; k < 64; ++k) by_weight[k] = counts[k * stride + k];
  expect_counts_fit(weights, by_weight, shots);
  // sample_counts draws the same.
  core::RandomStream again(11, core::stream_id(1, 2));
  const auto sampled = sample_counts(p, shots, again);
  EXPECT_TRUE(std::equal(sampled.begin(), sampled.end(), expected.begin()));
}

}  // namespace
}  // namespace qgen::sim
