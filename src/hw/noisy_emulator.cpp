#include "qgen/hw/noisy_emulator.hpp"

#include <algorithm>
#include <string>

#include "qgen/core/errors.hpp"
#include "qgen/hw/qasm_export.hpp"
#include "qgen/sim/density_matrix.hpp"
#include "qgen/sim/noise_channel.hpp"
#include "qgen/sim/register_split.hpp"
#include "qgen/sim/sampling.hpp"
#include "qgen/sim/trajectories.hpp"

namespace qgen::hw {
namespace {

/// Distribution over the compact register -> measured distribution over the circuit's outcomes.
std::vector<double> measure(std::span<const double> compact, const Layout& layout, int num_qubits,
                            std::span<const sim::ReadoutError> compact_readout) {
  std::vector<double> p = circuit_distribution(compact, layout, num_qubits);
  std::vector<sim::ReadoutError> readout(num_qubits);
  for (int k = 0; k < num_qubits; ++k) readout[k] = compact_readout[layout.final[k]];
  sim::apply_readout_errors(p, readout);
  return p;
}

}  // namespace

NoisyEmulator::NoisyEmulator(const DeviceModel& device, const sim::Circuit& circuit,
                             const EmulatorOptions& options)
    : options_(options),
      noise_(device, options.noise),
      num_qubits_(circuit.num_qubits()),
      laid_out_(lay_out(circuit, device, options.layout)) {
  if (options.method == EmulationMethod::trajectories && options.trajectories < 1)
    throw core::InputError("emulator: trajectories = " + std::to_string(options.trajectories) +
                           " (at least 1)");
  // The parts depend on the circuit's structure only: find them once, at any parameters.
  largest_part_ = static_cast<int>(laid_out_.layout.physical.size());
  if (options.split_register) {
    const std::vector<std::vector<double>> zero{std::vector<double>(circuit.num_parameters(), 0.0)};
    largest_part_ = 0;
    for (const auto& part : sim::split_register(noisy_circuits(zero, 0)).parts)
      largest_part_ = std::max(largest_part_, static_cast<int>(part.size()));
  }
  if (options.method == EmulationMethod::density_matrix && largest_part_ > sim::DensityMatrix::kMaxQubits)
    throw core::InputError("emulator: the density-matrix method holds at most " +
                           std::to_string(sim::DensityMatrix::kMaxQubits) + " qubits; the circuit " +
                           "needs " + std::to_string(largest_part_) + " at once on " + device.name() +
                           " (use trajectories)");
}

DeviceCircuit NoisyEmulator::device_circuit(std::span<const double> parameters) const {
  const std::vector<int>& physical = laid_out_.layout.physical;
  const DeviceModel& d = device();
  return transpile(laid_out_.circuit, parameters, [&](int control, int target) {
    return d.has_cx(physical[control], physical[target]);
  });
}

std::string NoisyEmulator::qasm(std::span<const double> parameters) const {
  return to_openqasm2(device_circuit(parameters), laid_out_.layout, device());
}

std::vector<sim::NoisyCircuit> NoisyEmulator::build(
    const NoiseModel::Compiled& compiled, std::span<const std::vector<double>> parameter_sets) const {
  std::vector<sim::NoisyCircuit> circuits;
  circuits.reserve(parameter_sets.size());
  for (const std::vector<double>& parameters : parameter_sets)
    circuits.push_back(compiled.noisy(device_circuit(parameters)));
  return circuits;
}

std::vector<sim::NoisyCircuit> NoisyEmulator::noisy_circuits(
    std::span<const std::vector<double>> parameter_sets, std::uint32_t batch) const {
  return build(noise_.compile(laid_out_.layout.physical, batch), parameter_sets);
}

std::vector<double> NoisyEmulator::measured_distribution(std::span<const double> compact,
                                                         std::uint32_t batch) const {
  std::vector<sim::ReadoutError> readout(laid_out_.layout.physical.size());
  if (options_.noise.readout)
    for (std::size_t k = 0; k < readout.size(); ++k) {
      const QubitCalibration c = noise_.qubit(laid_out_.layout.physical[k], batch);
      readout[k] = {c.prob_meas1_prep0, c.prob_meas0_prep1};
    }
  return measure(compact, laid_out_.layout, num_qubits_, readout);
}

std::vector<std::vector<double>> device_circuit_probabilities(const NoiseModel& noise,
                                                              std::span<const DeviceCircuit> circuits,
                                                              const Layout& layout,
                                                              const EmulatorOptions& options,
                                                              std::uint32_t batch) {
  const NoiseModel::Compiled compiled = noise.compile(layout.physical, batch);
  std::vector<sim::NoisyCircuit> noisy;
  noisy.reserve(circuits.size());
  for (const DeviceCircuit& c : circuits) noisy.push_back(compiled.noisy(c));
  const sim::PartMethod method = [&](std::span<const sim::NoisyCircuit> part, int index) {
    if (options.method == EmulationMethod::density_matrix) return sim::density_matrix_probabilities(part);
    std::vector<std::vector<double>> p;
    for (auto& e : sim::trajectory_probabilities(part, {.trajectories = options.trajectories, .seed = options.seed,
                                                        .batch = batch, .part = static_cast<std::uint32_t>(index)}))
      p.push_back(std::move(e.probabilities));
    return p;
  };
  const std::vector<std::vector<double>> compact =
      options.split_register ? sim::run_split(noisy, method) : method(noisy, 0);
  const int num_qubits = static_cast<int>(layout.final.size());
  std::vector<std::vector<double>> out;
  out.reserve(compact.size());
  for (const auto& p : compact) out.push_back(measure(p, layout, num_qubits, compiled.readout()));
  return out;
}

std::vector<std::vector<double>> NoisyEmulator::probabilities(
    std::span<const std::vector<double>> parameter_sets, std::uint32_t batch) const {
  std::vector<DeviceCircuit> circuits;
  circuits.reserve(parameter_sets.size());
  for (const std::vector<double>& parameters : parameter_sets) circuits.push_back(device_circuit(parameters));
  return device_circuit_probabilities(noise_, circuits, laid_out_.layout, options_, batch);
}

std::vector<double> NoisyEmulator::probabilities(std::span<const double> parameters,
                                                 std::uint32_t batch) const {
  const std::vector<std::vector<double>> one{{parameters.begin(), parameters.end()}};
  return probabilities(one, batch).front();
}

std::vector<std::uint64_t> NoisyEmulator::counts(std::span<const double> parameters,
                                                 std::uint64_t shots, core::RandomStream& stream,
                                                 std::uint32_t batch) const {
  return sim::sample_counts(probabilities(parameters, batch), shots, stream);
}

}  // namespace qgen::hw
