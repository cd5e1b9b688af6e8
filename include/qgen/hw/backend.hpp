// A quantum backend as the lead rank sees it: it takes a batch of circuits (all the same circuit
// at different parameters, e.g. one LCD sweep) and, some time later, gives back their counts.
//
// Counts are dense: counts[i][x] is how often circuit i gave the basis state x (2^Q entries),
// x written with circuit qubit 0 as its most significant bit (DESIGN.md). A backend that reads
// Qiskit-style keys converts them (exchange_backend.hpp says how); nobody else sees bit strings.
//
// Batches are named by `id`, a string unique within a run and stable across restarts (the LCD
// builds it from iteration, layer and gate), so that a backend with a journal (the exchange
// directory) recognises a batch it has already run and never runs it twice. `number` counts the
// batches of the run from 0: the emulator's calibration drift walks over it.
//
// Who calls what. The batch queue (batch_queue.hpp) calls `submit` once per batch and then `poll`
// until counts come back or its timeout passes; both run on the lead rank only, unless
// `parallel()` says the backend computes counts itself on every rank (the emulator), in which
// case every rank calls `counts_of_share` for its part of the batch and nobody polls.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "qgen/core/parallel.hpp"

namespace qgen::hw {

struct BatchRequest {
  std::string id;                                   // unique in the run, [A-Za-z0-9_.-]+
  std::uint32_t number = 0;                         // position in the run's sequence of batches
  std::uint64_t shots = 0;                          // per circuit
  std::vector<std::vector<double>> parameter_sets;  // one circuit each
  std::size_t first_circuit = 0;  // a job's place in the batch it was cut from (batch_queue.hpp)
};

using Counts = std::vector<std::uint64_t>;  // 2^Q entries, qubit 0 the most significant bit

class Backend {
public:
  virtual ~Backend() = default;

  /// For messages: "emulator(ibmq_guadalupe, density_matrix)", "exchange(/scratch/x)".
  virtual std::string describe() const = 0;
  /// Qubits of the circuit: counts have 2^num_qubits() entries.
  virtual int num_qubits() const = 0;
  /// The device's limits: circuits per batch and shots per circuit.
  virtual int max_experiments() const = 0;
  virtual std::uint64_t max_shots() const = 0;

  /// True when every rank can compute counts itself (counts_of_share); false when only the lead
  /// talks to the backend (submit, poll).
  virtual bool parallel() const { return false; }

  /// Hands the batch over; returns at once. Submitting a batch the backend already holds (same
  /// id) is harmless. core::DataError/InputError for what retrying cannot fix; any other
  /// exception is a transient failure the queue retries.
  virtual void submit(const BatchRequest& batch) { (void)batch; }
  /// Counts of every circuit of the batch once they are there, nothing while it still runs.
  /// core::DataError for a result that exists but is wrong (malformed, counts that do not sum to
  /// the shots, the wrong number of circuits): never guessed around.
  virtual std::optional<std::vector<Counts>> poll(const BatchRequest& batch) {
    (void)batch;
    return std::nullopt;
  }

  /// parallel() backends: the counts of circuits [first, first + count) of the batch, computed
  /// by this rank alone; the same numbers whichever rank computes them.
  virtual std::vector<Counts> counts_of_share(const BatchRequest& batch, std::size_t first,
                                              std::size_t count) const {
    (void)batch, (void)first, (void)count;
    return {};
  }
};

/// A backend that only the lead rank talks to, as the other ranks see it: its shape, nothing
/// more (they receive their counts from the lead; batch_queue.hpp).
class LeadOnlyBackend : public Backend {
public:
  LeadOnlyBackend(std::string description, int num_qubits, int max_experiments, std::uint64_t max_shots)
      : description_(std::move(description)),
        num_qubits_(num_qubits),
        max_experiments_(max_experiments),
        max_shots_(max_shots) {}
  std::string describe() const override { return description_; }
  int num_qubits() const override { return num_qubits_; }
  int max_experiments() const override { return max_experiments_; }
  std::uint64_t max_shots() const override { return max_shots_; }

private:
  std::string description_;
  int num_qubits_, max_experiments_;
  std::uint64_t max_shots_;
};

}  // namespace qgen::hw
