// The training-size study's score: repeated finite samples of a model, their JS against a
// reference (eval/resampled_js.hpp), checked against the small-deviation limit of the JS and
// against an independent recomputation of each repetition.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "qgen/core/errors.hpp"
#include "qgen/core/random_stream.hpp"
#include "qgen/eval/resampled_js.hpp"
#include "qgen/sim/sampling.hpp"

namespace qgen::eval {
namespace {

// MPI is initialised by the test main, after static initialisation.
core::Ranks one_rank() { return core::Ranks::of(MPI_COMM_SELF); }

// JS with natural logs, written out as in paper 000, eq. 1.
double js_by_hand(const std::vector<double>& p, const std::vector<double>& q) {
  double sum = 0;
  for (std::size_t x = 0; x < p.size(); ++x) {
    const double m = (p[x] + q[x]) / 2;
    if (p[x] > 0) sum += p[x] * std::log(p[x] / m);
    if (q[x] > 0) sum += q[x] * std::log(q[x] / m);
  }
  return sum / 2;
}

TEST(ResampledJs, MeanFollowsTheSmallDeviationLimit) {
  // For N shots from P itself, JS ~ chi^2 / 8 with E[chi^2] = (K - 1) / N: E[JS] ~ (K - 1) / (8 N).
  const std::size_t K = 16;
  const std::uint64_t N = 4000;
  const std::vector<double> p(K, 1.0 / K);
  const ResampledJs r = resampled_js(one_rank(), p, p, N, 4000, 7);
  const double expected = (K - 1) / (8.0 * N);
  EXPECT_NEAR(r.mean, expected, 0.03 * expected);
  // chi^2 with K - 1 degrees of freedom has variance 2 (K - 1): sd(JS) ~ sqrt(2 (K - 1)) / (8 N).
  EXPECT_NEAR(r.standard_deviation, std::sqrt(2.0 * (K - 1)) / (8.0 * N), 0.1 * std::sqrt(2.0 * (K - 1)) / (8.0 * N));
}

TEST(ResampledJs, TendsToTheExactJsWithManyShots) {
  const std::vector<double> model = {0.4, 0.3, 0.2, 0.1}, reference = {0.25, 0.25, 0.25, 0.25};
  const ResampledJs r = resampled_js(one_rank(), model, reference, 1000000, 20, 3);
  EXPECT_NEAR(r.mean, js_by_hand(reference, model), 2e-4);
}

TEST(ResampledJs, EachRepetitionDependsOnSeedAndIndexOnly) {
  const std::vector<double> model = {0.5, 0.25, 0.125, 0.0625, 0.0625, 0, 0, 0};
  const std::vector<double> reference = {0.3, 0.3, 0.1, 0.1, 0.1, 0.05, 0.05, 0};
  const ResampledJs r = resampled_js(one_rank(), model, reference, 300, 12, 11);
  ASSERT_EQ(r.values.size(), 12u);
  double sum = 0;
  for (std::size_t k = 0; k < r.values.size(); ++k) {
    core::RandomStream stream(11, k);
    const std::vector<std::uint64_t> counts = sim::sample_counts(model, 300, stream);
    std::vector<double> estimate(counts.begin(), counts.end());
    for (double& e : estimate) e /= 300;
    EXPECT_NEAR(r.values[k], js_by_hand(reference, estimate), 1e-14) << "repetition " << k;
    sum += r.values[k];
  }
  EXPECT_NEAR(r.mean, sum / 12, 1e-15);
  EXPECT_NE(r.values[0], r.values[1]);
}

TEST(ResampledJs, SameValuesOnEveryRankCount) {
  // 3 ranks (this test's world) split 10 repetitions 3/3/4 or so; one rank does them all.
  const core::Ranks world = core::Ranks::of(MPI_COMM_WORLD);
  ASSERT_GT(world.size, 1) << "run under mpiexec -n 3";
  const std::vector<double> model = {0.1, 0.2, 0.3, 0.4}, reference = {0.4, 0.3, 0.2, 0.1};
  const ResampledJs split = resampled_js(world, model, reference, 500, 10, 5);
  const ResampledJs whole = resampled_js(one_rank(), model, reference, 500, 10, 5);
  ASSERT_EQ(split.values.size(), 10u);
  for (std::size_t k = 0; k < 10; ++k) EXPECT_EQ(split.values[k], whole.values[k]) << "repetition " << k;
  EXPECT_EQ(split.mean, whole.mean);
  EXPECT_EQ(split.standard_deviation, whole.standard_deviation);
}

TEST(ResampledJs, RefusesEmptyWork) {
  const std::vector<double> p = {0.5, 0.5};
  EXPECT_THROW(resampled_js(one_rank(), p, p, 0, 10, 1), core::InputError);
  EXPECT_THROW(resampled_js(one_rank(), p, p, 10, 0, 1), core::InputError);
  EXPECT_THROW(resampled_js(one_rank(), p, std::vector<double>{1.0}, 10, 10, 1), core::InputError);
}

}  // namespace
}  // namespace qgen::eval
