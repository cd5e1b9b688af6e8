// The gradient engines of train/gradient_engine.hpp on a rank group (core::RankGroups): the S
// ranks of one group compute the group's work set together, each circuit on a state
// distributed over them (sim/distributed_*.hpp), 2^Q / S amplitudes per rank. The trainer
// hands the work sets to groups instead of ranks (assign_work with G = R / S parts) and sums
// only the groups' leads' entries (train/trainer.hpp).
//
//   parameter-shift  the unshifted circuit on the distributed simulator; the shifted circuits
//                    of the work set by sim::DistributedParameterShift, whose probabilities
//                    equal the single-rank ones bit for bit (L = Q - log2 S >= 3). Shots: the
//                    group's lead draws each circuit's counts from the gathered distribution
//                    with the single-rank sampler and the same stream (seed, evaluation,
//                    circuit id) -- sim/distributed_sampling.hpp -- so the counts are the
//                    single-rank run's for any G and S.
//   adjoint          sim::DistributedAdjoint: one forward and one backward sweep per group,
//                    the ranks' shares of each derivative summed over the group.
//
// The loss. The model distribution (exact, or the shot estimate) is gathered on every rank of
// the group in index order -- the vector a single rank holds -- and the loss and dL/dQ are
// computed from it exactly as on one rank (bit for bit when the probabilities are). A shifted
// circuit's contribution sum_x dL/dQ_x p+-(x) is summed over the rank's slice, and the slices'
// sums over the group (one MPI_Allreduce of the gradient per evaluation): equal to the single
// rank's sum to rounding (1e-16 relative). So exact runs equal the single-rank run to rounding
// and shot runs draw the same counts. What does not shrink with S: the target, the model and
// dL/dQ (8 B x 2^Q each, on every rank) and, with shots, the lead's gathered distribution and
// alias table (40 B x 2^Q); the states (16 B x 2^Q each) do.
//
// Every call (evaluate, parameter_costs) is collective over the group.
#pragma once

#include <memory>

#include "qgen/core/parallel.hpp"
#include "qgen/train/gradient_engine.hpp"

namespace qgen::train {

/// The engine of `options.method` on `group` (collective). core::InputError, on every rank of
/// the group with one message, when the group cannot hold its states, or for the adjoint with
/// shots.
std::unique_ptr<GradientEngine> make_group_gradient_engine(const core::Ranks& group,
                                                           const sim::Circuit& circuit,
                                                           const EngineOptions& options,
                                                           const Loss& loss);

/// Bytes per rank of a training run on groups of `group_size` ranks (what
/// check_group_training_fit checks for every rank on a node): the engine's distributed states,
/// which shrink with the group size, plus the loss's whole vectors, which do not. Used by the
/// step cost model (train/step_cost_model.hpp).
double training_memory_per_rank(int num_qubits, int group_size, const EngineOptions& options);

/// Checks, before anything is allocated (the target included), that groups of `groups.size()`
/// ranks can train a `num_qubits`-qubit circuit with `options`: S a power of two dividing the
/// ranks (split_into_groups did that), at least 2 local qubits, and the per-rank memory of
/// the engine's distributed states plus the full vectors of the loss, for every rank on the
/// node (all G groups work at once) -- core::InputError on every rank, one message from the
/// lead (sim::check_distributed_fit's, naming the group size the states need). Collective
/// over `world`.
void check_group_training_fit(const core::Ranks& world, const core::RankGroups& groups,
                              int num_qubits, const EngineOptions& options);

}  // namespace qgen::train
