#include "qgen/app/emulator_options.hpp"

namespace qgen::app {

void add_emulator_options(po::options_description& o) {
  o.add_options()
      ("device", po::value<std::string>(), "device calibration folder (props.json, conf.json), e.g. inputs/devices/ibmq_guadalupe")
      ("emulator.method", enum_option(hw::EmulationMethod::density_matrix),
       ("exact density matrix or sampled quantum trajectories: " + core::enum_choices<hw::EmulationMethod>()).c_str())
      ("emulator.trajectories", count_option(1000), "trajectories per circuit (method trajectories)")
      ("emulator.seed", count_option(1), "seed of the trajectories (>= 0)")
      ("emulator.split-register", po::value<bool>()->default_value(true), "simulate parts of the register no gate joins separately (exact)")
      ("emulator.gate-errors", po::value<bool>()->default_value(true), "depolarising noise from each gate's reported error")
      ("emulator.relaxation", po::value<bool>()->default_value(true), "thermal relaxation (T1, T2) over each gate's duration")
      ("emulator.readout", po::value<bool>()->default_value(true), "readout assignment errors")
      ("emulator.over-rotation", po::value<double>()->default_value(0.0), "relative over-rotation of every sx and x pulse (0.01: 1 %)")
      ("emulator.over-rotation-spread", po::value<double>()->default_value(0.0), "standard deviation of each qubit's own over-rotation")
      ("emulator.drift", po::value<double>()->default_value(0.0), "relative calibration drift per batch (0.02: ~20 % after 100 batches)")
      ("emulator.noise-seed", count_option(1), "seed of the over-rotations and the drift (>= 0)")
      ("emulator.strict-layout", flag(), "refuse to route with SWAPs when the circuit does not embed in the coupling map");
}

DeviceEmulation emulator_options_from(const po::variables_map& v) {
  DeviceEmulation d;
  d.device = option_text(v, "device");
  hw::EmulatorOptions& e = d.emulator;
  e.method = enum_from<hw::EmulationMethod>(v, "emulator.method");
  e.trajectories = static_cast<int>(count_from(v, "emulator.trajectories", 1, 1L << 30));
  e.seed = count_from(v, "emulator.seed", 0, kMaxSeed);
  e.split_register = v["emulator.split-register"].as<bool>();
  e.noise.gate_errors = v["emulator.gate-errors"].as<bool>();
  e.noise.relaxation = v["emulator.relaxation"].as<bool>();
  e.noise.readout = v["emulator.readout"].as<bool>();
  e.noise.over_rotation = v["emulator.over-rotation"].as<double>();
  e.noise.over_rotation_spread = v["emulator.over-rotation-spread"].as<double>();
  e.noise.drift = v["emulator.drift"].as<double>();
  e.noise.seed = count_from(v, "emulator.noise-seed", 0, kMaxSeed);
  e.layout.strict = v["emulator.strict-layout"].as<bool>();
  hw::check_noise_options(e.noise);
  return d;
}

}  // namespace qgen::app
