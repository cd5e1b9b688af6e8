// Event tables in HDF5, the format qgen reads and writes.
//
// Written: a 2-D float64 dataset `events` [n_events, n_columns] whose attribute `columns` names
// the columns, an optional 1-D `weights` [n_events], and provenance attributes on the root.
// Read: that layout, or one 1-D float dataset per column (in the root group); columns are
// selected by name. Reading goes in blocks of rows, and every value is checked to be finite.
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "qgen/core/hdf5.hpp"
#include "qgen/data/table.hpp"

namespace qgen::data {

/// Reads the named columns (all when empty) of the table in `path`.
Table read_hdf5_table(const std::string& path, const std::vector<std::string>& columns = {});

/// Writes `table` to `path` atomically (temporary name, then rename) with `attributes` on the
/// root group.
void write_hdf5_table(const std::string& path, const Table& table,
                      const std::vector<core::hdf5::Attribute>& attributes = {});

}  // namespace qgen::data
