#include "qgen/data/table.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "qgen/core/errors.hpp"

namespace qgen::data {

Table::Table(std::vector<std::string> columns) : columns_(std::move(columns)) {}

std::size_t Table::column_index(const std::string& name) const {
  const auto it = std::find(columns_.begin(), columns_.end(), name);
  if (it == columns_.end()) {
    std::string available;
    for (const auto& c : columns_) available += (available.empty() ? "" : ", ") + c;
    throw core::DataError("no column '" + name + "' (columns: " + available + ")");
  }
  return static_cast<std::size_t>(it - columns_.begin());
}

void Table::reserve(std::size_t rows) { values_.reserve(rows * columns_.size()); }

void Table::append(std::span<const double> row, double weight) {
  // The first weight other than 1 makes the table weighted: the rows before it had weight 1.
  const bool becomes_weighted = weights_.empty() && weight != 1.0;
  if (becomes_weighted) weights_.assign(rows(), 1.0);
  values_.insert(values_.end(), row.begin(), row.end());
  if (becomes_weighted || !weights_.empty()) weights_.push_back(weight);
}

Table Table::select(const std::vector<std::string>& names) const {
  std::vector<std::size_t> index;
  for (const auto& n : names) index.push_back(column_index(n));
  Table out(names);
  out.values_.resize(rows() * names.size());
  for (std::size_t r = 0; r < rows(); ++r)
    for (std::size_t k = 0; k < index.size(); ++k)
      out.values_[r * names.size() + k] = at(r, index[k]);
  out.weights_ = weights_;
  return out;
}

Table Table::take(const std::vector<std::size_t>& rows_wanted) const {
  Table out(columns_);
  out.values_.reserve(rows_wanted.size() * columns_.size());
  for (std::size_t r : rows_wanted) {
    const auto v = row(r);
    out.values_.insert(out.values_.end(), v.begin(), v.end());
    if (weighted()) out.weights_.push_back(weights_[r]);
  }
  return out;
}

void Table::assign(std::vector<double> values, std::vector<double> weights) {
  if (columns_.empty() || values.size() % columns_.size() != 0)
    throw core::DataError("table: " + std::to_string(values.size()) + " values do not fill rows of " +
                    std::to_string(columns_.size()) + " columns");
  if (!weights.empty() && weights.size() != values.size() / columns_.size())
    throw core::DataError("table: weights and rows differ in number");
  values_ = std::move(values);
  weights_ = std::move(weights);
}

std::vector<ColumnSummary> summarize(const Table& table) {
  const std::size_t nc = table.num_columns();
  std::vector<ColumnSummary> out(nc);
  std::vector<double> sum(nc, 0.0), sum2(nc, 0.0);
  double total = 0.0;
  for (std::size_t c = 0; c < nc; ++c) {
    out[c].name = table.columns()[c];
    out[c].min = std::numeric_limits<double>::infinity();
    out[c].max = -std::numeric_limits<double>::infinity();
  }
  for (std::size_t r = 0; r < table.rows(); ++r) {
    const double w = table.weight(r);
    total += w;
    for (std::size_t c = 0; c < nc; ++c) {
      const double x = table.at(r, c);
      out[c].min = std::min(out[c].min, x);
      out[c].max = std::max(out[c].max, x);
      sum[c] += w * x;
      sum2[c] += w * x * x;
    }
  }
  for (std::size_t c = 0; c < nc; ++c) {
    if (total == 0.0) {
      out[c].mean = out[c].std_dev = NAN;
      continue;
    }
    out[c].mean = sum[c] / total;
    out[c].std_dev = std::sqrt(std::max(0.0, sum2[c] / total - out[c].mean * out[c].mean));
  }
  return out;
}

std::vector<double> correlation_matrix(const Table& table) {
  const std::size_t nc = table.num_columns();
  const auto summary = summarize(table);
  std::vector<double> cov(nc * nc, 0.0);
  for (std::size_t r = 0; r < table.rows(); ++r) {
    const double w = table.weight(r);
    for (std::size_t a = 0; a < nc; ++a) {
      const double da = table.at(r, a) - summary[a].mean;
      for (std::size_t b = a; b < nc; ++b) cov[a * nc + b] += w * da * (table.at(r, b) - summary[b].mean);
    }
  }
  std::vector<double> corr(nc * nc, NAN);
  for (std::size_t a = 0; a < nc; ++a)
    for (std::size_t b = a; b < nc; ++b) {
      const double denominator = std::sqrt(cov[a * nc + a] * cov[b * nc + b]);
      const double c = denominator > 0 ? cov[a * nc + b] / denominator : NAN;
      corr[a * nc + b] = corr[b * nc + a] = a == b ? 1.0 : c;
    }
  return corr;
}

}  // namespace qgen::data
