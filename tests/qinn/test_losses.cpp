// The QINN's loss pieces: MMD against its definition written out here (eq. 8-11) and its
// gradient against finite differences, the dilepton mass against the zll observables and its
// gradient, the normal draws' moments and position independence.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "qgen/data/observables.hpp"
#include "qgen/qinn/dilepton.hpp"
#include "qgen/qinn/mmd.hpp"
#include "qgen/qinn/streams.hpp"

namespace qgen::qinn {
namespace {

std::vector<double> normal_sample(std::size_t n, double mean, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> g(mean, 1.0);
  std::vector<double> v(n);
  for (double& x : v) x = g(rng);
  return v;
}

// Eq. 9 with the kernels of eq. 10 and 11, each pair visited once.
double reference_mmd(const std::vector<double>& x, const std::vector<double>& y, int dim,
                     KernelKind kind, const std::vector<double>& widths) {
  auto k = [&](const double* a, const double* b) {
    double d2 = 0;
    for (int t = 0; t < dim; ++t) d2 += (a[t] - b[t]) * (a[t] - b[t]);
    double sum = 0;
    for (double s : widths)
      sum += kind == KernelKind::gaussian ? std::exp(-d2 / (2 * s * s)) : s * s / (s * s + d2);
    return sum;
  };
  const std::size_t b = x.size() / dim;
  double xx = 0, yy = 0, xy = 0;
  for (std::size_t i = 0; i < b; ++i)
    for (std::size_t j = 0; j < b; ++j) {
      xx += k(&x[i * dim], &x[j * dim]);
      yy += k(&y[i * dim], &y[j * dim]);
      xy += k(&x[i * dim], &y[j * dim]);
    }
  return (xx + yy - 2 * xy) / (b * b);
}

TEST(Mmd, ValueMatchesTheDefinitionAndRowsAddUp) {
  for (KernelKind kind : {KernelKind::gaussian, KernelKind::breit_wigner})
    for (int dim : {1, 3}) {
      const Kernel kernel{kind, {0.02, 0.1, 0.4, 1.0, 5.0}};
      const auto x = normal_sample(20 * dim, 0.0, 1), y = normal_sample(20 * dim, 0.3, 2);
      const double expected = reference_mmd(x, y, dim, kind, kernel.widths);
      EXPECT_NEAR(mmd(kernel, x, y, dim), expected, 1e-13);
      std::vector<double> a(7), b(13);
      mmd_rows(kernel, x, y, dim, 0, 7, a, {});
      mmd_rows(kernel, x, y, dim, 7, 20, b, {});
      double sum = 0;
      for (double v : a) sum += v;
      for (double v : b) sum += v;
      EXPECT_NEAR(sum, expected, 1e-13);
      EXPECT_NEAR(mmd(kernel, x, x, dim), 0.0, 1e-14);
    }
}

TEST(Mmd, GradientMatchesFiniteDifferences) {
  for (KernelKind kind : {KernelKind::gaussian, KernelKind::breit_wigner}) {
    const Kernel kernel{kind, {0.1, 0.4, 1.0}};
    const int dim = 2;
    const auto x = normal_sample(12 * dim, 0.0, 3), y = normal_sample(12 * dim, 0.5, 4);
    std::vector<double> shares(12), g(12 * dim);
    mmd_rows(kernel, x, y, dim, 0, 12, shares, g);
    const double h = 1e-6;
    for (std::size_t i = 0; i < y.size(); ++i) {
      auto up = y, down = y;
      up[i] += h;
      down[i] -= h;
      EXPECT_NEAR(g[i], (mmd(kernel, x, up, dim) - mmd(kernel, x, down, dim)) / (2 * h), 1e-8) << i;
    }
  }
}

TEST(Dilepton, MassAsTheZllObservableAndGradientByFiniteDifferences) {
  const data::Lepton plus{45.0, 0.7, 2.9, +1, 13}, minus{38.0, -0.4, -2.8, -1, 13};
  const auto row = data::zll_row(plus, minus);
  const double x[5] = {row[0], row[1], row[2], row[3], row[4]};
  double g[5];
  EXPECT_NEAR(dilepton_mass_gradient(x, g), row[5], 1e-12);
  const double h = 1e-6;
  for (int k = 0; k < 5; ++k) {
    double up[5], down[5], unused[5];
    std::copy(x, x + 5, up);
    std::copy(x, x + 5, down);
    up[k] += h;
    down[k] -= h;
    EXPECT_NEAR(g[k], (dilepton_mass_gradient(up, unused) - dilepton_mass_gradient(down, unused)) / (2 * h), 1e-6);
  }
  const double negative[5] = {-20.0, 40.0, 1.0, 0.0, 0.5};
  EXPECT_EQ(dilepton_mass_gradient(negative, g), 0.0);
  for (double v : g) EXPECT_EQ(v, 0.0);
}

TEST(Streams, NormalDrawsHaveUnitMomentsAndDependOnlyOnTheirPosition) {
  std::vector<double> z(200000);
  normal_values(3, stream_of(Purpose::generated, 7), 0, z);
  double mean = 0, second = 0, fourth = 0;
  for (double v : z) {
    mean += v / z.size();
    second += v * v / z.size();
    fourth += v * v * v * v / z.size();
  }
  EXPECT_NEAR(mean, 0.0, 0.01);
  EXPECT_NEAR(second, 1.0, 0.01);
  EXPECT_NEAR(fourth, 3.0, 0.06);
  std::vector<double> part(10);
  normal_values(3, stream_of(Purpose::generated, 7), 12345, part);
  for (int i = 0; i < 10; ++i) EXPECT_EQ(part[i], z[12345 + i]);
}

}  // namespace
}  // namespace qgen::qinn
