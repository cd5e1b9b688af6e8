// A backend that is a directory: qgen writes each batch as OpenQASM files, something else (a
// site's submission script in front of a real device, or `qgen serve-exchange` with the noisy
// emulator) runs them and writes the counts back. The files are described in
// exchange_protocol.hpp and docs/exchange.md; in short, for a directory D and batch <id>:
//
// submit  writes D/batches/<id>/{manifest.json, circuit_000.qasm, ...} into a hidden temporary
//         folder D/batches/.<id>.tmp.<host>.<pid> and renames it onto D/batches/<id>, so a
//         server sees a whole batch or none. A batch folder that is already there (a restarted
//         run submitting the same batch again) is compared with what would be written: equal,
//         nothing is written (the batch is never run twice); different (another run's batch
//         of that id, other parameters), core::DataError naming the file that differs.
// poll    reads D/results/<id>.json when it is there (std::nullopt while it is not), checks it
//         against the batch (exchange::parse_results: another batch, a circuit missing, a bad
//         key, counts not summing to the shots are each a core::DataError naming the file) and
//         returns the counts, qgen's order (qubit 0 the most significant bit: a Qiskit binary
//         key read backwards).
// journal Once a batch's results passed the checks, one line is appended to D/journal.jsonl:
//           {"batch": "<id>", "time": "2026-12-04T03:12:45Z", "checksum": "fnv1a64:...",
//            "circuits": 25, "shots": 1000}
//         It records what the run consumed. A batch is journalled once; when its results file
//         is read again (a restarted run re-reads its finished batches from results/, which
//         always works) and its checksum differs from the journal's, the results changed after
//         qgen used them, and poll throws core::DataError rather than let a restarted run
//         continue from other numbers than the run before it saw.
//
// Everything runs on the lead rank (parallel() is false). Server and client may run on
// different nodes sharing the file system: all hand-overs are renames within one folder.
#pragma once

#include <filesystem>
#include <functional>
#include <span>
#include <string>

#include "qgen/hw/backend.hpp"

namespace qgen::hw {

struct ExchangeOptions {
  std::filesystem::path directory;  // D: created (with batches/ and results/) when missing
  std::string device;               // the device name the manifests carry
  int num_qubits = 0;               // Q of the circuits: counts have 2^Q entries
  int max_experiments = 1;          // circuits per batch
  std::uint64_t max_shots = 1;      // shots per circuit
};

/// The OpenQASM 2.0 text of the circuit at one parameter vector (NoisyEmulator::qasm).
using QasmOfParameters = std::function<std::string(std::span<const double> parameters)>;

class ExchangeBackend : public Backend {
public:
  /// core::InputError for num_qubits outside 1..30 or limits < 1; core::DataError when the
  /// directory cannot be made or is not a folder.
  ExchangeBackend(ExchangeOptions options, QasmOfParameters qasm_of);

  std::string describe() const override;
  int num_qubits() const override { return options_.num_qubits; }
  int max_experiments() const override { return options_.max_experiments; }
  std::uint64_t max_shots() const override { return options_.max_shots; }
  bool parallel() const override { return false; }

  /// core::InputError for a bad id, an empty batch, more circuits or shots than the limits;
  /// core::DataError for a batch of that id with other contents; std::filesystem errors
  /// (transient for the queue) when writing fails.
  void submit(const BatchRequest& batch) override;
  std::optional<std::vector<Counts>> poll(const BatchRequest& batch) override;

  const ExchangeOptions& options() const { return options_; }

private:
  void journal(const BatchRequest& batch, const std::string& checksum, const std::filesystem::path& results);

  ExchangeOptions options_;
  QasmOfParameters qasm_of_;
};

}  // namespace qgen::hw
