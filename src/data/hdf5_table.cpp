#include "qgen/data/hdf5_table.hpp"

#include <algorithm>
#include <cmath>

#include "qgen/core/atomic_file.hpp"
#include "qgen/core/errors.hpp"
#include "qgen/core/hdf5.hpp"

namespace qgen::data {
namespace {

constexpr hsize_t kBlockRows = 1 << 18;

void check_finite(const std::string& path, const std::vector<double>& block, hsize_t first_row,
                  const std::vector<std::string>& names) {
  const std::size_t nc = names.size();
  for (std::size_t k = 0; k < block.size(); ++k)
    if (!std::isfinite(block[k]))
      throw core::DataError("HDF5 file '" + path + "': row " + std::to_string(first_row + k / nc) +
                      ", column '" + names[k % nc] + "' is " + std::to_string(block[k]) +
                      " (not finite)");
}

std::vector<std::string> resolve(const std::vector<std::string>& wanted,
                                 const std::vector<std::string>& available,
                                 const std::string& path) {
  if (wanted.empty()) return available;
  for (const auto& name : wanted)
    if (std::find(available.begin(), available.end(), name) == available.end()) {
      std::string list;
      for (const auto& a : available) list += (list.empty() ? "" : ", ") + a;
      throw core::DataError("HDF5 file '" + path + "': no column '" + name + "' (columns: " + list + ")");
    }
  return wanted;
}

std::vector<double> read_weights(const core::hdf5::Location& file, hsize_t rows) {
  if (!file.has("weights")) return {};
  const auto d = file.dims("weights");
  if (d.size() != 1 || d[0] != rows)
    throw core::DataError("HDF5 file '" + file.file() + "': 'weights' has " +
                    std::to_string(d.empty() ? 0 : d[0]) + " entries for " +
                    std::to_string(rows) + " events");
  auto w = file.read_doubles("weights");
  for (std::size_t r = 0; r < w.size(); ++r)
    if (!std::isfinite(w[r]))
      throw core::DataError("HDF5 file '" + file.file() + "': weight of row " + std::to_string(r) +
                      " is not finite");
  return w;
}

Table read_matrix_layout(const core::hdf5::Location& file, const std::vector<std::string>& wanted) {
  const std::string& path = file.file();
  const auto d = file.dims("events");
  if (d.size() != 2)
    throw core::DataError("HDF5 file '" + path + "': dataset 'events' has " + std::to_string(d.size()) +
                    " dimensions, expected 2 [events, columns]");
  const core::hdf5::Location events = file.object("events");
  if (!events.has_attribute("columns"))
    throw core::DataError("HDF5 file '" + path + "': dataset 'events' has no 'columns' attribute");
  const std::vector<std::string> available = events.strings_attribute("columns");
  if (available.size() != d[1])
    throw core::DataError("HDF5 file '" + path + "': 'columns' names " + std::to_string(available.size()) +
                    " columns, 'events' has " + std::to_string(d[1]));
  const auto names = resolve(wanted, available, path);
  std::vector<hsize_t> index;
  for (const auto& n : names)
    index.push_back(std::find(available.begin(), available.end(), n) - available.begin());

  std::vector<double> values;
  values.reserve(d[0] * names.size());
  for (hsize_t first = 0; first < d[0]; first += kBlockRows) {
    const hsize_t count = std::min(kBlockRows, d[0] - first);
    auto block = file.read_rows("events", first, count, index);
    check_finite(path, block, first, names);
    values.insert(values.end(), block.begin(), block.end());
  }
  Table table(names);
  table.assign(std::move(values), read_weights(file, d[0]));
  return table;
}

Table read_column_layout(const core::hdf5::Location& file, const std::vector<std::string>& wanted) {
  const std::string& path = file.file();
  std::vector<std::string> available;
  for (const auto& m : file.members()) {
    if (m == "weights") continue;
    const bool is_dataset = H5Iget_type(file.object(m).id()) == H5I_DATASET;
    if (is_dataset && file.dims(m).size() == 1) available.push_back(m);
  }
  if (available.empty())
    throw core::DataError("HDF5 file '" + path + "' holds no event table (neither an 'events' dataset "
                    "nor 1-D column datasets)");
  const auto names = resolve(wanted, available, path);
  const hsize_t rows = file.dims(names[0])[0];
  std::vector<std::vector<double>> columns;
  for (const auto& n : names) {
    if (file.dims(n)[0] != rows)
      throw core::DataError("HDF5 file '" + path + "': column '" + n + "' has " +
                      std::to_string(file.dims(n)[0]) + " entries, '" + names[0] + "' has " +
                      std::to_string(rows));
    columns.push_back(file.read_doubles(n));
  }
  std::vector<double> values(rows * names.size());
  for (hsize_t r = 0; r < rows; ++r)
    for (std::size_t c = 0; c < names.size(); ++c) values[r * names.size() + c] = columns[c][r];
  check_finite(path, values, 0, names);
  Table table(names);
  table.assign(std::move(values), read_weights(file, rows));
  return table;
}

}  // namespace

Table read_hdf5_table(const std::string& path, const std::vector<std::string>& columns) {
  const core::hdf5::Location file = core::hdf5::open_file(path);
  // qgen's own results and checkpoints hold 1-D datasets too; they are not event tables.
  if (file.has_attribute("qgen_checkpoint"))
    throw core::DataError("'" + path + "' is a qgen checkpoint, not an event table");
  if (file.has("params") && file.has("target") && file.has("config"))
    throw core::DataError("'" + path + "' is a qgen results file, not an event table (its "
                          "samples are /samples; qgen sample draws more)");
  Table table = file.has("events") ? read_matrix_layout(file, columns)
                                   : read_column_layout(file, columns);
  if (table.rows() == 0) throw core::DataError("HDF5 file '" + path + "' holds no events");
  return table;
}

void write_hdf5_table(const std::string& path, const Table& table,
                      const std::vector<core::hdf5::Attribute>& attributes) {
  core::hdf5::write_file(path, [&](const core::hdf5::Location& file) {
    file.write("events", std::span<const double>(table.values()),
               {table.rows(), table.num_columns()});
    file.object("events").set_attribute("columns", table.columns());
    if (table.weighted())
      file.write("weights", std::span<const double>(table.weights()), {table.rows()});
    file.set_attributes(attributes);
  });
}

}  // namespace qgen::data
