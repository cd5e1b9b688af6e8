// Training a QINN (paper 004, section 4 and Table 1): epochs of shuffled batches, Adam
// (beta1 = beta2 = 0.9, train/adam_update.hpp) with the one-cycle learning rate
// (train/one_cycle.hpp; total steps = epochs x batches per epoch), the loss and gradient of each
// batch from the ranks together (qinn/objective.hpp), the validation loss after every epoch and
// the parameters of the epoch with the lowest one kept.
//
// Randomness: epoch e's batch order is the shuffle of the stream (seed, shuffle, e); update t's
// generated latents and latent reference sample come from (seed, generated, t) and (seed,
// reference, t), event i of the batch at position i n. The validation split is cut in batches
// of the same size in its own order, each with its own fixed draws (seed, validation_*, batch),
// so the validation loss of every epoch is measured against the same sample.
//
// Checkpoints (qinn/checkpoint.hpp) are written by the lead rank every `checkpoint_every`
// epochs, at the end, and when a SIGTERM or SIGUSR1 arrives (noticed after any batch, agreed by
// all ranks with one MPI_Allreduce): the run then stops mid-epoch and a restart continues from
// that batch with the same bits.
#pragma once

#include <functional>
#include <string>

#include "qgen/core/parallel.hpp"
#include "qgen/qinn/checkpoint.hpp"
#include "qgen/qinn/event_set.hpp"
#include "qgen/qinn/objective.hpp"
#include "qgen/qinn/streams.hpp"
#include "qgen/train/adam_update.hpp"
#include "qgen/train/one_cycle.hpp"
#include "qgen/train/stop_signals.hpp"

namespace qgen::qinn {

struct TrainerOptions {
  int epochs = 200;
  int batch_size = 128;
  train::OneCycle schedule;  // total_steps: set by the trainer
  train::AdamHyper adam{0.9, 0.9, 1e-8};
  std::uint64_t seed = 1;
  std::string checkpoint;    // "": none
  int checkpoint_every = 1;  // epochs; 0: at the end and on a signal only
  std::string config;        // recorded in checkpoints
  train::Fingerprint fingerprint;
  const train::StopSignals* signals = nullptr;
  std::function<void(const EpochRecord&)> progress;  // after every epoch, on the lead rank
};

struct TrainerResult {
  int signal = 0;  // the signal that stopped the run, or 0
};

/// The mean loss of a split cut into batches of `batch_size` (the last one smaller), batch k
/// with the draws (seed, generated, k) and (seed, reference, k) of the given purposes. Collective.
LossParts split_loss(Objective& objective, std::span<const double> parameters, const EventSet& events,
                     int features, int batch_size, std::uint64_t seed, Purpose generated,
                     Purpose reference);

class Trainer {
public:
  Trainer(const core::Ranks& ranks, Objective& objective, const EventSet& train,
          const EventSet& validation, int features, TrainerOptions options);

  int batches_per_epoch() const { return batches_; }
  /// Trains from `state` (fresh or a checkpoint's) until the last epoch or a stop signal.
  /// Collective; `state` is the same on every rank.
  TrainerResult run(TrainingState& state);

  /// A fresh state: the parameters, zero moments.
  static TrainingState fresh(std::vector<double> parameters);

private:
  void write_checkpoint(const TrainingState& state) const;

  core::Ranks ranks_;
  Objective& objective_;
  const EventSet& train_;
  const EventSet& validation_;
  int n_;
  TrainerOptions options_;
  int batches_ = 0;
};

}  // namespace qgen::qinn
