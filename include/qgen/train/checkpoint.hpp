// Checkpoints: everything a run needs to continue exactly, in one HDF5 file written by the lead
// rank to a temporary name and renamed (an interrupted write never destroys the previous one).
//
//   /                      attributes format_version, qgen_checkpoint = 1, iteration,
//                          iterate_evaluation, optimizer, ranks
//   /config                the run's options as INI text
//   /fingerprint           attributes: what must match for a restart (circuit, target, loss,
//                          shots, seed, gradient, optimizer settings)
//   /parameters            float64 [P]
//   /adam/{first_moment, second_moment} float64 [P], attribute step      (Adam runs)
//   /history               train/history.hpp
//
// `iterate_evaluation` is the number of the gradient evaluation made at the saved parameters:
// a restart evaluates there again with the same random streams, reproduces the same loss and
// gradient, and so continues bit for bit.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "qgen/train/history.hpp"
#include "qgen/train/tao_adam.hpp"

namespace qgen::train {

inline constexpr std::int64_t kCheckpointFormat = 1;

/// (key, value) pairs, compared as text.
using Fingerprint = std::vector<std::pair<std::string, std::string>>;

struct Checkpoint {
  std::string config;
  Fingerprint fingerprint;
  std::vector<double> parameters;
  std::string optimizer;  // TAO type
  bool has_adam = false;
  AdamState adam;         // full moments
  std::int64_t iteration = 0;
  std::uint64_t iterate_evaluation = 0;
  std::int64_t ranks = 1;
  History history;
};

void write_checkpoint(const std::string& path, const Checkpoint& checkpoint);
/// DataError (qgen::data) when the file is missing, not a qgen checkpoint or of another format.
Checkpoint read_checkpoint(const std::string& path);

/// "" when equal; otherwise one line naming each difference ("circuit.ansatz: checkpoint 2,
/// this run 1").
std::string fingerprint_differences(const Fingerprint& saved, const Fingerprint& current);

/// FNV-1a of a vector's bytes, as hex text: identifies a target distribution.
std::string content_hash(const std::vector<double>& values);

}  // namespace qgen::train
