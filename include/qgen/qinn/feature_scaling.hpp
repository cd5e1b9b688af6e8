// Physical features <-> the scaled features s in [0, pi] that the QINN sees (paper 004,
// section 3: "the entire dataset is first scaled to [0, pi]^n"):
//     s = pi (x - low) / (high - low),   x = low + (high - low) s / pi,
// with low and high each feature's minimum and maximum over the training split (units those of
// the feature: GeV for pT, radians for delta_phi, none for eta).
//
// Events outside [low, high] (validation, test or new events; the training split never has
// any) are clamped to the range and counted, not refused: the QINN's encoding RY(alpha) is
// monotonic only for alpha in [0, pi], so an unclamped value would fold back onto the inside.
// Callers report the count (qgen qinn density writes a per-event flag). Generated events are
// never clamped: x(s) is the affine map above for any s.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include "qgen/data/table.hpp"

namespace qgen::qinn {

struct FeatureScaling {
  std::vector<std::string> columns;
  std::vector<double> low, high;

  /// Each column's minimum and maximum. DataError naming the column when it is constant or not
  /// finite (NaN or infinite values, checked first, are a DataError naming the row).
  static FeatureScaling of(const data::Table& table);

  std::size_t size() const { return low.size(); }
  /// ds/dx = pi / (high - low).
  double slope(std::size_t feature) const;
  double to_physical(std::size_t feature, double s) const;
};

/// Scaled rows (row-major, the table's columns) of a table with the scaling's columns, each
/// value clamped into [0, pi]; `outside` (one flag per row, when given) marks the rows that had
/// a value outside the range. Returns how many rows did.
std::size_t scale_events(const FeatureScaling& scaling, const data::Table& table,
                         std::vector<double>& scaled, std::vector<char>* outside = nullptr);

/// DataError "<where>: row R (from 1), column 'C' is nan (not finite)" for the first value of
/// the table that is not finite.
void check_finite(const data::Table& table, const std::string& where);

}  // namespace qgen::qinn
