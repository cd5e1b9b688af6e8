// The gradient engines of train/gradient_engine.hpp on a rank group (core::RankGroups): the S
// ranks of one group compute the group's work set together, each circuit on a state
// distributed over them (sim/distributed_*.hpp), 2^Q / S amplitudes per rank. The trainer
// hands the work sets to groups instead of ranks (assign_work with G = R / S parts) and sums
// only the groups' leads' entries (train/trainer.hpp).
//
//   parameter-shift  the unshifted circuit on the distributed simulator; the shifted circuits
//                    of the work set by sim::DistributedParameterShift, whose probabilities
//                    equal the single-rank ones bit for bit (L = Q - log2 S >= 3). Shots: up
//                    to 2^24 states the group's lead draws each circuit's counts from the
//                    gathered distribution with the single-rank sampler and the same stream
//                    (seed, evaluation, circuit id); beyond, each rank from its slice by the
//                    integer CDF -- sim/distributed_sampling.hpp -- so the counts are the
//                    single-rank run's for any G and S.
//   adjoint          sim::DistributedAdjoint: one forward and one backward sweep per group,
//                    the ranks' shares of each derivative summed over the group.
//
// The loss. Each rank holds only its slices -- the basis states of its amplitudes, [r 2^L,
// (r+1) 2^L) in the canonical layout every run ends in -- of the target (the Loss, sliced for
// the group: Loss::slice or the scattered target), of the model (its exact probabilities or
// shot estimate) and of dL/dQ. The loss is summed over the slices and the group in one tree
// order (train/loss.hpp), so it equals the single-rank loss bit for bit when the model does;
// dL/dQ is elementwise (MMD's band takes its neighbours' edges). A shifted circuit's
// contribution sum_x dL/dQ_x p+-(x) is summed over the rank's slice, and the slices' sums over
// the group (one MPI_Allreduce of the gradient per evaluation): equal to the single rank's sum
// to rounding (1e-16 relative). So exact runs equal the single-rank run to rounding and shot
// runs draw the same counts. What does not shrink with S: with shots up to 2^24 states, the
// group lead's gathered distribution and alias table (40 B x 2^Q; beyond, each rank draws from
// its slice), and (qgen train) rank 0's whole target and model for the results file at the
// end; everything else per rank does (group_training_memory).
//
// Every call (evaluate, parameter_costs) is collective over the group.
#pragma once

#include <memory>

#include "qgen/core/parallel.hpp"
#include "qgen/train/gradient_engine.hpp"

namespace qgen::train {

/// The engine of `options.method` on `group` (collective), with `loss` sliced for the group
/// (loss.group() of the same size and rank, 2^Q / S states: core::InternalError otherwise);
/// the engine keeps a reference to it. model() is then this rank's slice. core::InputError, on
/// every rank of the group with one message, when the group cannot hold its states, or for
/// the adjoint with shots.
std::unique_ptr<GradientEngine> make_group_gradient_engine(const core::Ranks& group,
                                                           const sim::Circuit& circuit,
                                                           const EngineOptions& options,
                                                           const Loss& loss);

/// Bytes a rank of a training group holds, as check_group_training_fit counts them.
struct GroupTrainingMemory {
  double states = 0;       // every rank: the engine's distributed states and probability slices
  double loss_slices = 0;  // every rank: its slices of the target and dL/dQ (MMD: and P - Q)
  double shots_lead = 0;   // more on each group's lead with shots up to 2^24 states: the
                           // whole distribution, alias table and counts (40 B x 2^Q)
  double world_lead_end = 0;  // rank 0 at the end, the engine gone: the whole target and
                              // trained model for the results (16 B x 2^Q), the trained
                              // model's simulation and the loss's target slice (2 states)
  /// What one rank holds at most (rank 0: training or the end, whichever is more).
  double rank(bool group_lead, bool world_lead_rank) const;
};
GroupTrainingMemory group_training_memory(int num_qubits, int group_size,
                                          const EngineOptions& options, LossKind loss);
/// The most a rank of a group holds during training with the JS loss (a group's lead with
/// shots; group_training_memory), for the step cost model (train/step_cost_model.hpp).
double training_memory_per_rank(int num_qubits, int group_size, const EngineOptions& options);

/// Checks, before anything is allocated (the target included), that groups of `groups.size()`
/// ranks can train a `num_qubits`-qubit circuit with `options` and `loss`: S a power of two
/// dividing the ranks (split_into_groups did that), at least 2 local qubits, and the memory of
/// group_training_memory summed over the ranks on each node (all G groups work at once) --
/// core::InputError on every rank, one message from the lead (sim::check_distributed_fit's,
/// naming the group size the per-rank part needs, or one naming the whole vectors on the
/// leads). Collective over `world`.
void check_group_training_fit(const core::Ranks& world, const core::RankGroups& groups,
                              int num_qubits, const EngineOptions& options, LossKind loss);

}  // namespace qgen::train
