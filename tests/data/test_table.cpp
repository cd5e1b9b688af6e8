// Tables: rows, selection, weights, summaries and correlations against hand computations.
#include <gtest/gtest.h>

#include <cmath>

#include "qgen/core/errors.hpp"
#include "qgen/core/text.hpp"
#include "qgen/data/table.hpp"

namespace qgen::data {
namespace {

TEST(Table, AppendSelectTake) {
  Table t({"a", "b", "c"});
  for (int r = 0; r < 4; ++r) {
    const double row[3] = {1.0 * r, 10.0 * r, 100.0 * r};
    t.append(row);
  }
  EXPECT_EQ(t.rows(), 4u);
  EXPECT_FALSE(t.weighted());
  const Table s = t.select({"c", "a"});
  EXPECT_EQ(s.columns(), (std::vector<std::string>{"c", "a"}));
  EXPECT_EQ(s.at(2, 0), 200.0);
  EXPECT_EQ(s.at(2, 1), 2.0);
  const Table k = t.take({3, 1});
  EXPECT_EQ(k.rows(), 2u);
  EXPECT_EQ(k.at(0, 1), 30.0);
  EXPECT_EQ(k.at(1, 2), 100.0);
  try {
    t.column_index("d");
    FAIL();
  } catch (const core::DataError& e) {
    EXPECT_NE(std::string(e.what()).find("no column 'd' (columns: a, b, c)"), std::string::npos);
  }
}

TEST(Table, WeightsAppearWhenFirstNonUnit) {
  Table t({"x"});
  const double one[1] = {1.0}, two[1] = {2.0};
  t.append(one);
  t.append(two, -0.5);
  ASSERT_TRUE(t.weighted());
  EXPECT_EQ(t.weight(0), 1.0);
  EXPECT_EQ(t.weight(1), -0.5);
  EXPECT_EQ(t.take({1}).weight(0), -0.5);
}

TEST(Table, FirstRowWeighted) {
  Table t({"x"});
  const double one[1] = {1.0};
  t.append(one, 1223.55);
  t.append(one, 1223.55);
  ASSERT_EQ(t.weights().size(), 2u);
  EXPECT_EQ(t.weight(0), 1223.55);
}

TEST(Table, WeightedSummaryAndCorrelation) {
  // x = (0, 1, 2), y = 2x + 1 (correlation 1), z = -x (correlation -1), weights (1, 2, 1):
  // weighted mean of x = (0 + 2 + 2)/4 = 1, variance = (1 + 0 + 1)/4 = 0.5.
  Table t({"x", "y", "z"});
  const double w[3] = {1, 2, 1};
  for (int r = 0; r < 3; ++r) {
    const double row[3] = {1.0 * r, 2.0 * r + 1, -1.0 * r};
    t.append(row, w[r]);
  }
  const auto s = summarize(t);
  EXPECT_DOUBLE_EQ(s[0].mean, 1.0);
  EXPECT_DOUBLE_EQ(s[0].std_dev, std::sqrt(0.5));
  EXPECT_EQ(s[1].min, 1.0);
  EXPECT_EQ(s[1].max, 5.0);
  const auto c = correlation_matrix(t);
  EXPECT_NEAR(c[0 * 3 + 1], 1.0, 1e-15);
  EXPECT_NEAR(c[0 * 3 + 2], -1.0, 1e-15);
  EXPECT_NEAR(c[1 * 3 + 2], -1.0, 1e-15);
  EXPECT_EQ(c[4], 1.0);
}

TEST(Table, PearsonAgainstHandComputation) {
  // x = (1, 2, 3, 4), y = (2, 1, 4, 3): cov = 0.75, var = 1.25 each -> r = 0.6.
  Table t({"x", "y"});
  const double ys[4] = {2, 1, 4, 3};
  for (int r = 0; r < 4; ++r) {
    const double row[2] = {r + 1.0, ys[r]};
    t.append(row);
  }
  EXPECT_NEAR(correlation_matrix(t)[1], 0.6, 1e-15);
}

TEST(Table, SplitList) {
  EXPECT_EQ(core::split_list(" a, b ,,c "), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_TRUE(core::split_list("").empty());
}

}  // namespace
}  // namespace qgen::data
