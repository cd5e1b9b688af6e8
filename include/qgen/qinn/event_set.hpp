// Events as the QINN's training and evaluation take them: the scaled features (N x n,
// row-major, clamped into [0, pi] and counted: qinn/feature_scaling.hpp) and, for the five zll
// features, each event's M_ll [GeV] (the data side of the loss's M_ll term).
#pragma once

#include <cstddef>
#include <vector>

#include "qgen/data/table.hpp"
#include "qgen/qinn/feature_scaling.hpp"

namespace qgen::qinn {

struct EventSet {
  std::vector<double> scaled;
  std::vector<double> mass;  // empty unless the features are the zll ones
  std::size_t clamped = 0;   // events with a feature outside the scaling range
  std::vector<char> outside;  // per event: 1 where it was clamped
};

/// The table's columns must be the scaling's (same order); DataError for values not finite.
EventSet make_event_set(const FeatureScaling& scaling, const data::Table& table);

}  // namespace qgen::qinn
