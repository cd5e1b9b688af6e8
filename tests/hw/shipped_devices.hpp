// The two device calibrations qgen ships (inputs/devices/), read once per test program.
#pragma once

#include "../support/temp_dir.hpp"
#include "qgen/hw/device_model.hpp"

namespace qgen::testing {

inline const hw::DeviceModel& guadalupe() {
  static const hw::DeviceModel d = hw::DeviceModel::read_folder(source_path("inputs/devices/ibmq_guadalupe"));
  return d;
}

inline const hw::DeviceModel& cairo() {
  static const hw::DeviceModel d = hw::DeviceModel::read_folder(source_path("inputs/devices/ibm_cairo"));
  return d;
}

}  // namespace qgen::testing
