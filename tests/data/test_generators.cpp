// The built-in generators: reproducibility and the physics they promise.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "qgen/data/generators.hpp"

namespace qgen::data {
namespace {

TEST(Dijet, ReproducibleAndPrefixStable) {
  const Table a = generate_dijet(1000, 5), b = generate_dijet(1000, 5), c = generate_dijet(10, 5);
  EXPECT_EQ(a.values(), b.values());
  EXPECT_TRUE(std::equal(c.values().begin(), c.values().end(), a.values().begin()));
  EXPECT_NE(generate_dijet(10, 6).values(), c.values());
}

TEST(Dijet, SpectrumCorrelationAndRanges) {
  const DijetParameters p;
  const Table t = generate_dijet(200000, 11, p);
  const auto s = summarize(t);
  EXPECT_GE(s[0].min, p.pt_min);
  EXPECT_LE(s[0].max, p.pt_max);
  EXPECT_GT(s[1].min, 0.0);
  EXPECT_LT(std::max(-s[2].min, s[2].max), p.abs_eta_max);
  // Power law pT^-n: E[log(pT/pt_min)] = 1/(n-1) without the upper cut-off (which removes a
  // fraction (3000/250)^-4 ~ 5e-5 of the tail: negligible here).
  double mean_log = 0;
  for (std::size_t r = 0; r < t.rows(); ++r) mean_log += std::log(t.at(r, 0) / p.pt_min) / t.rows();
  EXPECT_NEAR(mean_log, 1.0 / (p.spectral_index - 1), 0.005);
  // Paper 000, Table II: pT-mass correlation about 0.2; eta uncorrelated with both.
  const auto c = correlation_matrix(t);
  EXPECT_NEAR(c[0 * 3 + 1], 0.2, 0.03);
  EXPECT_LT(std::abs(c[0 * 3 + 2]), 0.01);
  EXPECT_LT(std::abs(c[1 * 3 + 2]), 0.01);
}

TEST(Zjet, BreitWignerPeakAndLeptonCuts) {
  SelectionReport report;
  const LeptonCuts cuts;
  const Table t = generate_zjet(100000, 3, cuts, report);
  EXPECT_EQ(t.rows(), 100000u);
  EXPECT_EQ(report.kept, 100000u);
  EXPECT_GT(report.dropped_total(), 0u);
  const std::size_t m = t.column_index("M_ll");
  // Histogram M_ll in 0.25 GeV bins over [86, 96]: the peak bin sits at M_Z, and the half
  // maximum is reached about Gamma_Z / 2 from it (a Breit-Wigner's FWHM is Gamma_Z).
  std::vector<double> h(40, 0.0);
  for (std::size_t r = 0; r < t.rows(); ++r) {
    const double x = t.at(r, m);
    if (x >= 86 && x < 96) h[static_cast<std::size_t>((x - 86) / 0.25)] += 1;
  }
  const auto peak = std::max_element(h.begin(), h.end()) - h.begin();
  EXPECT_NEAR(86 + 0.25 * (peak + 0.5), 91.1876, 0.4);
  const double half = h[peak] / 2;
  std::size_t above = 0;
  for (double x : h) above += x >= half;
  EXPECT_NEAR(0.25 * above, 2.4952, 0.75);
  for (std::size_t r = 0; r < t.rows(); ++r)
    for (const char* c : {"pT_plus", "pT_minus"}) {
      const double pt = t.at(r, t.column_index(c));
      ASSERT_GT(pt, cuts.pt_min);
      ASSERT_LT(pt, cuts.pt_max);
    }
  // delta_phi is the opening angle: inside [0, pi], and the back-to-back peak of a Z with
  // little recoil sits at pi alone (the events within 0.1 of pi are many, none near -pi).
  const std::size_t dphi = t.column_index("delta_phi");
  std::size_t near_pi = 0;
  for (std::size_t r = 0; r < t.rows(); ++r) {
    ASSERT_GE(t.at(r, dphi), 0.0);
    ASSERT_LE(t.at(r, dphi), M_PI);
    near_pi += t.at(r, dphi) > M_PI - 0.1;
  }
  EXPECT_GT(near_pi, t.rows() / 10);
  // Reproducible.
  SelectionReport again;
  EXPECT_EQ(generate_zjet(100, 3, cuts, again).values(),
            std::vector<double>(t.values().begin(), t.values().begin() + 700));
}

TEST(Zjet, EventsConserveMomentumAndHaveTheZMass) {
  const ZjetParameters p;
  Event e;
  for (std::uint64_t i = 0; i < 200; ++i) {
    generate_zjet_event(9, i, p, e);
    const Particle& a = e.particles[0];
    const Particle& b = e.particles[1];
    const Particle& jet = e.particles[2];
    EXPECT_NEAR(a.px + b.px + jet.px, 0.0, 1e-9);
    EXPECT_NEAR(a.py + b.py + jet.py, 0.0, 1e-9);
    const double E = a.e + b.e, px = a.px + b.px, py = a.py + b.py, pz = a.pz + b.pz;
    const double m = std::sqrt(E * E - px * px - py * py - pz * pz);
    EXPECT_GT(m, p.mass_min - 1e-6);
    EXPECT_LT(m, p.mass_max + 1e-6);
    EXPECT_EQ(a.pdg_id, -b.pdg_id);
  }
}

}  // namespace
}  // namespace qgen::data
