// A run's history, one entry per TAO iteration (entry 0 is the evaluation at the start), and
// its HDF5 group, the same in checkpoints and results files:
//   <group>/{step, evaluations} int64, <group>/{loss, grad_norm, seconds} float64
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "qgen/core/hdf5.hpp"

namespace qgen::train {

/// One TAO iteration: its number, the gradient evaluations made so far, the loss, the
/// gradient's norm and the seconds since the previous iteration.
struct StepRecord {
  std::int64_t step = 0;
  std::int64_t evaluations = 0;
  double loss = 0, grad_norm = 0, seconds = 0;
};

struct History {
  std::vector<std::int64_t> step, evaluations;
  std::vector<double> loss, grad_norm, seconds;
  std::size_t size() const { return step.size(); }
  void append(const StepRecord& record);
};

/// Writes `history` as the group `name` of `parent`.
void write_history(const core::hdf5::Location& parent, const std::string& name, const History& history);
/// The history in the group `name` of `parent`.
History read_history(const core::hdf5::Location& parent, const std::string& name);

}  // namespace qgen::train
