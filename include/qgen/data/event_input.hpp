// One entry point for every event source: a file in any supported format turned into a table
// of the requested observables, with a report of what was read, kept and dropped (and why).
//
//   format   by extension: .h5/.hdf5 (HDF5 table), .csv[.gz], .lhe[.gz], .hepmc/.hepmc3;
//            otherwise recognised from the content.
//   columns  table inputs as they are (optionally a subset of columns).
//   jet      event files (LHE, HepMC3): the leading-jet observables.
//   zll      event files, or tables of lepton pairs with columns pt1, eta1, phi1, Q1, pt2, eta2,
//            phi2, Q2 (the CMS dimuon layout; the two leptons are taken as the same flavour).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "qgen/core/enum_names.hpp"
#include "qgen/data/observables.hpp"
#include "qgen/data/table.hpp"

namespace qgen::data {

enum class InputFormat { hdf5, csv, lhe, hepmc3 };

constexpr auto enum_names(InputFormat) {
  using enum InputFormat;
  return std::array{core::EnumName{hdf5, "hdf5"}, core::EnumName{csv, "csv"}, core::EnumName{lhe, "lhe"}, core::EnumName{hepmc3, "hepmc3"}};
}
InputFormat detect_format(const std::string& path);

struct InputOptions {
  ObservableSet observables = ObservableSet::columns;
  std::vector<std::string> columns;  // keep only these (all when empty)
  bool skip_bad_rows = false;        // CSV
  JetCuts jet;
  LeptonCuts leptons;
  std::size_t max_events = 0;        // 0: all
};

struct InputReport {
  InputFormat format = InputFormat::csv;
  SelectionReport selection;
  std::size_t rows_skipped = 0;  // malformed CSV rows dropped under skip_bad_rows
  std::string first_skipped;
};

/// DataError when the file is missing, unreadable, malformed, lacks a column, or no event
/// survives the selection.
Table load_events(const std::string& path, const InputOptions& options, InputReport& report);

}  // namespace qgen::data
