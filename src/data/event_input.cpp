#include "qgen/data/event_input.hpp"

#include <filesystem>
#include <fstream>

#include "qgen/core/text.hpp"
#include "qgen/data/csv_reader.hpp"
#include "qgen/core/errors.hpp"
#include "qgen/data/hdf5_table.hpp"
#include "qgen/data/hepmc3_reader.hpp"
#include "qgen/data/lhe_reader.hpp"
#include "qgen/data/line_reader.hpp"

namespace qgen::data {
namespace {

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

const std::vector<std::string> kLeptonColumns = {"pt1", "eta1", "phi1", "Q1",
                                                 "pt2", "eta2", "phi2", "Q2"};

Table keep_columns(Table table, const std::vector<std::string>& columns) {
  return columns.empty() ? table : table.select(columns);
}

// zll from a table of lepton pairs.
Table zll_from_pairs(const std::string& path, const Table& pairs, const InputOptions& options,
                     InputReport& report) {
  const ObservableBuilder builder(ObservableSet::zll, options.jet, options.leptons);
  Table out(builder.columns());
  for (std::size_t r = 0; r < pairs.rows(); ++r) {
    const auto x = pairs.row(r);
    auto charge = [&](double q, const char* column) {
      if (q != 1.0 && q != -1.0)
        throw core::DataError("'" + path + "', event " + std::to_string(r + 1) + ": charge " + column +
                        " = " + core::number_text(q) + " is not +1 or -1");
      return static_cast<int>(q);
    };
    const Lepton a{x[0], x[1], x[2], charge(x[3], "Q1"), 13};
    const Lepton b{x[4], x[5], x[6], charge(x[7], "Q2"), 13};
    builder.add_pair(a, b, pairs.weight(r), out, report.selection);
  }
  return out;
}

template <typename Reader>
Table observables_from_events(Reader& reader, const InputOptions& options, InputReport& report) {
  const ObservableBuilder builder(options.observables, options.jet, options.leptons);
  Table out(builder.columns());
  Event event;
  while ((options.max_events == 0 || report.selection.read < options.max_events) &&
         reader.next(event))
    builder.add(event, out, report.selection);
  return out;
}

Table read_table(const std::string& path, InputFormat format, const std::vector<std::string>& columns,
                 const InputOptions& options, InputReport& report) {
  if (format == InputFormat::hdf5) {
    Table t = read_hdf5_table(path, columns);
    if (options.max_events && t.rows() > options.max_events) {
      std::vector<std::size_t> first(options.max_events);
      for (std::size_t k = 0; k < first.size(); ++k) first[k] = k;
      t = t.take(first);
    }
    return t;
  }
  CsvReport csv;
  Table t = read_csv_table(path, {columns, options.skip_bad_rows, options.max_events}, &csv);
  report.rows_skipped = csv.rows_skipped;
  report.first_skipped = csv.first_skipped;
  return t;
}

}  // namespace

InputFormat detect_format(const std::string& path) {
  if (!std::filesystem::exists(path)) throw core::DataError("file '" + path + "' does not exist");
  if (!std::filesystem::is_regular_file(path)) throw core::DataError("'" + path + "' is not a file");
  if (ends_with(path, ".h5") || ends_with(path, ".hdf5")) return InputFormat::hdf5;
  if (ends_with(path, ".csv") || ends_with(path, ".csv.gz")) return InputFormat::csv;
  if (ends_with(path, ".lhe") || ends_with(path, ".lhe.gz")) return InputFormat::lhe;
  if (ends_with(path, ".hepmc") || ends_with(path, ".hepmc3")) return InputFormat::hepmc3;
  // Unknown extension: look inside.
  {
    std::ifstream in(path, std::ios::binary);
    char magic[8] = {};
    in.read(magic, 8);
    if (std::string(magic, 8) == "\x89HDF\r\n\x1a\n") return InputFormat::hdf5;
  }
  LineReader lines(path);
  std::string_view line;
  while (lines.next(line)) {
    if (line.find_first_not_of(" \t") == std::string_view::npos) continue;
    if (line.find("<LesHouchesEvents") != std::string_view::npos || line.rfind("<?xml", 0) == 0)
      return InputFormat::lhe;
    if (line.rfind("HepMC::Version", 0) == 0) return InputFormat::hepmc3;
    if (line.find(',') != std::string_view::npos) return InputFormat::csv;
    break;
  }
  throw core::DataError("cannot tell the format of '" + path +
                  "' (use .h5, .csv, .lhe, .lhe.gz or .hepmc3)");
}

Table load_events(const std::string& path, const InputOptions& options, InputReport& report) {
  report = InputReport{};
  report.format = detect_format(path);
  const bool table_format = report.format == InputFormat::hdf5 || report.format == InputFormat::csv;
  Table table;
  if (table_format) {
    if (options.observables == ObservableSet::jet)
      throw core::DataError("'" + path + "' is a table; jet observables need particle-level events "
                      "(LHE or HepMC3)");
    if (options.observables == ObservableSet::zll) {
      const Table pairs = read_table(path, report.format, kLeptonColumns, options, report);
      table = keep_columns(zll_from_pairs(path, pairs, options, report), options.columns);
    } else {
      table = read_table(path, report.format, options.columns, options, report);
      report.selection.read = report.selection.kept = table.rows();
    }
  } else {
    if (options.observables == ObservableSet::columns)
      throw core::DataError("'" + path + "' holds particle-level events: choose the observables "
                      "(jet or zll)");
    if (report.format == InputFormat::lhe) {
      LheReader reader(path);
      table = observables_from_events(reader, options, report);
    } else {
      HepMC3Reader reader(path);
      table = observables_from_events(reader, options, report);
    }
    table = keep_columns(std::move(table), options.columns);
  }
  if (table.rows() == 0) {
    std::string why;
    for (const auto& [reason, n] : report.selection.dropped)
      why += (why.empty() ? "" : "; ") + std::to_string(n) + " " + reason;
    throw core::DataError("no events of '" + path + "' pass the selection (" +
                    std::to_string(report.selection.read) + " read" +
                    (why.empty() ? "" : ": " + why) + ")");
  }
  return table;
}

}  // namespace qgen::data
