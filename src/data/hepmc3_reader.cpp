#include "qgen/data/hepmc3_reader.hpp"

#include <HepMC3/GenEvent.h>
#include <HepMC3/GenParticle.h>
#include <HepMC3/ReaderAscii.h>
#include <HepMC3/Setup.h>

#include <filesystem>
#include <fstream>

#include "qgen/data/data_error.hpp"

namespace qgen::data {

HepMC3Reader::HepMC3Reader(const std::string& path) : path_(path) {
  if (!std::filesystem::exists(path)) throw DataError("file '" + path + "' does not exist");
  {
    std::ifstream in(path);
    if (!in) throw DataError("cannot read file '" + path + "'");
    std::string first;
    while (std::getline(in, first) && first.find_first_not_of(" \t\r") == std::string::npos) {
    }
    if (first.rfind("HepMC::Version", 0) != 0 && first.rfind("HepMC::Asciiv3", 0) != 0)
      throw DataError("file '" + path + "' is not a HepMC3 ASCII file (it does not start with "
                      "'HepMC::Version')");
  }
  // The library prints its own complaints; qgen reports errors itself.
  HepMC3::Setup::set_print_errors(false);
  HepMC3::Setup::set_print_warnings(false);
  reader_ = std::make_unique<HepMC3::ReaderAscii>(path);
  if (reader_->failed()) throw DataError("cannot open HepMC3 file '" + path + "'");
}

HepMC3Reader::~HepMC3Reader() = default;

bool HepMC3Reader::next(Event& event) {
  HepMC3::GenEvent in;
  const bool ok = reader_->read_event(in);
  if (!ok || reader_->failed()) {
    // ReaderAscii reports the end of the file as a failed read of an empty event.
    if (in.particles().empty() && in.vertices().empty()) return false;
    throw DataError("HepMC3 file '" + path_ + "': cannot parse event " +
                    std::to_string(events_ + 1));
  }
  ++events_;
  const double to_gev = in.momentum_unit() == HepMC3::Units::MEV ? 1e-3 : 1.0;
  event.number = events_;
  event.weight = in.weights().empty() ? 1.0 : in.weights().front();
  event.named_weights.clear();
  event.particles.clear();
  event.particles.reserve(in.particles().size());
  for (const auto& p : in.particles()) {
    const auto& m = p->momentum();
    event.particles.push_back({p->pid(), p->status(), m.px() * to_gev, m.py() * to_gev,
                               m.pz() * to_gev, m.e() * to_gev, p->generated_mass() * to_gev});
  }
  return true;
}

}  // namespace qgen::data
