#include "qgen/data/csv_reader.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "qgen/core/errors.hpp"
#include "qgen/data/line_reader.hpp"

namespace qgen::data {
namespace {

bool skippable(std::string_view line) {
  const std::string_view t = trim(line);
  return t.empty() || t.front() == '#';
}

// Splits on commas into `fields` (views into `line`).
void split_fields(std::string_view line, std::vector<std::string_view>& fields) {
  fields.clear();
  std::size_t start = 0;
  for (;;) {
    const std::size_t comma = line.find(',', start);
    fields.push_back(trim(line.substr(start, comma - start)));
    if (comma == std::string_view::npos) return;
    start = comma + 1;
  }
}

}  // namespace

Table read_csv_table(const std::string& path, const CsvOptions& options, CsvReport* report) {
  LineReader reader(path);
  std::string_view line;
  std::vector<std::string_view> fields;

  // Header.
  bool have_header = false;
  while (reader.next(line))
    if (!skippable(line)) {
      have_header = true;
      break;
    }
  if (!have_header) throw core::DataError("CSV file '" + path + "' is empty (no header row)");
  split_fields(line, fields);
  std::vector<std::string> header(fields.begin(), fields.end());
  for (std::size_t k = 0; k < header.size(); ++k) {
    const std::string where = "CSV file '" + path + "', line " + std::to_string(reader.line_number());
    if (header[k].empty())
      throw core::DataError(where + ": header field " + std::to_string(k + 1) + " is empty");
    // Column names are text: control bytes mean a binary file (a .gz that is not gzip, ...),
    // and printing them would garble the terminal.
    for (unsigned char ch : header[k])
      if (ch < 0x20 || ch == 0x7f)
        throw core::DataError(where + ": the header is not text (binary data?)");
  }

  const std::vector<std::string> names = options.columns.empty() ? header : options.columns;
  std::vector<std::size_t> index;
  for (const auto& name : names) {
    const auto it = std::find(header.begin(), header.end(), name);
    if (it == header.end()) {
      std::string list;
      for (const auto& h : header) list += (list.empty() ? "" : ", ") + h;
      throw core::DataError("CSV file '" + path + "': no column '" + name + "' (columns: " + list + ")");
    }
    index.push_back(static_cast<std::size_t>(it - header.begin()));
  }

  Table table(names);
  CsvReport local;
  CsvReport& r = report ? *report : local;
  r = CsvReport{};
  std::vector<double> row(names.size());
  while (reader.next(line)) {
    if (skippable(line)) continue;
    split_fields(line, fields);
    std::string problem;
    if (fields.size() != header.size()) {
      problem = std::to_string(fields.size()) + " fields, the header has " +
                std::to_string(header.size());
    } else {
      for (std::size_t k = 0; k < index.size(); ++k) {
        const std::string_view f = fields[index[k]];
        // from_chars takes no leading '+', which some writers emit.
        const std::string_view digits = !f.empty() && f.front() == '+' ? f.substr(1) : f;
        double value = 0;
        const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
        if (ec != std::errc() || end != digits.data() + digits.size() || digits.empty()) {
          problem = "column '" + names[k] + "' is not a number: '" + std::string(f) + "'";
          break;
        }
        if (!std::isfinite(value)) {
          problem = "column '" + names[k] + "' is " + std::string(f) + " (not finite)";
          break;
        }
        row[k] = value;
      }
    }
    if (!problem.empty()) {
      const std::string where = "CSV file '" + path + "', line " + std::to_string(reader.line_number());
      if (!options.skip_bad_rows)
        throw core::DataError(where + ": " + problem + " (--skip-bad-rows drops such rows)");
      if (r.rows_skipped++ == 0) r.first_skipped = where + ": " + problem;
      continue;
    }
    table.append(row);
    ++r.rows_read;
    if (options.max_rows && r.rows_read >= options.max_rows) break;
  }
  if (table.rows() == 0) throw core::DataError("CSV file '" + path + "' holds no valid rows");
  return table;
}

}  // namespace qgen::data
