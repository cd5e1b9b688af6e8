// Binning, encoding to basis-state distributions, decoding, and splits.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <set>

#include "qgen/data/binning.hpp"
#include "qgen/core/errors.hpp"
#include "qgen/data/split.hpp"

namespace qgen::data {
namespace {

Table two_features() {
  // a in [0, 8], b in [10, 26]: with 2 qubits per feature, bins of width 2 and 4.
  Table t({"a", "b"});
  const double rows[][2] = {{0, 10}, {1.9, 13.9}, {2, 14}, {8, 26}, {5, 20}, {7.5, 11}};
  for (const auto& r : rows) t.append(r);
  return t;
}

TEST(Binning, EqualWidthEdgesFromTheData) {
  const Binning b = make_binning(two_features(), {2, BinningMode::equal_width, {}});
  EXPECT_EQ(b.edges(0), (std::vector<double>{0, 2, 4, 6, 8}));
  EXPECT_EQ(b.edges(1), (std::vector<double>{10, 14, 18, 22, 26}));
  EXPECT_EQ(b.bin(0, 0.0), 0);
  EXPECT_EQ(b.bin(0, 1.999), 0);
  EXPECT_EQ(b.bin(0, 2.0), 1);
  EXPECT_EQ(b.bin(0, 8.0), 3);  // the upper edge belongs to the last bin
  EXPECT_EQ(b.bin(0, 8.001), -1);
  EXPECT_EQ(b.bin(0, -0.001), -1);
  EXPECT_EQ(b.num_qubits(), 4);
}

TEST(Binning, RangesFromQuantilesLeaveOutliersOut) {
  // 1001 values 0, 1, ..., 999 and one outlier at 1e6: the 0.01 and 0.99 quantiles of the
  // sorted 1001 values are those at positions floor(0.01 * 1000) = 10 and floor(0.99 * 1000) = 990.
  Table t({"x", "y"});
  for (int i = 0; i < 1000; ++i) t.append(std::vector<double>{double(i), double(-i)});
  t.append(std::vector<double>{1e6, -1e6});
  BinningOptions o{2, BinningMode::equal_width, {{"y", {-1000.0, 0.0}}}};
  o.range_quantile = 0.01;
  const Binning b = make_binning(t, o);
  EXPECT_EQ(b.edges(0).front(), 10.0);
  EXPECT_EQ(b.edges(0).back(), 990.0);
  EXPECT_EQ(b.edges(1).front(), -1000.0);  // a fixed range wins
  EXPECT_EQ(b.edges(1).back(), 0.0);
  EXPECT_EQ(b.bin(0, 1e6), -1);
  o.range_quantile = 0.0;  // min..max: the outlier stretches every bin
  EXPECT_EQ(make_binning(t, o).edges(0).back(), 1e6);
  o.range_quantile = 0.5;
  EXPECT_THROW(make_binning(t, o), core::DataError);
}

TEST(Binning, LogWidthForPositiveRangesEqualWidthOtherwise) {
  Table t({"pT", "eta"});
  t.append(std::vector<double>{1.0, -2.0});
  t.append(std::vector<double>{10000.0, 2.0});
  const Binning b = make_binning(t, {2, BinningMode::log_width, {}});
  const auto& e = b.edges(0);  // 1, 10, 100, 1000, 10000
  ASSERT_EQ(e.size(), 5u);
  for (int k = 0; k <= 4; ++k) EXPECT_NEAR(e[k], std::pow(10.0, k), 1e-9 * std::pow(10.0, k));
  EXPECT_EQ(b.bin(0, 9.99), 0);
  EXPECT_EQ(b.bin(0, 10.01), 1);
  EXPECT_EQ(b.edges(1), (std::vector<double>{-2, -1, 0, 1, 2}));  // eta: not positive
}

TEST(Binning, ValuesOnInexactEdgesLandInTheUpperBin) {
  // Edges 0.1 + 0.6 k / 4 are not exact in binary; a value equal to an edge belongs to the bin
  // that starts there, whatever rounding the division makes.
  Table t({"x"});
  const double lo[1] = {0.1}, hi[1] = {0.7};
  t.append(lo);
  t.append(hi);
  const Binning b = make_binning(t, {2, BinningMode::equal_width, {}});
  for (int k = 0; k < 4; ++k) EXPECT_EQ(b.bin(0, b.edges(0)[k]), k) << k;
  EXPECT_EQ(b.bin(0, 0.7), 3);
  for (int k = 1; k < 4; ++k) EXPECT_EQ(b.bin(0, std::nextafter(b.edges(0)[k], 0.0)), k - 1) << k;
}

TEST(Binning, StatesConcatenateBinsFeatureZeroMostSignificant) {
  const Binning b = make_binning(two_features(), {2, BinningMode::equal_width, {}});
  // a = 5 -> bin 2 (binary 10), b = 20 -> bin 2 (10): state 1010 = 10.
  const double row[2] = {5, 20};
  EXPECT_EQ(b.state(row), 0b1010u);
  const double other[2] = {7.5, 11};  // bins 3, 0: 1100
  EXPECT_EQ(b.state(other), 0b1100u);
  EXPECT_EQ(b.bin_of_state(0b1100, 0), 3u);
  EXPECT_EQ(b.bin_of_state(0b1100, 1), 0u);
}

TEST(Binning, EncodeCountsWeightsAndDropsOutside) {
  Table t = two_features();
  const Binning b = make_binning(t, {2, BinningMode::equal_width, {{"a", {0.0, 6.0}}}});
  // a's range is fixed to [0, 6]: the rows with a = 8 and 7.5 fall outside.
  const Encoding e = encode(t, b);
  EXPECT_EQ(e.events_used, 4u);
  EXPECT_EQ(e.events_outside, 2u);
  EXPECT_EQ(e.outside_per_feature, (std::vector<std::size_t>{2, 0}));
  EXPECT_NEAR(std::accumulate(e.probabilities.begin(), e.probabilities.end(), 0.0), 1.0, 1e-15);
  // a bins of width 1.5 over [0, 6], b bins of width 4 over [10, 26]:
  // (0, 10) -> 00 00, (1.9, 13.9) -> 01 00, (2, 14) -> 01 01, (5, 20) -> 11 10.
  for (std::size_t s : {0b0000u, 0b0100u, 0b0101u, 0b1110u}) EXPECT_DOUBLE_EQ(e.probabilities[s], 0.25);
}

TEST(Binning, NegativeWeightBinsAreZeroedAndCounted) {
  Table t({"x"});
  const double lo[1] = {0.1}, hi[1] = {0.9}, end[1] = {1.0}, start[1] = {0.0};
  t.append(start, 1.0);
  t.append(lo, 3.0);
  t.append(hi, -2.0);  // the upper bin sums to -2 + 1 = -1 < 0
  t.append(end, 1.0);
  const Binning b = make_binning(t, {1, BinningMode::equal_width, {}});
  const Encoding e = encode(t, b);
  EXPECT_EQ(e.negative_bins_zeroed, 1u);
  EXPECT_DOUBLE_EQ(e.probabilities[0], 1.0);
  EXPECT_DOUBLE_EQ(e.probabilities[1], 0.0);
}

TEST(Binning, DecodeLandsInsideTheBinUniformly) {
  const Binning b = make_binning(two_features(), {2, BinningMode::equal_width, {}, 0.0, DecodingMode::uniform});
  core::RandomStream stream(4, 4);
  double values[2];
  double mean_a = 0;
  const int n = 40000;
  for (int k = 0; k < n; ++k) {
    b.decode(0b0111, stream, values);  // a bin 1 = [2, 4), b bin 3 = [22, 26]
    ASSERT_GE(values[0], 2.0);
    ASSERT_LT(values[0], 4.0);
    ASSERT_GE(values[1], 22.0);
    ASSERT_LE(values[1], 26.0);
    ASSERT_EQ(b.state(values), 0b0111u);
    mean_a += values[0] / n;
  }
  EXPECT_NEAR(mean_a, 3.0, 5 * (2 / std::sqrt(12.0)) / std::sqrt(n));
}

TEST(Binning, EqualPopulationGivesEqualCounts) {
  Table t({"x"});
  core::RandomStream stream(1, 1);
  for (int k = 0; k < 16000; ++k) {
    const double x[1] = {std::exp(3 * stream.next_uniform())};  // skewed
    t.append(x);
  }
  const Binning b = make_binning(t, {4, BinningMode::equal_population, {}});
  const Encoding e = encode(t, b);
  for (double p : e.probabilities) EXPECT_NEAR(p, 1.0 / 16, 0.002);
}

TEST(Binning, MarginalSumsOverTheOtherFeatures) {
  const Binning b = make_binning(two_features(), {2, BinningMode::equal_width, {}});
  std::vector<double> p(16, 0.0);
  p[0b0110] = 0.25;  // a bin 1
  p[0b0111] = 0.25;  // a bin 1
  p[0b1101] = 0.5;   // a bin 3
  EXPECT_EQ(marginal(p, b, 0), (std::vector<double>{0, 0.5, 0, 0.5}));
  EXPECT_EQ(marginal(p, b, 1), (std::vector<double>{0, 0.5, 0.25, 0.25}));
}

TEST(Binning, RejectsImpossibleBinnings) {
  Table constant({"x"});
  const double one[1] = {1.0};
  constant.append(one);
  constant.append(one);
  EXPECT_THROW(make_binning(constant, {2, BinningMode::equal_width, {}}), core::DataError);
  EXPECT_THROW(make_binning(two_features(), {2, BinningMode::equal_width, {{"c", {0, 1}}}}), core::DataError);
  EXPECT_THROW(make_binning(two_features(), {0, BinningMode::equal_width, {}}), core::DataError);
  EXPECT_THROW(core::parse_enum<BinningMode>("log", "binning"), core::InputError);
  EXPECT_THROW(make_binning(two_features(), {40, BinningMode::equal_width, {}}), core::DataError);
  // Equal population over a range with no events in it.
  EXPECT_THROW(make_binning(two_features(), {2, BinningMode::equal_population, {{"a", {100, 200}}}}),
               core::DataError);
}

TEST(Split, FractionsDisjointCoverReproducible) {
  const Split s = split_events(1000, 7);
  EXPECT_EQ(s.train.size(), 375u);
  EXPECT_EQ(s.validation.size(), 125u);
  EXPECT_EQ(s.test.size(), 500u);
  std::set<std::size_t> all(s.train.begin(), s.train.end());
  all.insert(s.validation.begin(), s.validation.end());
  all.insert(s.test.begin(), s.test.end());
  EXPECT_EQ(all.size(), 1000u);
  EXPECT_TRUE(std::is_sorted(s.train.begin(), s.train.end()));
  const Split again = split_events(1000, 7);
  EXPECT_EQ(again.train, s.train);
  EXPECT_NE(split_events(1000, 8).train, s.train);
  EXPECT_THROW(split_events(10, 1, 0.8, 0.3), core::DataError);
}

TEST(Split, SubsetsAreNestedAndReproducible) {
  const auto small = random_subset(10000, 0.1, 3);
  const auto large = random_subset(10000, 0.5, 3);
  EXPECT_EQ(small.size(), 1000u);
  EXPECT_EQ(large.size(), 5000u);
  EXPECT_TRUE(std::includes(large.begin(), large.end(), small.begin(), small.end()));
  EXPECT_EQ(random_subset(10000, 0.1, 3), small);
  EXPECT_THROW(random_subset(10, 0.0, 1), core::DataError);
}

}  // namespace
}  // namespace qgen::data
