// CSV event tables: a header row of column names, then one event per row; lines starting with
// '#' and blank lines are ignored; fields are separated by commas (no quoting). Only the
// selected columns are parsed, so other columns may hold anything.
//
// A row with the wrong number of fields, a field that is not a number, or a value that is NaN or
// infinite is a DataError naming the file, the line and the column -- unless `skip_bad_rows`,
// which drops such rows and counts them.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "qgen/data/table.hpp"

namespace qgen::data {

struct CsvOptions {
  std::vector<std::string> columns;  // empty: all
  bool skip_bad_rows = false;
  std::size_t max_rows = 0;          // 0: all
};

struct CsvReport {
  std::size_t rows_read = 0;
  std::size_t rows_skipped = 0;
  std::string first_skipped;  // the reason and line of the first skipped row
};

Table read_csv_table(const std::string& path, const CsvOptions& options = {},
                     CsvReport* report = nullptr);

}  // namespace qgen::data
