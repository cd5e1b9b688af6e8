// The LCD's record in HDF5, the same group in its checkpoints and its results file:
//
//   <group>/initial_params                       float64 [P]  the trained parameters LCD started from
//   <group>/params                               float64 [P]  the parameters after the last iteration
//   <group>/iterations/{sweep, layer, circuits, skipped, batch}   int64 [I]
//   <group>/iterations/{loss_noisy, loss_noiseless}                float64 [I]  (NaN: skipped)
//   <group>/iteration_0000, ...  per iteration:
//       js_noiseless float64 [A n]   every circuit of the sweep, angle-major
//       js_noisy     float64 [C]     every circuit sent (absent when skipped)
//       shifts       float64 [A]     the shift each angle took
//       sweep_shifts float64 [n]     the shifts tried
//       parameter_ids int64 [A], flat int64 [A]
//   attributes: whatever the caller adds (method, device, shots, ...)
// `circuits` counts the circuits sent to the backend (0 when skipped): the run's circuit budget.
#pragma once

#include <string>
#include <vector>

#include "qgen/core/hdf5.hpp"
#include "qgen/hw/lcd_run.hpp"

namespace qgen::hw {

void write_lcd_record(const core::hdf5::Location& group, const std::vector<double>& initial_parameters,
                      const LcdState& state);

struct LcdRecord {
  std::vector<double> initial_parameters;
  LcdState state;
};

/// DataError naming the file for a group that is not an LCD record.
LcdRecord read_lcd_record(const core::hdf5::Location& group);

}  // namespace qgen::hw
