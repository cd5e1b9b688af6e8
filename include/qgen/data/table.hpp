// A table of events: named columns of doubles, one row per event, and optional event weights.
//
// Units follow the field: momenta and masses in GeV, angles in radians. Weights may be negative
// (NLO generators); an empty weight vector means every event has weight 1.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <vector>

namespace qgen::data {

class Table {
public:
  Table() = default;
  explicit Table(std::vector<std::string> columns);

  const std::vector<std::string>& columns() const { return columns_; }
  std::size_t num_columns() const { return columns_.size(); }
  std::size_t rows() const { return columns_.empty() ? 0 : values_.size() / columns_.size(); }
  bool weighted() const { return !weights_.empty(); }

  double at(std::size_t row, std::size_t column) const { return values_[row * columns_.size() + column]; }
  std::span<const double> row(std::size_t r) const {
    return {values_.data() + r * columns_.size(), columns_.size()};
  }
  double weight(std::size_t row) const { return weights_.empty() ? 1.0 : weights_[row]; }
  const std::vector<double>& values() const { return values_; }  // row-major
  const std::vector<double>& weights() const { return weights_; }

  /// Index of a column; DataError listing the available columns when absent.
  std::size_t column_index(const std::string& name) const;

  void reserve(std::size_t rows);
  /// Appends one event; `row` has num_columns() values. A weight other than 1 makes the table
  /// weighted (earlier rows get weight 1).
  void append(std::span<const double> row, double weight = 1.0);

  /// The named columns, in the given order.
  Table select(const std::vector<std::string>& names) const;
  /// The given rows, in the given order.
  Table take(const std::vector<std::size_t>& rows) const;

  /// Takes ownership of row-major values (size a multiple of the number of columns).
  void assign(std::vector<double> values, std::vector<double> weights = {});

private:
  std::vector<std::string> columns_;
  std::vector<double> values_;
  std::vector<double> weights_;
};

struct ColumnSummary {
  std::string name;
  double min = 0, mean = 0, max = 0, std_dev = 0;  // mean and spread weighted
};

std::vector<ColumnSummary> summarize(const Table& table);

/// Weighted Pearson correlation matrix of the columns (num_columns x num_columns, row-major).
std::vector<double> correlation_matrix(const Table& table);

}  // namespace qgen::data
