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
  // A random subset of the events (qgen train's data.fraction, data.fraction-seed): the rows
  // `fraction_rows` keeps, after the cuts. 1: every event.
  double fraction = 1.0;
  std::uint64_t fraction_seed = 1;
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

/// The rows of a random subset of `fraction` of `n` events, in ascending order: the subset rule
/// of `qgen data --fraction F --split-seed S` and of qgen train's data.fraction (data/split.hpp's
/// random_subset with seed S + 1), so both keep the same events. Nested: for one seed and n, a
/// smaller fraction's rows are among a larger one's (the training-size study, paper 000 Fig. 7).
std::vector<std::size_t> fraction_rows(std::size_t n, double fraction, std::uint64_t seed);

/// Reads or generates the events (and keeps the source's fraction of them). DataError (bad data) and InputError (bad choices) propagate.
LoadedData load_data(const DataSource& source);

/// Events read, kept and dropped (by reason), per-column min/mean/max/std and the correlation
/// matrix, as text.
std::string describe_data(const LoadedData& loaded);

}  // namespace qgen::app
