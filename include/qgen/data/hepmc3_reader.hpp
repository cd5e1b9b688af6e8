// HepMC3 ASCII event files, read through the HepMC3 library one event at a time. Particles
// come out in GeV whatever unit the file uses; the event weight is the first weight (1 when
// the file has none). A file that is not HepMC3 ASCII (HepMC2 included), an event the library
// cannot parse, or a weight or momentum that is not finite is a DataError naming the file and
// the event.
#pragma once

#include <fstream>
#include <memory>
#include <string>

#include "qgen/data/event.hpp"

namespace HepMC3 {
class ReaderAscii;
}

namespace qgen::data {

class HepMC3Reader {
public:
  explicit HepMC3Reader(const std::string& path);
  ~HepMC3Reader();

  bool next(Event& event);

private:
  std::string path_;
  std::ifstream stream_;  // read by the library; its state tells a parse error from the end
  std::unique_ptr<HepMC3::ReaderAscii> reader_;
  std::size_t events_ = 0;
};

}  // namespace qgen::data
