// The one-cycle schedule against values of PyTorch's OneCycleLR worked out by hand from its
// definition (max_lr 1e-3, div_factor 25, final_div_factor 1e4, pct_start 0.3, cos), and the
// shared Adam update against PennyLane's formula written out here.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "qgen/train/adam_update.hpp"
#include "qgen/train/one_cycle.hpp"

namespace qgen::train {
namespace {

TEST(OneCycle, PyTorchValuesForPaper004) {
  const OneCycle s{1e-3, 4e-2, 1e-4, 0.3, 1000};
  // Phase 1 ends at u = 0.3 * 1000 - 1 = 299, phase 2 at 999.
  EXPECT_DOUBLE_EQ(s.rate(0), 4e-5);                      // initial = max / 25
  EXPECT_NEAR(s.rate(299), 1e-3, 1e-18);                  // the peak
  EXPECT_NEAR(s.rate(999), 4e-9, 1e-20);                  // initial / 1e4
  // Phase 2 spans 700 steps; at the fraction p of it the start's weight is (1 + cos(pi p)) / 2:
  // 1/2 half way, (1 + cos(pi/4)) / 2 at a quarter and (1 + cos(3 pi/4)) / 2 at three quarters.
  const double w = (1 + std::cos(M_PI / 4)) / 2;          // 0.853553...
  EXPECT_NEAR(s.rate(649), 1e-3 * (1 - 0.5) + 4e-9 * 0.5, 1e-15);  // (649-299)/700 = 1/2
  EXPECT_NEAR(s.rate(474), 4e-9 + (1e-3 - 4e-9) * w, 1e-15);        // (474-299)/700 = 1/4
  EXPECT_NEAR(s.rate(824), 4e-9 + (1e-3 - 4e-9) * (1 - w), 1e-15);  // (824-299)/700 = 3/4
  // Monotonic up, then down; later steps keep the final rate.
  for (int k = 1; k <= 299; ++k) EXPECT_GT(s.rate(k), s.rate(k - 1));
  for (int k = 300; k < 1000; ++k) EXPECT_LT(s.rate(k), s.rate(k - 1));
  EXPECT_EQ(s.rate(5000), s.rate(999));
}

TEST(OneCycle, ShortSchedulesStayFinite) {
  for (std::int64_t total : {1, 2, 3, 4, 10}) {
    const OneCycle s{1e-3, 4e-2, 1e-4, 0.3, total};
    for (std::int64_t k = 0; k < total; ++k) EXPECT_TRUE(std::isfinite(s.rate(k))) << total << " " << k;
    EXPECT_NEAR(s.rate(total - 1), 4e-9, 1e-20) << total;
  }
}

TEST(AdamUpdate, PennyLaneFormula) {
  std::vector<double> x{0.5, -1.0, 2.0}, m(3, 0.0), v(3, 0.0);
  std::vector<double> xr = x, mr = m, vr = v;
  const AdamHyper h{0.9, 0.9, 1e-8};
  for (int t = 1; t <= 5; ++t) {
    const std::vector<double> g{std::sin(t * 1.0), 0.1 * t, -0.3};
    const double eta_t = adam_update(x, m, v, g, 0.01 * t, h, t);
    const double expected_eta = 0.01 * t * std::sqrt(1 - std::pow(0.9, t)) / (1 - std::pow(0.9, t));
    EXPECT_NEAR(eta_t, expected_eta, 1e-16);
    for (int i = 0; i < 3; ++i) {
      mr[i] = 0.9 * mr[i] + 0.1 * g[i];
      vr[i] = 0.9 * vr[i] + 0.1 * g[i] * g[i];
      xr[i] -= expected_eta * mr[i] / (std::sqrt(vr[i]) + 1e-8);
      EXPECT_NEAR(x[i], xr[i], 1e-15);
    }
  }
}

}  // namespace
}  // namespace qgen::train
