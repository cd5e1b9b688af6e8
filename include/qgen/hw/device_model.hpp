// A quantum device as its calibration describes it, read from Qiskit's two backend files:
//   props.json  BackendProperties: per qubit T1, T2, prob_meas0_prep1, prob_meas1_prep0; per gate
//               (rz, sx, x per qubit, cx per directed coupled pair) gate_error and gate_length;
//   conf.json   BackendConfiguration: n_qubits, coupling_map, basis_gates, max_experiments,
//               max_shots.
// (inputs/devices/README.md describes the shipped files.)
//
// Units: times in seconds (the files' "us", "ns", ... are converted), errors and probabilities
// as plain fractions. Device qubits are numbered as in the files.
//
// Validation. Every problem is one core::DataError naming the file and the item: unreadable or
// malformed JSON, a missing or non-numeric field, an unknown unit, a qubit missing from the
// properties, a coupling or a gate on a qubit that does not exist, a coupled pair without a cx
// calibration, a non-positive T1 or T2, T2 > 2 T1, a probability outside [0, 1], properties and
// configuration of different devices. One exception: measured T2 slightly above 2 T1 occurs in
// real calibrations (the fit's uncertainty; ibm_cairo qubits 23 and 25); up to
// 2 T1 (1 + t2_tolerance) it is clamped to 2 T1, as Qiskit Aer does, and listed in clamped_t2().
#pragma once

#include <array>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "qgen/core/enum_names.hpp"

namespace qgen::hw {

/// The gates qgen transpiles to (IBM's basis; `id` and `reset` are not used).
enum class BasisGate { rz, sx, x, cx };

constexpr auto enum_names(BasisGate) {
  using enum BasisGate;
  return std::array{core::EnumName{rz, "rz"}, core::EnumName{sx, "sx"}, core::EnumName{x, "x"},
                    core::EnumName{cx, "cx"}};
}

struct GateCalibration {
  double error = 0.0;   // 1 - average gate fidelity
  double length = 0.0;  // seconds
};

struct QubitCalibration {
  double t1 = 0.0;  // seconds
  double t2 = 0.0;  // seconds, <= 2 t1
  double prob_meas0_prep1 = 0.0;
  double prob_meas1_prep0 = 0.0;
  /// The mean assignment error (prob_meas0_prep1 + prob_meas1_prep0)/2.
  double readout_error() const { return (prob_meas0_prep1 + prob_meas1_prep0) / 2; }
};

struct DeviceReadOptions {
  double t2_tolerance = 0.05;  // relative excess of T2 over 2 T1 accepted (and clamped)
};

class DeviceModel {
public:
  /// Reads and validates a device from its properties and configuration files.
  static DeviceModel read(const std::string& properties_path, const std::string& configuration_path,
                          const DeviceReadOptions& options = {});
  /// The same from a folder holding props.json and conf.json (inputs/devices/<device>/).
  static DeviceModel read_folder(const std::string& folder, const DeviceReadOptions& options = {});

  const std::string& name() const { return name_; }
  int num_qubits() const { return static_cast<int>(qubits_.size()); }
  const std::vector<std::string>& basis_gates() const { return basis_gates_; }
  /// Directed pairs (control, target) on which cx is available.
  const std::vector<std::array<int, 2>>& coupling_map() const { return coupling_map_; }
  /// Device qubits coupled to `qubit` in either direction, ascending.
  const std::vector<int>& neighbours(int qubit) const { return neighbours_.at(qubit); }
  bool has_cx(int control, int target) const { return cx_.count({control, target}) > 0; }
  bool coupled(int a, int b) const { return has_cx(a, b) || has_cx(b, a); }

  const QubitCalibration& qubit(int q) const { return qubits_.at(q); }
  /// rz, sx or x on `qubit`.
  const GateCalibration& gate(BasisGate gate, int qubit) const;
  /// cx(control, target); core::InputError if the pair has no cx.
  const GateCalibration& cx(int control, int target) const;

  int max_experiments() const { return max_experiments_; }  // circuits per job
  int max_shots() const { return max_shots_; }
  /// Qubits whose T2 was clamped to 2 T1 (see the header comment).
  const std::vector<int>& clamped_t2() const { return clamped_t2_; }

  /// core::InputError ("<what> needs N qubits; <device> has M") when the device is too small.
  void require_qubits(int needed, const std::string& what) const;

private:
  DeviceModel() = default;

  std::string name_;
  std::vector<std::string> basis_gates_;
  std::vector<std::array<int, 2>> coupling_map_;
  std::vector<std::vector<int>> neighbours_;
  std::vector<QubitCalibration> qubits_;
  std::vector<std::array<GateCalibration, 3>> one_qubit_gates_;  // rz, sx, x per qubit
  std::map<std::pair<int, int>, GateCalibration> cx_;
  int max_experiments_ = 0;
  int max_shots_ = 0;
  std::vector<int> clamped_t2_;
};

}  // namespace qgen::hw
