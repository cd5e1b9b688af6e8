// The training loop's driver: a PETSc TAO solver over a distributed parameter Vec (PETSc's
// contiguous blocks: the optimiser's state is split over the ranks).
//
// The gradient work is split separately: the lead rank times the engine's per-parameter costs
// and every rank takes its work set from assign_work (train/gradient_engine.hpp), a mix of
// expensive and cheap parameters. Contiguous blocks cut at equal estimated cost balance only as
// well as the estimate of simulation against sampling; mixed sets make that estimate's errors
// cancel (issue 4's benchmark, 2 ranks: 74 % parallel efficiency with blocks, 89-98 % mixed).
//
// TAO calls the objective-and-gradient callback, which gathers the full parameter vector on
// every rank (circuits need all of it), asks the engine for the loss and its work set's
// gradient entries, and sums the ranks' entries into the gradient Vec (MPI_Reduce_scatter;
// every entry has one contributor, so the sum is exact); a failure on any rank is agreed on at
// once (core::agree), before that collective, so no rank is left waiting.
//
// After each iteration the driver hands a StepRecord (the same on every rank: the gradient norm
// is summed in one fixed order on the lead rank, the time is the lead's) to a StepObserver,
// which keeps the history, writes checkpoints and watches for stop signals
// (train/training_monitor.hpp); printing progress is the application's business.
//
// Rank groups (train/group_gradient_engine.hpp): given a core::RankGroups of S > 1, the work
// sets go to the G = R / S groups instead of the ranks (the costs timed by group 0, which
// holds the world's lead), the engine's calls are collective over each group, and only each
// group's lead adds its (group-wide) entries into the sum, so every entry still has one
// contributor. The Vec, TAO and the checkpoints stay on the world communicator, unchanged.
//
// One owner for each optimiser setting: `TrainerOptions` sets the TAO type, Adam's learning
// rate and the iteration count, then TaoSetFromOptions lets -tao_type, -tao_adam_learning_rate
// and -tao_max_it override them; steps(), optimizer() and optimizer_settings() read the values
// in force back from TAO.
#pragma once

#include <mpi.h>
#include <petsctao.h>

#include <cstdint>
#include <exception>
#include <string>
#include <vector>

#include "qgen/core/parallel.hpp"
#include "qgen/train/checkpoint.hpp"
#include "qgen/train/gradient_engine.hpp"
#include "qgen/train/history.hpp"

namespace qgen::train {

struct TrainerOptions {
  int steps = 300;                 // TAO's iteration limit (-tao_max_it overrides)
  bool stochastic = true;          // shots: TAO's gradient-norm tests off unless asked for
  std::string optimizer = "adam";  // TAO type (-tao_type overrides)
  double learning_rate = 0.01;     // Adam's step (-tao_adam_learning_rate overrides)
};

/// Where a run starts: fresh parameters, or a checkpoint's state (full vectors on every rank).
struct TrainerStart {
  std::vector<double> parameters;
  bool restore_adam = false;
  AdamState adam;
  std::int64_t iteration = 0;
  std::uint64_t evaluation = 0;  // the number of the first gradient evaluation
  History history;
};

/// Where a checkpoint's run continues (after checking its fingerprint).
TrainerStart start_from(const Checkpoint& checkpoint);

/// The current iterate as a checkpoint holds it, on the lead rank (empty elsewhere).
struct TrainerState {
  std::vector<double> parameters;
  std::string optimizer;
  bool has_adam = false;
  AdamState adam;  // full moments
  std::uint64_t iterate_evaluation = 0;
};

/// Sees every TAO iteration, on every rank, with the same record everywhere.
class StepObserver {
public:
  virtual ~StepObserver() = default;
  /// True stops the run after this iteration (every rank returns the same).
  virtual bool after_step(const StepRecord& record) = 0;
};

struct TrainerResult {
  std::vector<double> parameters;  // on the lead rank
  std::int64_t iteration = 0;      // the last iteration reached
  bool stopped_by_observer = false;
  std::string tao_reason;
};

class Trainer {
public:
  /// `groups`: null, or the rank groups whose group engine `engine` is (S > 1).
  Trainer(const core::Ranks& ranks, GradientEngine& engine, int num_parameters,
          const TrainerOptions& options, const core::RankGroups* groups = nullptr);
  ~Trainer();
  Trainer(const Trainer&) = delete;
  Trainer& operator=(const Trainer&) = delete;

  /// The values in force after the -tao_* options.
  int steps() const;
  std::string optimizer() const;
  std::string optimizer_settings() const;  // for checkpoint fingerprints

  /// Runs TAO from `start` until its iteration limit, its convergence tests or the observer
  /// stops it. Collective.
  TrainerResult run(const TrainerStart& start, StepObserver& observer);

  /// The current iterate, gathered on the lead rank. Collective.
  TrainerState state() const;

private:
  void assign_engine_work();
  static PetscErrorCode objective(Tao tao, Vec x, PetscReal* f, Vec g, void* context);
  static PetscErrorCode monitor(Tao tao, void* context);
  void on_iteration();
  std::vector<double> gather_to_lead(Vec v) const;
  std::vector<double> gather_to_lead(const std::vector<double>& local) const;

  core::Ranks ranks_;
  GradientEngine& engine_;
  const core::RankGroups* groups_ = nullptr;
  int num_parameters_;
  Vec x_ = nullptr, full_ = nullptr, lead_ = nullptr;
  VecScatter to_all_ = nullptr, to_lead_ = nullptr;
  Tao tao_ = nullptr;
  std::vector<int> block_sizes_;       // the Vec's local sizes, by rank
  int first_ = 0;                      // this rank's first entry of the Vec
  std::vector<double> work_gradient_;  // all entries: this rank's work set, zeros elsewhere

  // Per run.
  StepObserver* observer_ = nullptr;
  std::uint64_t evaluation_ = 0, iterate_evaluation_ = 0;
  double last_time_ = 0;
  bool stopped_by_observer_ = false;
  std::exception_ptr failure_;
};

}  // namespace qgen::train
