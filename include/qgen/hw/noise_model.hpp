// The noise of a device, from its calibration: what each basis gate does to the qubits besides
// its ideal action, and how qubits are misread.
//
// Per gate (the basic device model of Qiskit Aer, so that an emulated calibration means what it
// means there; formulas in sim/noise_channel.hpp):
//   rz        a frame change: exact (IBM reports error 0 and length 0; other values are used)
//   sx, x     the pulse, with the qubit's coherent over-rotation (below), then depolarising with
//             the parameter that makes the gate's average infidelity equal its reported
//             gate_error together with the relaxation, then thermal relaxation of the qubit
//             for gate_length (T1, T2)
//   cx        CNOT, then two-qubit depolarising from the pair's gate_error (likewise net of the
//             relaxation), then thermal relaxation of both qubits for the cx's gate_length
//   readout   each measured qubit read with its prob_meas1_prep0 / prob_meas0_prep1
// Not modelled: relaxation of idle qubits while others are driven, crosstalk, leakage.
//
// Systematic over-/under-rotation. Every sx and x pulse of device qubit q rotates by
// (1 + eps_q) times its angle: eps_q = over_rotation + over_rotation_spread * z_q with z_q a
// standard normal fixed by (seed, q). A time-independent, coherent error: what re-tuning the
// parameters on the device (LCD) can learn to compensate (paper 000, IV.B).
//
// Calibration drift between batches. Each calibrated value v of the qubits and couplers in use
// (T1, T2, the two readout probabilities, the sx, x and cx errors) performs a geometric random
// walk over batch numbers: v(b) = v(0) exp(drift * W_v(b)), W_v(0) = 0, W_v(b) = W_v(b-1) + z,
// z standard normal fixed by (seed, v, b). After b batches v has typically moved by a relative
// drift * sqrt(b): drift = 0.02 gives ~ 20 % after 100 batches, the slow change over days the
// paper blames for a jump in its 12-qubit LCD curve. T2 is kept <= 2 T1, probabilities <= 1.
// Gate lengths do not drift. Batch 0 is the calibration file itself.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "qgen/hw/device_model.hpp"
#include "qgen/hw/transpile.hpp"
#include "qgen/sim/noise_channel.hpp"
#include "qgen/sim/noisy_circuit.hpp"

namespace qgen::hw {

struct NoiseOptions {
  bool gate_errors = true;            // depolarising from each gate's reported error
  bool relaxation = true;             // thermal relaxation over each gate's duration
  bool readout = true;                // assignment errors at measurement
  double over_rotation = 0.0;         // eps common to all qubits (0.01: 1 % over-rotation)
  double over_rotation_spread = 0.0;  // standard deviation of the per-qubit part of eps
  double drift = 0.0;                 // relative step of the calibration walk per batch
  std::uint64_t seed = 1;             // per-qubit over-rotations and the drift walk
};

/// core::InputError naming the first bad value (|over_rotation| >= 1, negative spread or drift).
void check_noise_options(const NoiseOptions& options);

class NoiseModel {
public:
  NoiseModel(const DeviceModel& device, const NoiseOptions& options);

  const DeviceModel& device() const { return device_; }
  const NoiseOptions& options() const { return options_; }

  /// Calibration values at batch `batch` (drift applied; batch 0: the file's).
  QubitCalibration qubit(int device_qubit, std::uint32_t batch) const;
  GateCalibration gate(BasisGate gate, int device_qubit, std::uint32_t batch) const;
  GateCalibration cx(int control, int target, std::uint32_t batch) const;
  /// eps_q of device qubit q.
  double over_rotation(int device_qubit) const;

  /// The noise of every gate on the device qubits `physical` (compact qubit k is device qubit
  /// physical[k]) at one batch: built once, applied to every circuit of the batch.
  class Compiled {
  public:
    /// `circuit` (on the compact qubits) with its noise, as sim runs it.
    sim::NoisyCircuit noisy(const DeviceCircuit& circuit) const;
    /// Readout errors of each compact qubit (all zero with options().readout off).
    const std::vector<sim::ReadoutError>& readout() const { return readout_; }

  private:
    friend class NoiseModel;
    struct GateNoise {
      sim::Matrix2 pulse;  // the gate as applied (over-rotated)
      std::shared_ptr<const sim::KrausChannel> depolarizing, relaxation;  // null: none
    };
    struct CxNoise {
      double depolarizing = 0.0;
      std::shared_ptr<const sim::KrausChannel> relax_control, relax_target;
    };
    int num_qubits_ = 0;
    std::vector<std::array<GateNoise, 3>> one_qubit_;  // rz, sx, x per compact qubit
    std::vector<std::vector<CxNoise>> cx_;             // [control][target]
    std::vector<std::vector<char>> has_cx_;
    std::vector<sim::ReadoutError> readout_;
  };
  Compiled compile(std::span<const int> physical, std::uint32_t batch) const;

private:
  double drift_factor(std::uint64_t key, std::uint32_t batch) const;

  DeviceModel device_;
  NoiseOptions options_;
};

}  // namespace qgen::hw
