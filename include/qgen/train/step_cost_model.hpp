// A cost model of one parameter-shift training step (docs/cost-model.md): the predicted seconds
// per step and parallel efficiency of `qgen train` on R ranks laid out as G groups of S ranks
// (S = 1: circuit-level parallelism, today's default; S > 1: rank groups sharing distributed
// states, docs/groups.md), for allocations far larger than any machine a test runs on.
//
// What a step does, per rank (trainer.cpp, gradient_engine.cpp, group_gradient_engine.cpp):
//   replicated  the unshifted circuit (F = forward passes x 2^L amplitudes), its shot estimate,
//               the loss and dL/dQ over all 2^Q states, and ParameterShift's own walk: the
//               paired final state (one more forward) and the prefix advanced to the work
//               set's last site (bounded by one forward; mixed work sets reach it);
//   work set    the per-parameter seconds of train::shift_work_cost (the work split's own
//               estimate: suffix passes x seconds per pass x simulations + 2 shot estimates),
//               split by train::assign_work over G groups: the slowest group's load counts;
//   groups      per circuit run the exchanges of its distribution plan after its gate
//               (sim::plan_distribution), each moving half of every rank's 2^L amplitudes;
//               the model gathered on every rank of the group (8 B x 2^Q); with shots every
//               circuit's distribution gathered on the group's lead and its counts sent back;
//               one MPI_Allreduce of the gradient over the group;
//   world       per step (S = 1 counts, trainer.cpp + TAO Adam + the monitor): the parameters
//               gathered on every rank (PETSc VecScatter, P doubles), MPI_Reduce_scatter of the
//               gradient (P doubles), the gradient gathered on the lead (P doubles), and small
//               MPI_Allreduce / MPI_Bcast calls (failure agreement, the norm, progress, signals,
//               the step time).
// Collectives cost t = alpha ceil(log2 R) + beta n f(R): latency alpha and seconds per byte
// beta fitted on 2 ranks (qgen-bench-cost) and scaled by the textbook algorithms' factors
// (allreduce 2(R-1)/R, allgather and reduce-scatter (R-1)/R of the total, gather to one (R-1)/R,
// broadcast ceil(log2 R)), normalised so that R = 2 gives the measured figure. A calibration
// measured on one node knows nothing of a network: run qgen-bench-cost on two nodes of the
// target machine for inter-node figures.
//
// Memory per rank (train::training_memory_per_rank, the figure check_group_training_fit
// enforces): the distributed states shrink with S, the loss's whole vectors do not. A layout
// fits when ranks_per_node x that <= node memory; by default as many ranks go on a node as
// fit (at most one per core), and the prediction says how many nodes that takes.
//
// All functions are pure: they depend only on their arguments (no timing, no MPI).
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "qgen/sim/angle_sites.hpp"
#include "qgen/sim/fusion.hpp"
#include "qgen/train/gradient_engine.hpp"

namespace qgen::train {

/// A collective's cost on 2 ranks: t(n bytes) = latency + seconds_per_byte n.
struct LinkFigures {
  double latency = 0;           // seconds
  double seconds_per_byte = 0;  // seconds per byte of the message (as counted in f(R) below)
};

/// The model's constants, measured by qgen-bench-cost (tests/bench/bench_cost.cpp) and kept
/// as JSON (to_json / calibration_from_json).
struct CostCalibration {
  std::string machine;  // processor (and how many ranks, which node layout)
  std::string measured; // when and how
  // Seconds per amplitude of one pass (a fused 2x2 gate; train/gradient_engine's unit) at the
  // measured qubit counts, ascending; interpolated in log2 between them, held constant beyond.
  std::vector<std::pair<int, double>> pass_seconds_per_amplitude;
  // One shot estimate (alias table over 2^Q states, then the draws): per state + per shot.
  double estimate_seconds_per_state = 0;
  double estimate_seconds_per_shot = 0;
  // The loss and dL/dQ over the 2^Q states (every rank, whole vectors).
  double loss_seconds_per_state = 0;
  LinkFigures allreduce, allgather, reduce_scatter, gather, broadcast;
  LinkFigures exchange;  // MPI_Sendrecv between two ranks (the bytes one rank sends)
};

/// The calibration compiled in: figures measured on this project's 2-core development
/// machine (docs/cost-model.md says which processor); replace it with qgen-bench-cost's file.
CostCalibration builtin_calibration();
std::string to_json(const CostCalibration& calibration);
/// core::DataError naming `where` and the missing or bad key.
CostCalibration calibration_from_json(const std::string& text, const std::string& where);

/// Seconds of one pass over 2^local_qubits amplitudes.
double pass_seconds(const CostCalibration& c, int local_qubits);
/// Seconds of one shot estimate of a 2^num_qubits distribution (0 when shots is 0) on a group
/// of `group_size` ranks: up to sim::kLargestAliasTable states the lead draws from the whole
/// distribution; beyond, every rank sweeps its slice (sim/cdf_sampling.hpp), with the alias
/// table's calibrated cost per state (the CDF's two passes and sweep are not measured apart).
/// Every rank reads every shot's word either way.
double estimate_seconds(const CostCalibration& c, int num_qubits, std::uint64_t shots, int group_size = 1);

enum class Collective { allreduce, allgather, reduce_scatter, gather, broadcast };
/// Seconds of one collective over `ranks` ranks (0 for one rank). `bytes`: allreduce, broadcast:
/// the vector; allgather, reduce_scatter, gather: the whole (concatenated) vector.
double collective_seconds(const CostCalibration& c, Collective kind, int ranks, double bytes);
/// Seconds of `exchanges` pairwise exchanges of `bytes` each (sent by every rank).
double exchange_seconds(const CostCalibration& c, double exchanges, double bytes);

/// What one step computes: the circuit's fusion plan and parameter-shift sites, from the real
/// circuit (the same objects the engines build).
struct StepShape {
  int num_qubits = 0;
  int num_parameters = 0;
  std::uint64_t shots = 0;  // 0: exact
  bool paired = true;       // paired shift (1 suffix simulation per site) or direct (2)
  sim::FusionPlan fusion;
  std::vector<sim::AngleSite> sites;
  std::vector<double> site_costs;  // ParameterShift::site_costs (passes)
  double forward_passes = 0;       // one whole circuit, in passes

