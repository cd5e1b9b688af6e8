#include "qgen/data/hepmc3_reader.hpp"

#include <HepMC3/GenEvent.h>
#include <HepMC3/GenParticle.h>
#include <HepMC3/ReaderAscii.h>
#include <HepMC3/Setup.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "qgen/core/errors.hpp"

namespace qgen::data {

HepMC3Reader::HepMC3Reader(const std::string& path) : path_(path) {
  if (!std::filesystem::exists(path)) throw core::DataError("file '" + path + "' does not exist");
  if (!std::filesystem::is_regular_file(path)) throw core::DataError("'" + path + "' is not a file");
  {
    // HepMC3 ASCII: "HepMC::Version 3..." then "HepMC::Asciiv3-START_EVENT_LISTING". HepMC2
    // files share the first line's prefix but not the second.
    std::ifstream in(path);
    if (!in) throw core::DataError("cannot read file '" + path + "'");
    std::string first, second;
    while (std::getline(in, first) && first.find_first_not_of(" \t\r") == std::string::npos) {
    }
    std::getline(in, second);
    if (first.rfind("HepMC::Version", 0) != 0)
      throw core::DataError("file '" + path + "' is not a HepMC3 ASCII file (it does not start with "
                      "'HepMC::Version')");
    if (second.rfind("HepMC::Asciiv3-START_EVENT_LISTING", 0) != 0)
      throw core::DataError("file '" + path + "' is not HepMC3 ASCII (a HepMC2 file? its second line "
                      "is not 'HepMC::Asciiv3-START_EVENT_LISTING')");
  }
  // The library prints its own complaints; qgen reports errors itself.
  HepMC3::Setup::set_print_errors(false);
  HepMC3::Setup::set_print_warnings(false);
  stream_.open(path);
  reader_ = std::make_unique<HepMC3::ReaderAscii>(stream_);
}

HepMC3Reader::~HepMC3Reader() = default;

bool HepMC3Reader::next(Event& event) {
  HepMC3::GenEvent in;
  const std::string which = "HepMC3 file '" + path_ + "', event " + std::to_string(events_ + 1);
  if (!reader_->read_event(in) || reader_->failed()) {
    // At the end the library reads nothing and leaves an empty event; a parse error sets the
    // stream's badbit (ReaderAscii marks what it could not parse).
    if (stream_.bad() || !in.particles().empty())
      throw core::DataError(which + ": cannot parse it (corrupt or truncated file)");
    return false;
  }
  ++events_;
  const double to_gev = in.momentum_unit() == HepMC3::Units::MEV ? 1e-3 : 1.0;
  event.number = events_;
  event.weight = in.weights().empty() ? 1.0 : in.weights().front();
  if (!std::isfinite(event.weight)) throw core::DataError(which + ": the weight is not finite");
  event.named_weights.clear();
  event.particles.clear();
  event.particles.reserve(in.particles().size());
  for (const auto& p : in.particles()) {
    const auto& m = p->momentum();
    const Particle particle{p->pid(), p->status(), m.px() * to_gev, m.py() * to_gev,
                            m.pz() * to_gev, m.e() * to_gev, p->generated_mass() * to_gev};
    if (!std::isfinite(particle.px) || !std::isfinite(particle.py) ||
        !std::isfinite(particle.pz) || !std::isfinite(particle.e))
      throw core::DataError(which + ": particle " + std::to_string(event.particles.size() + 1) +
                      " has a momentum that is not finite");
    event.particles.push_back(particle);
  }
  return true;
}

}  // namespace qgen::data
