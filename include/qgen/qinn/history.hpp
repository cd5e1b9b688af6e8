// A QINN training's history, one entry per epoch, and its HDF5 group (the same in checkpoints
// and results files):
//   <group>/{epoch} int64, <group>/{learning_rate, grad_norm, seconds} float64
//   <group>/train/{input_mmd, latent_mmd, mass_mmd, invertibility, total} float64
//   <group>/validation/{...the same}
// train: the mean over the epoch's batches of each term (unweighted) and of the weighted
// total; validation: the same over the validation split at the epoch's end; learning_rate:
// the one-cycle rate of the epoch's last update; grad_norm: the mean gradient norm.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "qgen/core/hdf5.hpp"
#include "qgen/qinn/objective.hpp"

namespace qgen::qinn {

struct EpochRecord {
  std::int64_t epoch = 0;  // from 1
  LossParts train, validation;
  double learning_rate = 0, grad_norm = 0, seconds = 0;
};

struct EpochHistory {
  std::vector<EpochRecord> records;
  std::size_t size() const { return records.size(); }
};

void write_epoch_history(const core::hdf5::Location& parent, const std::string& name,
                         const EpochHistory& history);
EpochHistory read_epoch_history(const core::hdf5::Location& parent, const std::string& name);

/// Loss parts as HDF5 datasets of one group, and back.
void write_loss_parts(const core::hdf5::Location& group, const std::vector<LossParts>& parts);
std::vector<LossParts> read_loss_parts(const core::hdf5::Location& group);

}  // namespace qgen::qinn
