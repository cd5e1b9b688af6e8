// The training loop: a PETSc TAO solver over a distributed parameter Vec (PETSc's contiguous
// blocks: the optimiser's state is split over the ranks).
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
// once, before that collective, so no rank is left waiting.
// After each iteration TAO calls the monitor, which
//   - records the history (step, loss, gradient norm, seconds, evaluations); the norm is
//     summed in one fixed order on the lead rank, so the history does not depend on the
//     number of ranks,
//   - prints progress on the lead rank at most once a second (every step to the log file),
//   - writes a checkpoint every `checkpoint_every` steps,
//   - checks for SIGTERM/SIGUSR1 (agreed by all ranks) and then checkpoints and stops.
// Default solver: Adam (train/tao_adam.hpp); -tao_type and the other TAO options override.
#pragma once

#include <mpi.h>
#include <petsctao.h>

#include <cstdint>
#include <exception>
#include <fstream>
#include <string>
#include <vector>

#include "qgen/train/checkpoint.hpp"
#include "qgen/train/gradient_engine.hpp"
#include "qgen/train/stop_signals.hpp"

namespace qgen::train {

struct TrainerOptions {
  int steps = 300;
  bool stochastic = true;          // shots: TAO's gradient-norm tests off unless asked for
  int checkpoint_every = 0;        // 0: at the end and on a signal only
  std::string checkpoint_path;     // "": none
  bool quiet = false;
  std::string log_path;            // "": none
  double progress_interval = 1.0;  // seconds between progress lines on the terminal
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

enum class StopReason { completed, signal, converged };

struct TrainerResult {
  std::vector<double> parameters;  // on the lead rank
  History history;
  std::int64_t iteration = 0;
  StopReason stop = StopReason::completed;
  int signal = 0;
  std::string tao_reason;
};

class Trainer {
public:
  Trainer(MPI_Comm comm, GradientEngine& engine, int num_parameters, const TrainerOptions& options);
  ~Trainer();
  Trainer(const Trainer&) = delete;
  Trainer& operator=(const Trainer&) = delete;

  /// The TAO type chosen (after the options), and its settings as text (for fingerprints).
  std::string optimizer() const;
  std::string optimizer_settings() const;

  /// What checkpoints record besides the state.
  void set_checkpoint_identity(const std::string& config, const Fingerprint& fingerprint);

  TrainerResult run(const TrainerStart& start);

private:
  void assign_engine_work();
  static PetscErrorCode objective(Tao tao, Vec x, PetscReal* f, Vec g, void* context);
  static PetscErrorCode monitor(Tao tao, void* context);
  PetscErrorCode on_iteration();
  std::vector<double> gather_to_lead(Vec v) const;
  std::vector<double> gather_to_lead(const std::vector<double>& local) const;
  void write_checkpoint_now(std::int64_t iteration);
  void progress(std::int64_t step, double loss, double norm, double seconds, bool force);

  MPI_Comm comm_;
  int rank_ = 0, ranks_ = 1;
  GradientEngine& engine_;
  int num_parameters_;
  TrainerOptions options_;
  std::string config_;
  Fingerprint fingerprint_;
  Vec x_ = nullptr, full_ = nullptr, lead_ = nullptr;
  VecScatter to_all_ = nullptr, to_lead_ = nullptr;
  Tao tao_ = nullptr;
  std::vector<int> block_sizes_;      // the Vec's local sizes, by rank
  int first_ = 0;                     // this rank's first entry of the Vec
  std::vector<double> work_gradient_;  // all entries: this rank's work set, zeros elsewhere

  // Per run.
  StopSignals* signals_ = nullptr;
  std::uint64_t evaluation_ = 0, iterate_evaluation_ = 0;
  std::int64_t start_iteration_ = 0;
  History history_;
  double last_time_ = 0, last_print_ = -1e300, run_start_ = 0;
  bool stopped_by_signal_ = false;
  int signal_ = 0;
  std::exception_ptr failure_;
  std::ofstream log_;
};

}  // namespace qgen::train
