// LHE reading against the two shipped files (scikit-hep-testdata, inputs/data/): counts,
// weights and known records, then every malformation.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <zlib.h>

#include "../support/count_events.hpp"
#include "../support/expect_error.hpp"
#include "../support/temp_dir.hpp"
#include "qgen/core/errors.hpp"
#include "qgen/data/lhe_reader.hpp"

namespace qgen::data {
namespace {

using testing::expect_error;
const std::string kPowheg = testing::source_path("inputs/data/pylhe-testfile-powheg-box-v2-Z.lhe");
const std::string kMadgraph =
    testing::source_path("inputs/data/pylhe-testfile-madgraph5-3.5.8-pp_to_jj.lhe.gz");

std::string read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

std::size_t count_events(const std::string& path) { return testing::count_events<LheReader>(path); }

TEST(Lhe, PowhegZFile) {
  LheReader reader(kPowheg);
  EXPECT_EQ(reader.init().beam_pdg_id[0], 2212);
  EXPECT_EQ(reader.init().beam_energy[1], 4000.0);
  EXPECT_EQ(reader.init().weighting, -4);
  ASSERT_EQ(reader.init().cross_sections.size(), 1u);
  EXPECT_DOUBLE_EQ(reader.init().cross_sections[0], 1205.36);
  Event e;
  ASSERT_TRUE(reader.next(e));
  EXPECT_EQ(e.number, 1u);
  EXPECT_DOUBLE_EQ(e.weight, 1223.55);
  ASSERT_EQ(e.particles.size(), 6u);
  // The fifth line of the first event: the electron.
  const Particle& electron = e.particles[3];
  EXPECT_EQ(electron.pdg_id, 11);
  EXPECT_EQ(electron.status, 1);
  EXPECT_DOUBLE_EQ(electron.px, 43.32302359);
  EXPECT_DOUBLE_EQ(electron.py, 2.737693503);
  EXPECT_DOUBLE_EQ(electron.pz, 134.4189865);
  EXPECT_DOUBLE_EQ(electron.e, 141.2545337);
  EXPECT_DOUBLE_EQ(electron.m, 5.1099891e-04);
  EXPECT_EQ(e.particles[0].status, -1);  // incoming u
  EXPECT_EQ(e.particles[2].pdg_id, 23);  // the Z
  std::size_t n = 1;
  double total = e.weight;
  while (reader.next(e)) {
    ++n;
    total += e.weight;
    EXPECT_EQ(e.particles.size(), 6u);
  }
  EXPECT_EQ(n, 100u);
  EXPECT_NEAR(total, 100 * 1223.55, 1e-6);
}

TEST(Lhe, MadgraphGzipFileWithNamedWeights) {
  {
    LheReader plain(kMadgraph);
    Event e;
    ASSERT_TRUE(plain.next(e));
    EXPECT_TRUE(e.named_weights.empty());  // skipped unless asked for
  }
  LheReader reader(kMadgraph, /*named_weights=*/true);
  EXPECT_EQ(reader.init().beam_energy[0], 6500.0);
  EXPECT_DOUBLE_EQ(reader.init().cross_sections.at(0), 6.996707e+08);
  EXPECT_EQ(reader.init().version, "3.0");
  Event e;
  ASSERT_TRUE(reader.next(e));
  EXPECT_DOUBLE_EQ(e.weight, 6.9967067e+08);
  ASSERT_EQ(e.particles.size(), 4u);
  EXPECT_EQ(e.particles[2].pdg_id, 21);
  EXPECT_DOUBLE_EQ(e.particles[2].px, 23.145962266);
  EXPECT_DOUBLE_EQ(e.particles[2].py, -7.6819854216);
  EXPECT_DOUBLE_EQ(e.particles[3].pz, 40.337514884);
  ASSERT_EQ(e.named_weights.size(), 145u);
  EXPECT_EQ(e.named_weights[0].first, "1");
  EXPECT_DOUBLE_EQ(e.named_weights[0].second, 7.5079318e+08);
  EXPECT_EQ(count_events(kMadgraph), 1000u);
}

TEST(Lhe, Malformations) {
  testing::TempDir dir;
  const std::string text = read_all(kPowheg);
  const auto first_event = text.find("<event>");

  // The first event announces 7 particles but has 6.
  std::string wrong = text;
  wrong.replace(wrong.find("      6  10011", first_event), 14, "      7  10011");
  expect_error<core::DataError>([&] { count_events(dir.write("count.lhe", wrong)); },
                          "event 1: NUP = 7 particles announced, 6 found");

  // ... or 5 with six lines.
  std::string extra = text;
  extra.replace(extra.find("      6  10011", first_event), 14, "      5  10011");
  expect_error<core::DataError>([&] { count_events(dir.write("extra.lhe", extra)); },
                          "event 1: more particle lines than NUP = 5");

  // A broken number.
  std::string broken = text;
  broken.replace(broken.find("4.332302359E+01"), 15, "4.33230x359E+01");
  expect_error<core::DataError>([&] { count_events(dir.write("broken.lhe", broken)); },
                          "malformed particle line 4");

  // The file stops inside an event, at the end of a line.
  const auto cut = text.find('\n', first_event + 400) + 1;
  expect_error<core::DataError>([&] { count_events(dir.write("cut.lhe", text.substr(0, cut))); },
                          "event 1: file ends inside the event");
  // ... or in the middle of a line.
  expect_error<core::DataError>([&] { count_events(dir.write("mid.lhe", text.substr(0, first_event + 400))); },
                          "event 1: malformed particle line");
  // ... or after the particles, before </event>.
  const auto end_tag = text.find("</event>", first_event);
  expect_error<core::DataError>([&] { count_events(dir.write("tag.lhe", text.substr(0, end_tag))); },
                          "file ends before </event>");

  // Numbers that are not finite.
  std::string nan_weight = text;
  nan_weight.replace(nan_weight.find("1.22355E+03", first_event), 11, "nan");
  expect_error<core::DataError>([&] { count_events(dir.write("nanw.lhe", nan_weight)); },
                          "event 1: the weight XWGTUP is not finite");
  std::string inf_momentum = text;
  inf_momentum.replace(inf_momentum.find("4.332302359E+01"), 15, "inf");
  expect_error<core::DataError>([&] { count_events(dir.write("inf.lhe", inf_momentum)); },
                          "event 1: particle 4 has a momentum that is not finite");

  // Not an LHE file at all.
  expect_error<core::DataError>([&] { LheReader(dir.write("x.lhe", "a,b\n1,2\n")); },
                          "is not a Les Houches Event file");
  expect_error<core::DataError>([&] { LheReader(dir.file("absent.lhe")); }, "does not exist");

  // A gzip file cut short.
  const std::string gz = read_all(kMadgraph);
  const std::string truncated = dir.write("cut.lhe.gz", gz.substr(0, gz.size() / 3));
  expect_error<core::DataError>([&] { count_events(truncated); }, "gzip stream ends early");
}

}  // namespace
}  // namespace qgen::data
