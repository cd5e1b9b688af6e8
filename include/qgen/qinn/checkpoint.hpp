// A QINN training's state and its checkpoint file: everything a run needs to continue exactly,
// in one HDF5 file written by the lead rank through core::AtomicFile (an interrupted write never
// destroys the previous checkpoint).
//
//   /                       attributes qgen_qinn_checkpoint = 1, format_version, ranks
//   /config                 the run's options as INI text
//   /fingerprint            attributes: what a continuation must match (train/checkpoint.hpp)
//   /parameters, /adam/{first_moment, second_moment}   float64 [P]
//   /position               attributes step (updates done), epoch (epochs done), batch (batches
//                           done in the current epoch), grad_norm_sum; group partial: the
//                           current epoch's loss sums (history.hpp's parts, one entry)
//   /best/parameters        attributes epoch (0: none yet), validation_loss
//   /history                qinn/history.hpp
//
// The batch order of an epoch and the latent draws of an update are keyed by (seed, epoch) and
// (seed, update), so restarting from a position reproduces the same batches and the losses of
// an uninterrupted run bit for bit.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "qgen/qinn/history.hpp"
#include "qgen/train/checkpoint.hpp"

namespace qgen::qinn {

inline constexpr std::int64_t kQinnCheckpointFormat = 1;

struct TrainingState {
  std::vector<double> parameters, first_moment, second_moment;
  std::int64_t step = 0, epoch = 0, batch = 0;
  LossParts partial;
  double partial_grad_norm = 0;
  std::vector<double> best_parameters;
  std::int64_t best_epoch = 0;
  double best_validation = std::numeric_limits<double>::infinity();
  EpochHistory history;
};

struct QinnCheckpoint {
  std::string config;
  train::Fingerprint fingerprint;
  TrainingState state;
  std::int64_t ranks = 1;
};

void write_qinn_checkpoint(const std::string& path, const QinnCheckpoint& checkpoint);
/// DataError when the file is missing, not a QINN checkpoint (a qgen train checkpoint, a
/// results file, ...) or of another format.
QinnCheckpoint read_qinn_checkpoint(const std::string& path);

}  // namespace qgen::qinn
