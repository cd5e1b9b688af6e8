// Real CMS collision data (inputs/data/Zmumu_Run2011A.csv, CERN Open Data, CC0): the dimuon
// mass peak of opposite-sign pairs sits at the Z.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "../support/temp_dir.hpp"
#include "qgen/data/event_input.hpp"

namespace qgen::data {
namespace {

const std::string kCms = testing::source_path("inputs/data/Zmumu_Run2011A.csv");

TEST(CmsZmumu, SameSignPairsDroppedAndTheMassPeakAtTheZ) {
  InputOptions options;
  options.observables = ObservableSet::zll;
  // Keep every opposite-sign pair: only the sign and flavour decide here.
  options.leptons = {0.0, 1e9, 1e9};
  InputReport report;
  const Table t = load_events(kCms, options, report);
  EXPECT_EQ(report.format, InputFormat::csv);
  EXPECT_EQ(report.selection.read, 10583u);
  EXPECT_EQ(report.selection.dropped.at("same-sign lepton pair"), 356u);
  EXPECT_EQ(t.rows(), 10583u - 356u);

  // The mode of M_ll in 0.5 GeV bins over [60, 120] GeV.
  const std::size_t m = t.column_index("M_ll");
  std::vector<int> h(120, 0);
  for (std::size_t r = 0; r < t.rows(); ++r) {
    const double x = t.at(r, m);
    if (x >= 60 && x < 120) ++h[static_cast<std::size_t>((x - 60) / 0.5)];
  }
  const auto peak = std::max_element(h.begin(), h.end()) - h.begin();
  const double mode = 60 + 0.5 * (peak + 0.5);
  EXPECT_NEAR(mode, 91.0, 1.0) << "dimuon mass peak at " << mode << " GeV";
}

TEST(CmsZmumu, DefaultPaperCutsKeepTheBulk) {
  InputOptions options;
  options.observables = ObservableSet::zll;
  InputReport report;
  const Table t = load_events(kCms, options, report);
  EXPECT_GT(t.rows(), 9000u);
  const auto s = summarize(t);
  EXPECT_GT(s[t.column_index("pT_plus")].min, 15.0);
  EXPECT_LT(s[t.column_index("pT_minus")].max, 150.0);
}

}  // namespace
}  // namespace qgen::data
