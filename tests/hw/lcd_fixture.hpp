// A tiny LCD problem shared by the LcdRun tests (one rank and several): ansatz 1, 4 qubits,
// depth 1 (30 angles in three rotational layers of 12, 6 and 12) on ibmq_guadalupe emulated
// without noise, a target that the circuit reaches at other angles, and a backend wrapper that
// records every batch it is asked for.
#pragma once

#include <memory>
#include <vector>

#include "../support/dense_reference.hpp"
#include "../support/temp_dir.hpp"
#include "qgen/circuits/ansatz.hpp"
#include "qgen/hw/emulator_backend.hpp"
#include "qgen/hw/lcd_run.hpp"
#include "shipped_devices.hpp"

namespace qgen::testing {

inline const hw::DeviceModel& lcd_device() { return guadalupe(); }

/// Passes every call on to `inner` and keeps the batches (parallel: per counts_of_share call;
/// lead-only when `lead_only`: submit/poll, the lead computing the whole batch).
class RecordingBackend : public hw::Backend {
public:
  RecordingBackend(const hw::Backend& inner, bool lead_only = false) : inner_(inner), lead_only_(lead_only) {}

  std::string describe() const override { return "recording(" + inner_.describe() + ")"; }
  int num_qubits() const override { return inner_.num_qubits(); }
  int max_experiments() const override { return inner_.max_experiments(); }
  std::uint64_t max_shots() const override { return inner_.max_shots(); }
  bool parallel() const override { return !lead_only_; }

  void submit(const hw::BatchRequest& batch) override { batches.push_back(batch); }
  std::optional<std::vector<hw::Counts>> poll(const hw::BatchRequest& batch) override {
    return inner_.counts_of_share(batch, 0, batch.parameter_sets.size());
  }
  std::vector<hw::Counts> counts_of_share(const hw::BatchRequest& batch, std::size_t first,
                                          std::size_t count) const override {
    batches.push_back(batch);
    shares.emplace_back(first, count);
    return inner_.counts_of_share(batch, first, count);
  }

  mutable std::vector<hw::BatchRequest> batches;
  mutable std::vector<std::pair<std::size_t, std::size_t>> shares;

private:
  const hw::Backend& inner_;
  bool lead_only_;
};

struct LcdProblem {
  sim::Circuit circuit = circuits::build_qcbm_circuit({1, 4, 1, 0, circuits::InitialState::zero});
  std::vector<double> target;
  std::vector<double> start;
  std::shared_ptr<const hw::NoisyEmulator> emulator;
  std::unique_ptr<hw::EmulatorBackend> backend;

  explicit LcdProblem(int batch_limit = 120) {
    hw::EmulatorOptions o;
    o.noise.gate_errors = o.noise.relaxation = o.noise.readout = false;
    emulator = std::make_shared<hw::NoisyEmulator>(lcd_device(), circuit, o);
    backend = std::make_unique<hw::EmulatorBackend>(emulator, 11, batch_limit);
    target = reference_probabilities(circuit, random_parameters(circuit.num_parameters(), 99));
    start = random_parameters(circuit.num_parameters(), 5);
  }
};

}  // namespace qgen::testing
