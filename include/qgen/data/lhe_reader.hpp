// Les Houches Event files (LHE 1.0 and 3.0, plain or gzip-compressed), read one event at a time.
//
// Each <event> block starts with "NUP IDPRUP XWGTUP SCALUP AQEDUP AQCDUP" and has NUP particle
// lines "IDUP ISTUP MOTHUP1 MOTHUP2 ICOLUP1 ICOLUP2 PX PY PZ E M VTIMUP SPINUP" (GeV), then
// optional lines: comments, and in LHE 3 a <rwgt> block of <wgt id='...'> values. The event
// weight is XWGTUP, kept with its sign. An event whose particle count differs from NUP, a
// malformed number or an unterminated block is a DataError naming the file, event and line.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "qgen/data/event.hpp"
#include "qgen/data/line_reader.hpp"

namespace qgen::data {

struct LheInit {
  int beam_pdg_id[2] = {0, 0};
  double beam_energy[2] = {0, 0};  // GeV
  int weighting = 0;               // IDWTUP
  std::vector<double> cross_sections;  // pb, one per process
  std::string version;             // the <LesHouchesEvents version="..."> attribute
};

class LheReader {
public:
  /// With `named_weights`, LHE 3 <wgt> entries are parsed into Event::named_weights; without,
  /// they are skipped (generators such as MadGraph write a hundred per event).
  explicit LheReader(const std::string& path, bool named_weights = false);

  const LheInit& init() const { return init_; }

  /// The next event; false after the last.
  bool next(Event& event);

private:
  [[noreturn]] void fail(const std::string& what) const;

  LineReader lines_;
  bool named_weights_;
  LheInit init_;
  std::size_t events_ = 0;
};

}  // namespace qgen::data
