// zll observables against four-vector arithmetic done here, and the pair selection and cuts.
#include <gtest/gtest.h>

#include <cmath>
#include <utility>

#include "qgen/data/observables.hpp"

namespace qgen::data {
namespace {

Particle lepton(int id, double pt, double eta, double phi) {
  return {id, 1, pt * std::cos(phi), pt * std::sin(phi), pt * std::sinh(eta), pt * std::cosh(eta), 0};
}

TEST(Zll, RowMatchesFourVectorArithmetic) {
  const Lepton plus{45.0, 0.7, 2.9, +1, 13}, minus{38.0, -0.4, -2.8, -1, 13};
  const auto row = zll_row(plus, minus);
  // Massless four-vectors summed by hand.
  const double e = 45 * std::cosh(0.7) + 38 * std::cosh(-0.4);
  const double px = 45 * std::cos(2.9) + 38 * std::cos(-2.8);
  const double py = 45 * std::sin(2.9) + 38 * std::sin(-2.8);
  const double pz = 45 * std::sinh(0.7) + 38 * std::sinh(-0.4);
  const double dphi = 2 * M_PI - (2.9 - (-2.8));  // the opening angle of 5.7 rad, in [0, pi]
  EXPECT_EQ(row[0], 45.0);
  EXPECT_EQ(row[1], 38.0);
  EXPECT_NEAR(row[2], dphi, 1e-12);
  EXPECT_EQ(row[3], 0.7);
  EXPECT_EQ(row[4], -0.4);
  EXPECT_NEAR(row[5], std::sqrt(e * e - px * px - py * py - pz * pz), 1e-9);
  EXPECT_NEAR(row[6], std::hypot(1.1, dphi), 1e-12);
}

TEST(Zll, DeltaPhiWrapsIntoMinusPiPi) {
  EXPECT_NEAR(delta_phi(3.0, -3.0), 6.0 - 2 * M_PI, 1e-15);
  EXPECT_NEAR(delta_phi(-3.0, 3.0), 2 * M_PI - 6.0, 1e-15);
  EXPECT_DOUBLE_EQ(delta_phi(M_PI, 0.0), M_PI);
  EXPECT_DOUBLE_EQ(delta_phi(0.0, M_PI), M_PI);  // -pi maps to +pi
}

// delta_phi is the opening angle |phi+ - phi-| in [0, pi]: back-to-back leptons give pi
// (never -pi) whichever of them leads in phi, and a pair and its mirror image agree.
TEST(Zll, DeltaPhiIsTheOpeningAngleAndBackToBackGivesPi) {
  for (double phi : {-3.1, -M_PI / 2, -0.3, 0.0, 0.2, 1.0, M_PI / 2, 2.5, 3.0}) {
    const double other = phi + M_PI;  // back to back; may lie beyond pi before wrapping
    for (const auto& [a, b] : {std::pair{phi, other}, std::pair{other, phi},
                               std::pair{phi, other - 2 * M_PI}}) {
      const auto row = zll_row({40, 0.3, a, +1, 13}, {40, -0.2, b, -1, 13});
      EXPECT_NEAR(row[2], M_PI, 1e-12) << "phi+ " << a << ", phi- " << b;
      EXPECT_GE(row[2], 0.0);
      EXPECT_LE(row[2], M_PI);
      // Back to back: M_ll^2 = 2 pT+ pT- (cosh(delta_eta) + 1), delta_R^2 = delta_eta^2 + pi^2.
      EXPECT_NEAR(row[5], std::sqrt(2 * 40 * 40 * (std::cosh(0.5) + 1)), 1e-9);
      EXPECT_NEAR(row[6], std::hypot(0.5, M_PI), 1e-12);
    }
    // Mirror images (phi+ and phi- exchanged) have the same opening angle.
    const auto left = zll_row({40, 0, phi, +1, 13}, {40, 0, phi + 0.7, -1, 13});
    const auto right = zll_row({40, 0, phi + 0.7, +1, 13}, {40, 0, phi, -1, 13});
    EXPECT_NEAR(left[2], 0.7, 1e-12);
    EXPECT_NEAR(right[2], 0.7, 1e-12);
  }
}

TEST(Zll, ChoosesTheOppositeSignSameFlavourPairClosestToMz) {
  const ObservableBuilder builder(ObservableSet::zll, JetCuts{}, LeptonCuts{});
  Table t(builder.columns());
  SelectionReport report;
  Event e;
  // mu+ mu- near the Z, an extra e+ (no partner), and a softer mu- making a worse pair.
  e.particles = {lepton(-13, 45, 0.1, 0.0), lepton(13, 46, -0.1, M_PI), lepton(-11, 30, 1.0, 1.0),
                 lepton(13, 20, 2.0, 0.5), {21, 1, 10, 0, 0, 10, 0}};
  e.weight = 2.5;
  builder.add(e, t, report);
  ASSERT_EQ(t.rows(), 1u);
  EXPECT_EQ(t.at(0, 0), 45.0);  // pT+ is the mu+ (PDG -13)
  EXPECT_EQ(t.at(0, 1), 46.0);
  EXPECT_NEAR(t.at(0, 5), 91.0, 0.5);
  EXPECT_EQ(t.weight(0), 2.5);
}

TEST(Zll, CutsComeBeforeThePairChoice) {
  // The pair closest to M_Z fails the cuts (a 160 GeV muon); another pair passes: it is kept.
  const ObservableBuilder builder(ObservableSet::zll, JetCuts{}, LeptonCuts{});
  Table t(builder.columns());
  SelectionReport report;
  Event e;
  e.particles = {lepton(-13, 160, 0.0, 0.0), lepton(13, 20, 0.1, M_PI),
                 lepton(-11, 30, 0.5, 1.0), lepton(11, 40, -0.5, -2.0)};
  builder.add(e, t, report);
  ASSERT_EQ(t.rows(), 1u);
  EXPECT_EQ(t.at(0, 0), 30.0);
  EXPECT_EQ(t.at(0, 1), 40.0);
}

TEST(Zll, DropsWithReasons) {
  const ObservableBuilder builder(ObservableSet::zll, JetCuts{}, LeptonCuts{});
  Table t(builder.columns());
  SelectionReport report;
  Event e;
  e.particles = {lepton(-13, 45, 0.1, 0.0), lepton(11, 46, -0.1, M_PI)};  // different flavours
  builder.add(e, t, report);
  e.particles = {lepton(-13, 45, 0.1, 0.0), lepton(13, 160, -0.1, M_PI)};  // pT above 150
  builder.add(e, t, report);
  e.particles = {lepton(-11, 45, 4.6, 0.0), lepton(11, 46, -0.1, M_PI)};  // |eta| above 4.5
  builder.add(e, t, report);
  builder.add_pair({40, 0, 0, -1, 13}, {40, 0, 3, -1, 13}, 1.0, t, report);  // same sign
  EXPECT_EQ(report.read, 4u);
  EXPECT_EQ(report.kept, 0u);
  EXPECT_EQ(report.dropped.at("no opposite-sign same-flavour lepton pair"), 1u);
  EXPECT_EQ(report.dropped.at("no opposite-sign same-flavour pair within 15 < pT < 150 GeV, |eta| < 4.5"), 2u);
  EXPECT_EQ(report.dropped.at("same-sign lepton pair"), 1u);
  EXPECT_EQ(report.dropped_total(), 4u);
}

}  // namespace
}  // namespace qgen::data
