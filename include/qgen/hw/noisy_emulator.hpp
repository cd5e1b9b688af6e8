// A noisy device in software: a circuit laid out on a device model (layout.hpp), transpiled to
// its basis (transpile.hpp), run with the device's noise (noise_model.hpp) by one of two
// methods, and read out with its assignment errors.
//
//   density_matrix  exact; memory 16 * 4^C bytes for a part of C device qubits (C <= 14; at
//                   C = 12, 268 MB and ~14 s for the 12-qubit ansatz 1, d = 6, on ibm_cairo)
//   trajectories    `trajectories` sampled pure states per circuit (sim/trajectories.hpp): the
//                   estimate of the distribution has a statistical error ~ 1/sqrt(trajectories)
//                   on top of the shots' own
// Parts of the register that no gate joins (ansatz 2 from |0>: its feature blocks) are simulated
// separately and their distributions multiplied (sim/register_split.hpp): exact, and the cost of
// the largest part instead of the whole (`split_register`, on by default). So the paper's
// 12-qubit ansatz-2 circuits on ibm_cairo run as three 4-qubit density matrices.
//
// A batch is a list of parameter vectors of the one circuit (an LCD sweep: one angle shifted);
// their common prefixes are simulated once (sim/shared_prefixes.hpp), which for trajectories
// means also one noise realisation of each prefix per trajectory (common random numbers).
// `batch` numbers the device's calibration drift (noise_model.hpp) and the trajectories'
// streams: the same (seed, batch) gives the same numbers on any number of ranks, and each
// circuit's result is the same whichever other circuits share its batch call.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "qgen/core/enum_names.hpp"
#include "qgen/core/random_stream.hpp"
#include "qgen/hw/device_model.hpp"
#include "qgen/hw/layout.hpp"
#include "qgen/hw/noise_model.hpp"
#include "qgen/hw/transpile.hpp"
#include "qgen/sim/circuit.hpp"
#include "qgen/sim/noisy_circuit.hpp"

namespace qgen::hw {

enum class EmulationMethod { density_matrix, trajectories };

constexpr auto enum_names(EmulationMethod) {
  using enum EmulationMethod;
  return std::array{core::EnumName{density_matrix, "density_matrix"},
                    core::EnumName{trajectories, "trajectories"},
                    core::EnumName{density_matrix, "density-matrix"}};
}

struct EmulatorOptions {
  // Exact, and the cheaper for the paper's circuits (8 qubits; 12 qubits that split into
  // 4-qubit parts); trajectories for larger parts.
  EmulationMethod method = EmulationMethod::density_matrix;
  int trajectories = 1000;
  std::uint64_t seed = 1;  // the trajectories' streams (the noise's own seed: noise.seed)
  bool split_register = true;  // simulate independent parts of the register separately
  NoiseOptions noise;
  LayoutOptions layout;
};

/// The measured distributions (2^Q entries each, Q = layout.final.size(), readout errors
/// included) of circuits already in the device's basis: `circuits` act on the compact qubits of
/// `layout` (compact k is device qubit layout.physical[k]; bit k of an outcome is read from
/// compact qubit layout.final[k]), run with `noise` at calibration batch `batch` by
/// options.method (options.noise is not read: `noise` carries it). What NoisyEmulator runs after
/// laying out and transpiling, and what `qgen serve-exchange` runs on circuits it read from
/// OpenQASM (qasm_import.hpp). core::InputError for a part too large for the density matrix.
std::vector<std::vector<double>> device_circuit_probabilities(const NoiseModel& noise,
                                                              std::span<const DeviceCircuit> circuits,
                                                              const Layout& layout,
                                                              const EmulatorOptions& options,
                                                              std::uint32_t batch);

class NoisyEmulator {
public:
  /// Lays the circuit out (once). core::InputError for a device too small, a strict layout that
  /// does not exist, a density matrix over too many qubits, trajectories < 1 or bad noise options.
  NoisyEmulator(const DeviceModel& device, const sim::Circuit& circuit,
                const EmulatorOptions& options = {});

  const DeviceModel& device() const { return noise_.device(); }
  const EmulatorOptions& options() const { return options_; }
  const Layout& layout() const { return laid_out_.layout; }
  /// The circuit on the compact qubits with routing SWAPs (layout.hpp).
  const sim::Circuit& routed_circuit() const { return laid_out_.circuit; }
  /// Q: outcomes are Q-bit integers, circuit qubit 0 the most significant bit.
  int num_qubits() const { return num_qubits_; }
  /// Qubits of the largest part simulated at once (the laid-out circuit's, without the split).
  int largest_part() const { return largest_part_; }

  /// The bound, laid-out, transpiled circuit, and as OpenQASM 2.0 for the device.
  DeviceCircuit device_circuit(std::span<const double> parameters) const;
  std::string qasm(std::span<const double> parameters) const;

  /// The measured distribution (2^Q entries, readout errors included) of the circuit at each
  /// parameter vector; result[i] belongs to parameter_sets[i].
  std::vector<std::vector<double>> probabilities(std::span<const std::vector<double>> parameter_sets,
                                                 std::uint32_t batch = 0) const;
  std::vector<double> probabilities(std::span<const double> parameters, std::uint32_t batch = 0) const;

  /// `shots` outcomes drawn from probabilities(parameters, batch) with `stream` (counts per
  /// outcome, 2^Q entries).
  std::vector<std::uint64_t> counts(std::span<const double> parameters, std::uint64_t shots,
                                    core::RandomStream& stream, std::uint32_t batch = 0) const;

  /// The pieces of probabilities(), for callers that run sim's methods themselves (e.g. to
  /// observe single trajectories): the noisy circuits on the compact register, and the map from
  /// a compact distribution to the measured one (ancillas summed, permutation undone, readout).
  std::vector<sim::NoisyCircuit> noisy_circuits(std::span<const std::vector<double>> parameter_sets,
                                                std::uint32_t batch) const;
  std::vector<double> measured_distribution(std::span<const double> compact,
                                            std::uint32_t batch) const;

private:
  std::vector<sim::NoisyCircuit> build(const NoiseModel::Compiled& compiled,
                                       std::span<const std::vector<double>> parameter_sets) const;

  EmulatorOptions options_;
  NoiseModel noise_;
  int num_qubits_;
  LaidOutCircuit laid_out_;
  int largest_part_ = 0;
};

}  // namespace qgen::hw
