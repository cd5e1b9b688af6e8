// Where a command's events come from: a file (any format load_events reads) or a built-in
// generator, with the observables, columns and cuts to apply. `qgen data` uses these options
// unprefixed (--input, --generate, ...); `qgen train` under the [data] section (data.input, ...).
// The cuts live in their own sections, [jet] and [leptons], for both.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "qgen/app/options.hpp"
#include "qgen/data/event_input.hpp"
#include "qgen/data/generators.hpp"
#include "qgen/data/hdf5_table.hpp"
#include "qgen/data/table.hpp"

namespace qgen::app {

struct DataSource {
  std::string input;                       // a file, or
  std::optional<data::Generator> generator;  // a built-in generator
  std::size_t events = 0;
  std::uint64_t seed = 1;
  data::InputOptions options;
};

void add_data_source_options(po::options_description& options, const std::string& prefix);
/// InputError on contradictory or missing choices.
DataSource data_source_from(const po::variables_map& values, const std::string& prefix);

struct LoadedData {
  data::Table table;
  std::string description;  // "file.csv (csv), observables zll" / "generator dijet, seed 1"
  data::SelectionReport selection;
  std::size_t rows_skipped = 0;
  std::string first_skipped;
  std::vector<core::hdf5::Attribute> provenance;
};

/// Reads or generates the events. DataError (bad data) and InputError (bad choices) propagate.
LoadedData load_data(const DataSource& source);

/// Events read, kept and dropped (by reason), per-column min/mean/max/std and the correlation
/// matrix, as text.
std::string describe_data(const LoadedData& loaded);

}  // namespace qgen::app