  int circuits() const { return 1 + 2 * static_cast<int>(sites.size()); }   // of a step
  int suffix_simulations() const { return static_cast<int>(sites.size()) * (paired ? 1 : 2); }
};
/// The step of `circuit` with these options (parameter shift only).
StepShape describe_step(const sim::Circuit& circuit, const EngineOptions& options);

/// The machine an allocation runs on.
struct MachineShape {
  double node_memory = 256.0 * (1ull << 30);  // bytes per node usable by qgen
  int cores_per_node = 128;
  int ranks_per_node = 0;  // 0: as many as fit in memory, at most one per core
  /// Ranks of a run on `ranks` ranks placed on each node at `memory_per_rank` (at most
  /// `ranks`; 0 when they do not fit).
  int ranks_per_node_for(double memory_per_rank, int ranks) const;
};

/// Communication of one step as one rank of group 0 sees it (predicted; compared with the
/// counted calls in tests/bench/validate_cost_model.sh).
struct StepTraffic {
  double allreduce_calls = 0, allreduce_bytes = 0;        // the world's small ones + the group's
  double reduce_scatter_calls = 0, reduce_scatter_bytes = 0;
  double broadcast_calls = 0;
  double parameter_gathers = 0;     // PETSc scatters of P doubles (to all, to the lead)
  double exchanges = 0, exchange_bytes = 0;               // per rank, inside the group
  double distribution_gathers = 0, distribution_bytes = 0;  // 2^Q vectors gathered in the group
};

struct StepPrediction {
  int ranks = 1, groups = 1, group_size = 1;
  bool fits = true;             // memory per rank x ranks on a node <= node memory
  double memory_per_rank = 0;   // bytes
  int ranks_per_node = 0;       // placed on each node (MachineShape::ranks_per_node_for)
  int nodes = 0;                // ceil(ranks / ranks_per_node); 0 when it does not fit
  double seconds = 0;           // per step, the slowest group
  double replicated = 0;        // seconds every group spends whatever its work set
  double work = 0;              // the slowest group's work set (seconds)
  double communication = 0;     // seconds of collectives and exchanges (included above)
  int busy_groups = 0;          // groups with a non-empty work set
  StepTraffic traffic;
};

/// R ranks as G = R / S groups of S. std::invalid_argument unless S is a power of two dividing
/// R and leaving two local qubits.
StepPrediction predict_step(const StepShape& step, const CostCalibration& c,
                            const MachineShape& machine, int ranks, int group_size);

/// The fastest layout of `ranks` that fits (over S = 1, 2, 4, ... dividing ranks); its `fits`
/// is false (and S the one needing least memory) when none does.
StepPrediction best_layout(const StepShape& step, const CostCalibration& c,
                           const MachineShape& machine, int ranks);

/// Speed-up and efficiency of `p` against a reference run on `reference_ranks` ranks taking
/// `reference_seconds`: speed-up = reference_seconds / p.seconds, efficiency =
/// speed-up x reference_ranks / p.ranks.
std::pair<double, double> speedup_and_efficiency(const StepPrediction& p, double reference_seconds,
                                                 int reference_ranks);

}  // namespace qgen::train
