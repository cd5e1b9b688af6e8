// qgen eval's numbers on runs small enough to work out by hand.
#include <gtest/gtest.h>

#include <cmath>

#include "qgen/core/errors.hpp"
#include "qgen/data/table.hpp"
#include "qgen/eval/evaluation.hpp"
#include "qgen/eval/kolmogorov_smirnov.hpp"

namespace qgen::eval {
namespace {

data::Table table(std::vector<std::string> columns, std::vector<double> values) {
  data::Table t(std::move(columns));
  t.assign(std::move(values));
  return t;
}

TEST(Pearson, HandComputation) {
  // x = 1, 2, 3, 4 and y = 2, 1, 4, 3: deviations (-1.5, -0.5, 0.5, 1.5) and (-0.5, -1.5, 1.5, 0.5),
  // sum of products 3, sums of squares 5 and 5: r = 3 / 5.
  const auto c = data::correlation_matrix(table({"x", "y"}, {1, 2, 2, 1, 3, 4, 4, 3}));
  ASSERT_EQ(c.size(), 4u);
  EXPECT_NEAR(c[0], 1.0, 1e-15);
  EXPECT_NEAR(c[1], 0.6, 1e-15);
  EXPECT_NEAR(c[2], 0.6, 1e-15);
  EXPECT_NEAR(c[3], 1.0, 1e-15);
}

// One feature x on [0, 2] in two bins (q = 1); target 1/2, 1/2; model 1/4, 3/4; four samples, one
// in the first bin and three in the second.
SampledRun tiny_run() {
  return {data::Binning({"x"}, 1, {{0.0, 1.0, 2.0}}), {0.5, 0.5}, {0.25, 0.75},
          table({"x"}, {0.5, 1.5, 1.5, 1.5}), {1.0}};
}

double js_by_hand(double p0, double q0) {  // paper 000 eq. 1 for two bins
  const double p1 = 1 - p0, q1 = 1 - q0, m0 = (p0 + q0) / 2, m1 = (p1 + q1) / 2;
  return 0.5 * (p0 * std::log(p0 / m0) + p1 * std::log(p1 / m1)) +
         0.5 * (q0 * std::log(q0 / m0) + q1 * std::log(q1 / m1));
}

TEST(Evaluate, AgainstTheTargetByHand) {
  const Evaluation e = evaluate(tiny_run());
  EXPECT_EQ(e.samples, 4u);
  EXPECT_EQ(e.reference_events, 0u);
  EXPECT_NEAR(e.js_samples, js_by_hand(0.5, 0.25), 1e-14);
  EXPECT_NEAR(e.js_model, js_by_hand(0.5, 0.25), 1e-14);  // the samples' frequencies are the model's
  EXPECT_NEAR(e.mae_samples, (0.25 + 0.25) / 2, 1e-15);   // D: |1/2 - 1/4| + |1/2 - 3/4| over 2 bins
  EXPECT_NEAR(e.mae_error, 0.5, 1e-15);                   // 1 / sqrt(4)
  ASSERT_EQ(e.tests.size(), 1u);
  // Target CDF x / 2; at 1.5 it is 3/4 while the empirical one rises from 1/4: D = 1/2.
  EXPECT_NEAR(e.tests[0].statistic, 0.5, 1e-15);
  EXPECT_EQ(e.tests[0].effective_count, 4.0);
  EXPECT_NEAR(e.tests[0].p_value, kolmogorov_q((2 + 0.12 + 0.055) * 0.5), 1e-15);
  ASSERT_NE(e.step("events"), nullptr);  // the results file's data correlation
  EXPECT_EQ(e.step("events")->matrix, std::vector<double>{1.0});
  // Histograms: marginals of target (1/2, 1/2), model (1/4, 3/4), samples (1/4, 3/4).
  ASSERT_EQ(e.histograms.size(), 1u);
  EXPECT_EQ(e.histograms[0].target, (std::vector<double>{0.5, 0.5}));
  EXPECT_EQ(e.histograms[0].model, (std::vector<double>{0.25, 0.75}));
  EXPECT_EQ(e.histograms[0].samples, (std::vector<double>{0.25, 0.75}));
  EXPECT_EQ(e.histograms[0].ratio, (std::vector<double>{0.5, 1.5}));
}

TEST(Evaluate, AnotherGeneratorsSamplesOutsideTheBins) {
  // No model; two of five samples outside [0, 2]: they leave the binned distribution (1/3, 2/3)
  // but stay in the KS test (N_e = 5) and the correlations.
  SampledRun run = tiny_run();
  run.model.clear();
  run.data_correlation.clear();
  run.samples = table({"x"}, {0.5, 1.5, 1.5, -1.0, 3.0});
  const Evaluation e = evaluate(run);
  EXPECT_FALSE(e.has_model);
  EXPECT_EQ(e.samples_outside, 2u);
  EXPECT_NEAR(e.js_samples, js_by_hand(0.5, 1.0 / 3), 1e-14);
  EXPECT_NEAR(e.mae_samples, (1.0 / 6 + 1.0 / 6) / 2, 1e-15);
  EXPECT_NEAR(e.mae_error, 1 / std::sqrt(5.0), 1e-15);
  EXPECT_EQ(e.tests[0].effective_count, 5.0);
  EXPECT_EQ(e.step("events"), nullptr);
  EXPECT_EQ(e.step("model"), nullptr);
  EXPECT_NE(e.step("bins_decoded"), nullptr);
  EXPECT_TRUE(e.histograms[0].model.empty());
}

TEST(Evaluate, AllSamplesOutsideIsAnError) {
  SampledRun run = tiny_run();
  run.samples = table({"x"}, {5.0});
  EXPECT_THROW(evaluate(run), core::DataError);
}

TEST(Evaluate, AgainstDataEventsByHand) {
  // Reference 0.2, 0.7, 1.2, 1.7: after 1.2 the reference has 3/4, the samples 1/4: D = 1/2,
  // N_e = 4 * 4 / 8 = 2.
  const Evaluation e = evaluate(tiny_run(), table({"x"}, {0.2, 0.7, 1.2, 1.7}));
  EXPECT_EQ(e.reference_events, 4u);
  EXPECT_NEAR(e.tests[0].statistic, 0.5, 1e-15);
  EXPECT_EQ(e.tests[0].effective_count, 2.0);
  EXPECT_NEAR(e.tests[0].p_value, ks_p_value(0.5, 2.0), 1e-15);
}

TEST(Evaluate, RefusesWeightedReferenceEvents) {
  data::Table weighted({"x"});
  weighted.append(std::vector<double>{0.5}, 2.0);
  EXPECT_THROW(evaluate(tiny_run(), weighted), core::DataError);
}

TEST(Evaluate, WritesTheNumbersInTheTable) {
  const std::string text = format_evaluation(evaluate(tiny_run()));
  EXPECT_NE(text.find("4 (0 outside the bins), against the target distribution"), std::string::npos) << text;
  EXPECT_NE(text.find("0.250000 +- 0.500000"), std::string::npos) << text;
  EXPECT_NE(text.find("Histogram of x"), std::string::npos) << text;
}

}  // namespace
}  // namespace qgen::eval
