// The [device] and [emulator] keys, shared by every command that runs circuits on an emulated
// device (qgen lcd, qgen serve-exchange): which calibration, which noise, which method
// (hw/noise_model.hpp, hw/noisy_emulator.hpp say what each means).
#pragma once

#include <string>

#include "qgen/app/options.hpp"
#include "qgen/hw/noisy_emulator.hpp"

namespace qgen::app {

void add_emulator_options(po::options_description& options);

struct DeviceEmulation {
  std::string device;             // folder with props.json and conf.json (inputs/devices/<name>)
  hw::EmulatorOptions emulator;
};

/// InputError naming the key for an impossible value (the device folder is read later).
DeviceEmulation emulator_options_from(const po::variables_map& values);

}  // namespace qgen::app
