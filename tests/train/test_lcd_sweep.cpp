// The classical half of LCD (train/lcd_sweep.hpp) against independent references: the grid's
// spacing against the paper's numbers (section IV.B) and its size against B for many (A, B);
// rotational layers against the ansatz layout written out from DESIGN.md; the Fourier cut
// against dense-matrix probabilities of the shifted circuit; the circle minimiser against a
// brute-force scan refined by Newton's method on the analytic derivative; the variance against
// its definition.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <numeric>
#include <set>

#include "../support/dense_reference.hpp"
#include "../support/expect_error.hpp"
#include "qgen/circuits/ansatz.hpp"
#include "qgen/core/errors.hpp"
#include "qgen/train/lcd_sweep.hpp"

namespace qgen::train {
namespace {

constexpr double pi = std::numbers::pi;

TEST(LcdShiftGrid, PaperSpacings) {
  // 8 qubits on guadalupe (ansatz 1 final row: 8 Rot = 24 angles), 900 circuits per batch.
  const ShiftGrid guadalupe = shift_grid(900, 24);
  EXPECT_NEAR(guadalupe.spacing, 0.0419, 5e-5);
  EXPECT_NEAR(guadalupe.spacing, 2 * (pi / 4) / (900.0 / 24), 1e-15);
  // 12 qubits on cairo: 36 angles.
  const ShiftGrid cairo = shift_grid(900, 36);
  EXPECT_NEAR(cairo.spacing, 0.0628, 5e-5);
  EXPECT_NEAR(cairo.spacing, 2 * (pi / 4) / 25.0, 1e-15);
  // n = B/A = 37.5 -> 2K+1 <= 37.5 -> K = 18; n = 25 -> K = 12 (12 h = 0.754 < eps).
  EXPECT_EQ(guadalupe.shifts.size(), 37u);
  EXPECT_EQ(cairo.shifts.size(), 25u);
  EXPECT_NEAR(cairo.shifts.back(), 12 * 2 * (pi / 4) / 25, 1e-14);
  EXPECT_NEAR(cairo.shifts.front(), -12 * 2 * (pi / 4) / 25, 1e-14);
  EXPECT_NEAR(guadalupe.shifts.back(), 18 * 2 * (pi / 4) / 37.5, 1e-14);
}

TEST(LcdShiftGrid, SymmetricHoldsZeroAndFitsTheBatch) {
  for (int angles = 1; angles <= 60; ++angles)
    for (int limit = angles; limit <= 1200; limit += (limit < 200 ? 1 : 7)) {
      for (double eps : {pi / 4, 0.3, pi}) {
        const ShiftGrid g = shift_grid(limit, angles, eps);
        const std::size_t n = g.shifts.size();
        ASSERT_EQ(n % 2, 1u) << angles << " " << limit;
        const std::size_t k = n / 2;
        ASSERT_LE(static_cast<long>(angles) * static_cast<long>(n), limit) << "A " << angles << " B " << limit;
        ASSERT_EQ(g.shifts[k], 0.0);
        ASSERT_NEAR(g.spacing, 2 * eps * angles / limit, 1e-15);
        for (std::size_t i = 0; i < n; ++i) {
          ASSERT_EQ(g.shifts[i], -g.shifts[n - 1 - i]) << "A " << angles << " B " << limit;
          ASSERT_NEAR(g.shifts[i], (static_cast<double>(i) - static_cast<double>(k)) * g.spacing, 1e-14);
          if (i > 0) {
            ASSERT_GT(g.shifts[i], g.shifts[i - 1]);
          }
        }
        ASSERT_LE(g.shifts.back(), eps * (1 + 1e-12));
        // As many shifts as both limits allow: one more step on each side breaks one of them.
        const bool wider_fits = static_cast<long>(angles) * static_cast<long>(n + 2) <= limit;
        const bool wider_within_eps = (k + 1) * g.spacing <= eps * (1 - 1e-12);
        ASSERT_FALSE(wider_fits && wider_within_eps) << "A " << angles << " B " << limit << " eps " << eps;
      }
    }
}

TEST(LcdShiftGrid, RefusesBatchesSmallerThanTheLayer) {
  testing::expect_error<core::InputError>([] { shift_grid(23, 24); }, "24 angles");
  testing::expect_error<core::InputError>([] { shift_grid(10, 0); }, "0 angles");
  EXPECT_EQ(shift_grid(24, 24).shifts, std::vector<double>{0.0});
}

TEST(LcdFourierShifts, EquallySpacedWrappedZeroFirst) {
  for (int m : {3, 4, 5, 8}) {
    const auto s = fourier_shifts(m);
    ASSERT_EQ(s.size(), static_cast<std::size_t>(m));
    EXPECT_EQ(s[0], 0.0);
    for (int j = 0; j < m; ++j) {
      EXPECT_GT(s[j], -pi);
      EXPECT_LE(s[j], pi);
      // The same point on the circle as 2 pi j / m.
      EXPECT_NEAR(std::cos(s[j]), std::cos(2 * pi * j / m), 1e-15);
      EXPECT_NEAR(std::sin(s[j]), std::sin(2 * pi * j / m), 1e-15);
    }
  }
  EXPECT_NEAR(fourier_shifts(3)[1], 2 * pi / 3, 1e-15);
  EXPECT_NEAR(fourier_shifts(3)[2], -2 * pi / 3, 1e-15);
  EXPECT_NEAR(fourier_shifts(4)[2], pi, 1e-15);  // pi itself belongs to (-pi, pi]
  testing::expect_error<core::InputError>([] { fourier_shifts(2); }, "at least 3");
}

// The ansatz layout written out from DESIGN.md (ansatz.hpp), Rot gates in gate order, grouped
// into their rows: returns the parameter slots of each row, the first row first.
std::vector<std::vector<int>> expected_rows(const circuits::AnsatzSpec& spec) {
  std::vector<std::vector<int>> rows;
  int rot = 0;
  const auto row = [&](int gates) {
    std::vector<int> slots;
    for (int g = 0; g < gates; ++g, ++rot)
      for (int a = 0; a < 3; ++a) slots.push_back(3 * rot + a);
    rows.push_back(slots);
  };
  const int q = spec.num_qubits;
  for (int layer = 0; layer < spec.depth; ++layer) {
    row(q);
    if (spec.ansatz == 1) row(q % 2 == 0 ? q - 2 : q - 1);
  }
  row(q);
  return rows;
}

TEST(LcdRotationalLayers, AnsatzRowsFromTheMeasurementSide) {
  using circuits::InitialState;
  const std::vector<circuits::AnsatzSpec> specs{
      {1, 4, 1, 0, InitialState::zero}, {1, 4, 3, 0, InitialState::bell}, {1, 5, 2, 0, InitialState::plus},
      {1, 6, 2, 0, InitialState::ghz},  {2, 4, 1, 0, InitialState::zero}, {2, 6, 3, 2, InitialState::zero},
      {2, 8, 2, 4, InitialState::bell}};
  for (const auto& spec : specs) {
    const sim::Circuit c = circuits::build_qcbm_circuit(spec);
    const auto layers = rotational_layers(c);
    const std::string what = "ansatz " + std::to_string(spec.ansatz) + " Q " + std::to_string(spec.num_qubits) +
                             " d " + std::to_string(spec.depth);
    ASSERT_EQ(layers.size(), static_cast<std::size_t>(spec.ansatz == 1 ? 2 * spec.depth + 1 : spec.depth + 1))
        << what;
    auto rows = expected_rows(spec);
    std::reverse(rows.begin(), rows.end());
    EXPECT_EQ(layers, rows) << what;
    // Every slot exactly once.
    std::vector<int> all;
    for (const auto& l : layers) all.insert(all.end(), l.begin(), l.end());
    std::sort(all.begin(), all.end());
    std::vector<int> slots(c.num_parameters());
    std::iota(slots.begin(), slots.end(), 0);
    EXPECT_EQ(all, slots) << what;
    // The first layer is the final Rot row: the highest slots, 3 Q of them.
    ASSERT_EQ(layers.front().size(), static_cast<std::size_t>(3 * spec.num_qubits)) << what;
    EXPECT_EQ(layers.front().back(), c.num_parameters() - 1) << what;
    EXPECT_EQ(layers.front().front(), c.num_parameters() - 3 * spec.num_qubits) << what;
  }
}

TEST(LcdRotationalLayers, SecondRotOnAQubitStartsALayer) {
  // Two Rot rows with no entangler between them are two coordinates blocks, not one.
  sim::Circuit c(2);
  int slot = 0;
  const auto rot = [&](int q) {
    c.rot(q, sim::Angle::of(slot), sim::Angle::of(slot + 1), sim::Angle::of(slot + 2));
    slot += 3;
  };
  rot(0), rot(1), rot(0), rot(1), c.cz(0, 1), rot(1);
  const std::vector<std::vector<int>> expected{{12, 13, 14}, {6, 7, 8, 9, 10, 11}, {0, 1, 2, 3, 4, 5}};
  EXPECT_EQ(rotational_layers(c), expected);
}

// p(theta + alpha e_k) from the dense reference, for the Fourier cut.
std::vector<double> shifted_probabilities(const sim::Circuit& c, std::vector<double> theta, int slot, double alpha) {
  theta[slot] += alpha;
  return testing::reference_probabilities(c, theta);
}

TEST(LcdFourierCut, ReproducesTheExactCut) {
  const sim::Circuit c = circuits::build_qcbm_circuit({1, 4, 2, 0, circuits::InitialState::bell});
  const auto theta = testing::random_parameters(c.num_parameters(), 17);
  for (int m : {3, 5}) {
    for (int slot : {0, 4, 14, 20, 31, c.num_parameters() - 2}) {
      std::vector<std::vector<double>> measured;
      for (double s : fourier_shifts(m)) measured.push_back(shifted_probabilities(c, theta, slot, s));
      const FourierCut cut = fit_fourier_cut(measured);
      ASSERT_EQ(cut.a.size(), 16u);
      for (double alpha : {-3.0, -1.1, 0.0, 0.37, 1.9, 2.8, pi}) {
        const auto exact = shifted_probabilities(c, theta, slot, alpha);
        EXPECT_LT(testing::max_difference(cut.at(alpha), exact), 1e-12) << "m " << m << " slot " << slot;
      }
    }
  }
}

TEST(LcdFourierCut, ClipsNegativeValuesAndRenormalises) {
  // Two states: p0 = 0.5 + 0.7 cos(alpha) would go negative near pi.
  FourierCut cut{{0.5, 0.5}, {0.7, -0.7}, {0.0, 0.0}};
  const auto p = cut.at(pi);
  EXPECT_DOUBLE_EQ(p[0], 0.0);
  EXPECT_DOUBLE_EQ(p[1], 1.0);
  const auto q = cut.at(pi / 2);
  EXPECT_DOUBLE_EQ(q[0], 0.5);
  EXPECT_DOUBLE_EQ(q[1], 0.5);
}

// The minimum of f from a dense scan refined by Newton's method on f'.
double reference_minimiser(const std::function<double(double)>& f, const std::function<double(double)>& df,
                           const std::function<double(double)>& d2f) {
  const int points = 2'000'000;
  double best = -pi, best_value = f(-pi);
  for (int i = 1; i < points; ++i) {
    const double x = -pi + 2 * pi * i / points;
    if (const double v = f(x); v < best_value) best = x, best_value = v;
  }
  for (int i = 0; i < 20; ++i) best -= df(best) / d2f(best);
  return std::remainder(best, 2 * pi);  // into [-pi, pi]
}

double circle_distance(double a, double b) { return std::abs(std::remainder(a - b, 2 * pi)); }

TEST(LcdMinimiseOnCircle, AgreesWithABruteForceScan) {
  // (centre, weight) pairs with one global minimum (centres at multiples of pi/2 with a weight
  // can have two mirror-image minima); the minima lie inside, near and at the seam +-pi.
  const std::vector<std::pair<double, double>> cases{{1.234, 0.3},  {1.234, 0.0}, {-2.9, 0.3}, {-2.9, -0.45},
                                                     {3.1, 0.3},    {-3.14, 0.3}, {pi - 0.001, 0.3},
                                                     {0.0, 0.0},    {0.5, -0.45}, {2.0, 0.3}};
  for (const auto& one : cases) {
    {
      const double centre = one.first, weight = one.second;
      const auto f = [&](double a) { return std::cos(a - centre) + weight * std::cos(2 * a); };
      const auto df = [&](double a) { return -std::sin(a - centre) - 2 * weight * std::sin(2 * a); };
      const auto d2f = [&](double a) { return -std::cos(a - centre) - 4 * weight * std::cos(2 * a); };
      const double reference = reference_minimiser(f, df, d2f);
      const auto [alpha, value] = minimise_on_circle(f);
      EXPECT_GT(alpha, -pi);
      EXPECT_LE(alpha, pi);
      EXPECT_LT(circle_distance(alpha, reference), 1e-7) << "centre " << centre << " weight " << weight;
      EXPECT_NEAR(value, f(reference), 1e-12) << "centre " << centre << " weight " << weight;
      EXPECT_DOUBLE_EQ(value, f(alpha));
    }
  }
}

TEST(LcdVariance, PopulationVariance) {
  EXPECT_EQ(variance(std::vector<double>{}), 0.0);
  EXPECT_EQ(variance(std::vector<double>{7.0}), 0.0);
  EXPECT_DOUBLE_EQ(variance(std::vector<double>{1, 2, 3, 4}), 1.25);
  // Large offset: a one-pass E[x^2] - E[x]^2 would lose every digit here.
  EXPECT_NEAR(variance(std::vector<double>{1e9 + 1, 1e9 + 2, 1e9 + 3, 1e9 + 4}), 1.25, 1e-6);
  const auto v = testing::random_parameters(101, 5);
  double mean = 0, sum = 0;
  for (double x : v) mean += x / 101;
  for (double x : v) sum += (x - mean) * (x - mean);
  EXPECT_NEAR(variance(v), sum / 101, 1e-14);
}

}  // namespace
}  // namespace qgen::train
