// The files of an exchange directory (docs/exchange.md), as both sides read and write them: the
// client (exchange_backend.hpp) and a server (`qgen serve-exchange`, or a site's own script).
//
//   D/batches/<id>/manifest.json       written by the client, with the batch's circuits, in a
//   D/batches/<id>/circuit_000.qasm    hidden temporary folder renamed onto batches/<id>: a
//   ...                                server never sees half a batch
//   D/results/<id>.json                written by the server, atomically (temporary + rename)
//   D/journal.jsonl                    appended by the client for each batch it read
//
// manifest.json:
//   {"format": "qgen-exchange-1", "batch": "<id>", "number": 7, "device": "ibmq_guadalupe",
//    "shots": 1000, "circuits": ["circuit_000.qasm", ...], "num_qubits": 8, "bit_order": "..."}
// `number` is the batch's position in the run (the emulator's calibration drift walks over it).
// Circuit files are numbered from 0, zero-padded to 3 digits (more when a batch has > 1000).
//
// results/<id>.json (Qiskit's counts, one entry per circuit, in any order):
//   {"batch": "<id>", "results": [{"circuit": 0, "counts": {"0101": 123, "0x3": 5, ...}}, ...]}
// A key is a Qiskit counts key: binary, exactly num_qubits characters c[Q-1]...c[0] (c[0]
// rightmost), or hexadecimal "0x..." whose bit k is c[k]. qgen measures circuit qubit k into c[k]
// and numbers outcomes with qubit 0 the most significant bit, so qgen's basis index is the
// binary key read backwards: key "0001" (c[0] = 1) is qgen's outcome 0b1000 = 8.
// Files whose names start with '.' or end in ".tmp" are never read: temporaries.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "qgen/hw/backend.hpp"

namespace qgen::hw::exchange {

inline constexpr std::string_view kFormat = "qgen-exchange-1";
/// The manifest's bit_order text.
extern const std::string kBitOrder;

struct Manifest {
  std::string batch;
  std::uint32_t number = 0;
  std::string device;
  std::uint64_t shots = 0;
  std::vector<std::string> circuits;  // file names inside the batch folder
  int num_qubits = 0;
};

/// core::InputError unless `id` is a batch id: [A-Za-z0-9_.-]+, not starting with '.'.
void check_batch_id(const std::string& id);

std::filesystem::path batches_folder(const std::filesystem::path& dir);
std::filesystem::path batch_folder(const std::filesystem::path& dir, const std::string& id);
std::filesystem::path results_path(const std::filesystem::path& dir, const std::string& id);
std::filesystem::path journal_path(const std::filesystem::path& dir);
/// Whether a directory entry is a temporary that nobody reads ('.' first or ".tmp" last).
bool is_temporary(const std::filesystem::path& name);

/// "circuit_003.qasm": circuit `index` of a batch of `count`.
std::string circuit_file_name(std::size_t index, std::size_t count);

/// The manifest as JSON text, and read back: core::DataError naming the file and the field.
std::string manifest_text(const Manifest& manifest);
Manifest read_manifest(const std::filesystem::path& path);

/// The Qiskit binary key of qgen's outcome `index` (qubit 0 the most significant bit).
std::string counts_key(std::uint64_t index, int num_qubits);
/// qgen's outcome of a binary or "0x" key; core::DataError("<where>: ...") for a key of the
/// wrong length, characters or value.
std::uint64_t outcome_of_key(std::string_view key, int num_qubits, const std::string& where);

/// Results JSON of a batch (counts[i]: circuit i, dense, qgen's order); zero counts left out.
std::string results_text(const std::string& batch, const std::vector<Counts>& counts, int num_qubits);
/// The counts in `text` (the file `where`), checked against the batch: core::DataError naming
/// the file and what is wrong (not JSON, another batch, a circuit missing, repeated or out of
/// range, a bad key, a key given twice, counts that do not sum to `shots`).
std::vector<Counts> parse_results(std::string_view text, const std::string& where, const std::string& batch,
                                  std::size_t num_circuits, std::uint64_t shots, int num_qubits);

/// FNV-1a 64 of `bytes` as "fnv1a64:<16 hex digits>": the journal's checksum.
std::string checksum(std::string_view bytes);

/// The whole of a file; core::DataError naming it when it cannot be read.
std::string read_file(const std::filesystem::path& path);

}  // namespace qgen::hw::exchange
