// HepMC3 files written here with HepMC3's own writer, read back; jets from FastJet checked
// against four-vector sums computed in the test.
#include <gtest/gtest.h>

#include <HepMC3/GenEvent.h>
#include <HepMC3/GenParticle.h>
#include <HepMC3/GenVertex.h>
#include <HepMC3/WriterAscii.h>

#include <cmath>
#include <fstream>
#include <iterator>

#include "../support/count_events.hpp"
#include "../support/expect_error.hpp"
#include "../support/temp_dir.hpp"
#include "qgen/core/errors.hpp"
#include "qgen/data/hepmc3_reader.hpp"
#include "qgen/data/jets.hpp"
#include "qgen/data/observables.hpp"

namespace qgen::data {
namespace {

struct P {
  int id, status;
  double px, py, pz, e;
};

// One event: a vertex with two incoming protons and the given outgoing particles.
void write_events(const std::string& path, const std::vector<std::vector<P>>& events,
                  HepMC3::Units::MomentumUnit unit, const std::vector<double>& weights) {
  HepMC3::WriterAscii writer(path);
  for (std::size_t k = 0; k < events.size(); ++k) {
    HepMC3::GenEvent event(unit, HepMC3::Units::MM);
    event.set_event_number(static_cast<int>(k + 1));
    auto vertex = std::make_shared<HepMC3::GenVertex>();
    const double beam = unit == HepMC3::Units::MEV ? 6.5e6 : 6500.0;
    vertex->add_particle_in(std::make_shared<HepMC3::GenParticle>(
        HepMC3::FourVector(0, 0, beam, beam), 2212, 4));
    vertex->add_particle_in(std::make_shared<HepMC3::GenParticle>(
        HepMC3::FourVector(0, 0, -beam, beam), 2212, 4));
    for (const P& p : events[k])
      vertex->add_particle_out(std::make_shared<HepMC3::GenParticle>(
          HepMC3::FourVector(p.px, p.py, p.pz, p.e), p.id, p.status));
    event.add_vertex(vertex);
    event.weights() = {weights[k]};
    writer.write_event(event);
  }
  writer.close();
}

P massless(int id, double pt, double eta, double phi) {
  return {id, 1, pt * std::cos(phi), pt * std::sin(phi), pt * std::sinh(eta), pt * std::cosh(eta)};
}

TEST(HepMC3, ReadsParticlesWeightsAndConvertsMeV) {
  testing::TempDir dir;
  const std::vector<std::vector<P>> events = {
      {massless(11, 40, 0.5, 0.1), massless(-11, 35, -0.3, 3.0)},
      {{211, 1, 1000, 2000, 3000, 5000}, {22, 2, 0, 0, 10, 10}}};
  write_events(dir.file("mev.hepmc3"), events, HepMC3::Units::MEV, {1.5, -0.25});
  HepMC3Reader reader(dir.file("mev.hepmc3"));
  Event e;
  ASSERT_TRUE(reader.next(e));
  EXPECT_EQ(e.weight, 1.5);
  ASSERT_EQ(e.particles.size(), 4u);  // two beams, two leptons
  ASSERT_TRUE(reader.next(e));
  EXPECT_EQ(e.weight, -0.25);
  const Particle& pion = e.particles[2];
  EXPECT_EQ(pion.pdg_id, 211);
  EXPECT_DOUBLE_EQ(pion.px, 1.0);  // MeV -> GeV
  EXPECT_DOUBLE_EQ(pion.e, 5.0);
  EXPECT_EQ(e.particles[3].status, 2);
  EXPECT_FALSE(reader.next(e));
}

TEST(HepMC3, NotAHepMC3File) {
  testing::TempDir dir;
  testing::expect_error<core::DataError>([&] { HepMC3Reader(dir.write("x.hepmc3", "a,b\n1,2\n")); },
                                   "is not a HepMC3 ASCII file");
  testing::expect_error<core::DataError>([&] { HepMC3Reader(dir.file("none.hepmc3")); }, "does not exist");
  testing::expect_error<core::DataError>(
      [&] {
        HepMC3Reader(dir.write("v2.hepmc", "HepMC::Version 2.06.09\nHepMC::IO_GenEvent-START_EVENT_LISTING\n"));
      },
      "a HepMC2 file?");
}

std::size_t count_events(const std::string& path) {
  return testing::count_events<HepMC3Reader>(path);
}

TEST(HepMC3, CorruptOrTruncatedEventsAreErrorsNotTheEnd) {
  testing::TempDir dir;
  std::vector<std::vector<P>> events;
  for (int k = 0; k < 5; ++k) events.push_back({massless(211, 10 + k, 0.1, 0.2), massless(22, 5, -1, 1)});
  write_events(dir.file("ok.hepmc3"), events, HepMC3::Units::GEV, {1, 1, 1, 1, 1});
  EXPECT_EQ(count_events(dir.file("ok.hepmc3")), 5u);
  std::ifstream in(dir.file("ok.hepmc3"));
  const std::string text((std::istreambuf_iterator<char>(in)), {});
  // Cut inside the third event's particle lines.
  const auto third = text.find("E 3 ");
  const auto cut = text.find("\nP ", text.find("\nP ", third) + 1);
  dir.write("cut.hepmc3", text.substr(0, cut + 5));
  testing::expect_error<core::DataError>([&] { count_events(dir.file("cut.hepmc3")); },
                                   "cannot parse it (corrupt or truncated file)");
  // A momentum that is not a number.
  std::string nan = text;
  const auto line = nan.find("\nP ", third);
  const auto field = nan.find(' ', nan.find(' ', nan.find(' ', nan.find(' ', nan.find(' ', line + 1) + 1) + 1) + 1) + 1);
  nan.replace(field + 1, nan.find(' ', field + 1) - field - 1, "nan");
  dir.write("nan.hepmc3", nan);
  testing::expect_error<core::DataError>([&] { count_events(dir.file("nan.hepmc3")); }, "not finite");
}

TEST(Jets, AntiKtMergesCloseParticlesAndIgnoresNeutrinos) {
  // Two particles 0.4 apart in (eta, phi) form one R = 1.0 jet whose four-momentum is their
  // sum; a third one far away is its own jet; a neutrino inside the first jet is ignored.
  Event e;
  const P a = massless(211, 100, 0.2, 0.0), b = massless(211, 60, 0.2, 0.4),
          c = massless(211, 30, -1.5, 3.0), nu = massless(14, 80, 0.3, 0.2);
  for (const P& p : {a, b, c, nu}) e.particles.push_back({p.id, 1, p.px, p.py, p.pz, p.e, 0.0});
  const auto jets = cluster_jets(e, 1.0);
  ASSERT_EQ(jets.size(), 2u);
  const double px = a.px + b.px, py = a.py + b.py, pz = a.pz + b.pz, en = a.e + b.e;
  EXPECT_NEAR(jets[0].pt, std::hypot(px, py), 1e-9);
  EXPECT_NEAR(jets[0].mass, std::sqrt(en * en - px * px - py * py - pz * pz), 1e-9);
  EXPECT_NEAR(jets[1].pt, 30, 1e-9);
  EXPECT_NEAR(jets[1].eta, -1.5, 1e-9);
  EXPECT_GE(jets[1].mass, 0.0);  // one massless particle: 0, never negative
  // With R = 0.3 the two close particles are separate jets.
  EXPECT_EQ(cluster_jets(e, 0.3).size(), 3u);
}

TEST(Jets, JetObservablesFromAHepMC3File) {
  testing::TempDir dir;
  const std::vector<std::vector<P>> events = {
      {massless(21, 300, 0.5, 0.0), massless(21, 280, -0.4, 3.1)},  // HT = 580
      {massless(21, 100, 0.0, 0.0), massless(21, 90, 1.0, 3.0)},    // leading pT 100
      {massless(21, 500, 3.0, 0.0), massless(21, 200, 0.1, 3.0)}};  // leading jet at eta 3
  write_events(dir.file("jets.hepmc3"), events, HepMC3::Units::GEV, {1, 1, 1});
  JetCuts cuts;
  cuts.pt_min = 150;
  cuts.abs_eta_max = 2.5;
  cuts.ht_min = 300;
  const ObservableBuilder builder(ObservableSet::jet, cuts, LeptonCuts{});
  Table t(builder.columns());
  SelectionReport report;
  HepMC3Reader reader(dir.file("jets.hepmc3"));
  Event e;
  while (reader.next(e)) builder.add(e, t, report);
  EXPECT_EQ(report.read, 3u);
  EXPECT_EQ(report.kept, 1u);
  EXPECT_EQ(report.dropped.at("leading jet pT below 150 GeV"), 1u);
  EXPECT_EQ(report.dropped.at("HT below 300 GeV"), 1u);  // the eta-3 jet is outside the cut
  ASSERT_EQ(t.rows(), 1u);
  EXPECT_NEAR(t.at(0, 0), 300, 1e-9);
  EXPECT_NEAR(t.at(0, 2), 0.5, 1e-9);
}

}  // namespace
}  // namespace qgen::data
