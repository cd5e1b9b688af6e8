#include "qgen/train/trainer.hpp"

#include <petsc/private/taoimpl.h>

#include <cmath>
#include <cstdio>
#include <stdexcept>
#include <string>

#include "qgen/train/log_events.hpp"
#include "qgen/train/petsc_error.hpp"

namespace qgen::train {
namespace {

void check(PetscErrorCode code, const char* what) { check_petsc(code, what); }

std::string duration_text(double seconds) {
  char text[32];
  const long s = std::lround(seconds);
  if (s >= 3600) std::snprintf(text, sizeof text, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
  else std::snprintf(text, sizeof text, "%ld:%02ld", s / 60, s % 60);
  return text;
}

}  // namespace

TrainerStart start_from(const Checkpoint& checkpoint) {
  TrainerStart s;
  s.parameters = checkpoint.parameters;
  s.restore_adam = checkpoint.has_adam;
  s.adam = checkpoint.adam;
  s.iteration = checkpoint.iteration;
  s.evaluation = checkpoint.iterate_evaluation;
  s.history = checkpoint.history;
  return s;
}

Trainer::Trainer(MPI_Comm comm, GradientEngine& engine, int num_parameters,
                 const TrainerOptions& options)
    : comm_(comm), engine_(engine), num_parameters_(num_parameters), options_(options) {
  MPI_Comm_rank(comm_, &rank_);
  MPI_Comm_size(comm_, &ranks_);
  register_tao_adam();
  assign_engine_work();
  check(VecCreateMPI(comm_, PETSC_DECIDE, num_parameters_, &x_), "VecCreateMPI");
  const PetscInt* ranges = nullptr;
  check(VecGetOwnershipRanges(x_, &ranges), "VecGetOwnershipRanges");
  for (int r = 0; r < ranks_; ++r) block_sizes_.push_back(static_cast<int>(ranges[r + 1] - ranges[r]));
  first_ = static_cast<int>(ranges[rank_]);
  work_gradient_.resize(num_parameters_);
  check(VecScatterCreateToAll(x_, &to_all_, &full_), "VecScatterCreateToAll");
  check(VecScatterCreateToZero(x_, &to_lead_, &lead_), "VecScatterCreateToZero");
  check(TaoCreate(comm_, &tao_), "TaoCreate");
  check(TaoSetType(tao_, kTaoAdam), "TaoSetType");
  check(TaoSetSolution(tao_, x_), "TaoSetSolution");
  check(TaoSetObjectiveAndGradient(tao_, nullptr, &Trainer::objective, this), "TaoSetObjectiveAndGradient");
  check(TaoSetMonitor(tao_, &Trainer::monitor, this, nullptr), "TaoSetMonitor");
  check(TaoSetMaximumIterations(tao_, options_.steps), "TaoSetMaximumIterations");
  check(TaoSetMaximumFunctionEvaluations(tao_, PETSC_MAX_INT), "TaoSetMaximumFunctionEvaluations");
  if (options_.stochastic) check(TaoSetTolerances(tao_, 0.0, 0.0, 0.0), "TaoSetTolerances");
  check(TaoSetFromOptions(tao_), "TaoSetFromOptions (see the -tao_* options)");
  check(TaoSetUp(tao_), "TaoSetUp");
}

Trainer::~Trainer() {
  TaoDestroy(&tao_);
  VecScatterDestroy(&to_all_);
  VecScatterDestroy(&to_lead_);
  VecDestroy(&full_);
  VecDestroy(&lead_);
  VecDestroy(&x_);
}

void Trainer::assign_engine_work() {
  // Timed on the lead rank alone and shared: every rank must compute the same work sets.
  // A failure there is agreed before the costs are broadcast, so no rank waits for them.
  std::vector<double> costs(num_parameters_);
  int ok = 1;
  std::string message;
  if (rank_ == 0) {
    try {
      costs = engine_.parameter_costs();
      if (static_cast<int>(costs.size()) != num_parameters_)
        throw std::logic_error("the engine's costs do not match the parameters");
    } catch (const std::exception& e) {
      ok = 0;
      message = e.what();
    }
  }
  MPI_Bcast(&ok, 1, MPI_INT, 0, comm_);
  if (!ok)
    throw std::runtime_error("trainer: timing the gradient's work failed" +
                             (rank_ == 0 ? ": " + message : std::string(" (see rank 0)")));
  MPI_Bcast(costs.data(), num_parameters_, MPI_DOUBLE, 0, comm_);
  engine_.set_work(assign_work(costs, ranks_)[rank_]);
}

std::string Trainer::optimizer() const {
  TaoType type = nullptr;
  TaoGetType(tao_, &type);
  return type ? type : "?";
}

std::string Trainer::optimizer_settings() const {
  return is_adam(tao_) ? optimizer() + " " + adam_settings(tao_) : optimizer();
}

void Trainer::set_checkpoint_identity(const std::string& config, const Fingerprint& fingerprint) {
  config_ = config;
  fingerprint_ = fingerprint;
}

PetscErrorCode Trainer::objective(Tao, Vec x, PetscReal* f, Vec g, void* context) {
  auto* self = static_cast<Trainer*>(context);
  PetscFunctionBegin;
  PetscCall(VecScatterBegin(self->to_all_, x, self->full_, INSERT_VALUES, SCATTER_FORWARD));
  PetscCall(VecScatterEnd(self->to_all_, x, self->full_, INSERT_VALUES, SCATTER_FORWARD));
  const PetscScalar* theta = nullptr;
  PetscCall(VecGetArrayRead(self->full_, &theta));
  int ok = 1;
  double loss = 0;
  try {
    loss = self->engine_.evaluate(std::span<const double>(theta, self->num_parameters_),
                                  self->evaluation_, self->work_gradient_);
  } catch (...) {
    self->failure_ = std::current_exception();
    ok = 0;
  }
  PetscCall(VecRestoreArrayRead(self->full_, &theta));
  // A failure anywhere stops every rank here, before the next collective.
  int all_ok = 0;
  {
    const LogEvent event(log_events().reduce);
    MPI_Allreduce(&ok, &all_ok, 1, MPI_INT, MPI_MIN, self->comm_);
  }
  if (!all_ok) SETERRQ(self->comm_, PETSC_ERR_USER, "qgen: the gradient evaluation failed");
  {
    // Each entry comes from the one rank whose work set holds it, the others add zeros: the
    // sum is exact, so the gradient does not depend on who computed what.
    const LogEvent event(log_events().reduce);
    PetscScalar* local = nullptr;
    PetscCall(VecGetArray(g, &local));
    MPI_Reduce_scatter(self->work_gradient_.data(), local, self->block_sizes_.data(), MPI_DOUBLE,
                       MPI_SUM, self->comm_);
    PetscCall(VecRestoreArray(g, &local));
  }
  self->iterate_evaluation_ = self->evaluation_++;
  *f = loss;
  PetscFunctionReturn(0);
}

std::vector<double> Trainer::gather_to_lead(Vec v) const {
  VecScatterBegin(to_lead_, v, lead_, INSERT_VALUES, SCATTER_FORWARD);
  VecScatterEnd(to_lead_, v, lead_, INSERT_VALUES, SCATTER_FORWARD);
  std::vector<double> out;
  if (rank_ == 0) {
    const PetscScalar* values = nullptr;
    VecGetArrayRead(lead_, &values);
    out.assign(values, values + num_parameters_);
    VecRestoreArrayRead(lead_, &values);
  }
  return out;
}

std::vector<double> Trainer::gather_to_lead(const std::vector<double>& local) const {
  std::vector<int> counts(ranks_), offsets(ranks_);
  const int mine = static_cast<int>(local.size());
  MPI_Gather(&mine, 1, MPI_INT, counts.data(), 1, MPI_INT, 0, comm_);
  std::vector<double> out;
  if (rank_ == 0) {
    int total = 0;
    for (int r = 0; r < ranks_; ++r) offsets[r] = total, total += counts[r];
    out.resize(total);
  }
  MPI_Gatherv(local.data(), mine, MPI_DOUBLE, out.data(), counts.data(), offsets.data(),
              MPI_DOUBLE, 0, comm_);
  return out;
}

void Trainer::write_checkpoint_now(std::int64_t iteration) {
  if (options_.checkpoint_path.empty()) return;
  const LogEvent event(log_events().io);
  Checkpoint c;
  c.parameters = gather_to_lead(x_);
  c.has_adam = is_adam(tao_);
  if (c.has_adam) {
    const AdamState local = get_adam_state(tao_);
    c.adam.first_moment = gather_to_lead(local.first_moment);
    c.adam.second_moment = gather_to_lead(local.second_moment);
    c.adam.step = local.step;
  }
  int ok = 1;
  std::string message;
  if (rank_ == 0) {
    c.config = config_;
    c.fingerprint = fingerprint_;
    c.optimizer = optimizer();
    c.iteration = iteration;
    c.iterate_evaluation = iterate_evaluation_;
    c.ranks = ranks_;
    c.history = history_;
    try {
      write_checkpoint(options_.checkpoint_path, c);
    } catch (const std::exception& e) {
      ok = 0;
      message = e.what();
    }
  }
  MPI_Bcast(&ok, 1, MPI_INT, 0, comm_);
  if (!ok) throw std::runtime_error("cannot write the checkpoint: " + (rank_ == 0 ? message : std::string("see rank 0")));
}

void Trainer::progress(std::int64_t step, double loss, double norm, double seconds, bool force) {
  if (rank_ != 0) return;
  const double now = MPI_Wtime();
  const std::int64_t done = step - start_iteration_;
  const double per_step = done > 0 ? (now - run_start_) / static_cast<double>(done) : seconds;
  char line[256];
  std::snprintf(line, sizeof line,
                "step %6lld/%d  loss %.6e  |grad| %.3e  %.3f s/step  left %s\n",
                static_cast<long long>(step), options_.steps, loss, norm, seconds,
                duration_text(per_step * static_cast<double>(options_.steps - step)).c_str());
  if (log_.is_open()) log_ << line << std::flush;
  if (!options_.quiet && (force || now - last_print_ >= options_.progress_interval)) {
    std::fputs(line, stdout);
    std::fflush(stdout);
    last_print_ = now;
  }
}

PetscErrorCode Trainer::monitor(Tao, void* context) {
  auto* self = static_cast<Trainer*>(context);
  try {
    return self->on_iteration();
  } catch (...) {
    self->failure_ = std::current_exception();
    SETERRQ(self->comm_, PETSC_ERR_USER, "qgen: the training monitor failed");
  }
}

PetscErrorCode Trainer::on_iteration() {
  PetscInt iteration = 0;
  PetscReal f = 0, residual = 0, cnorm = 0, step_length = 0;
  TaoConvergedReason reason;
  PetscFunctionBegin;
  PetscCall(TaoGetSolutionStatus(tao_, &iteration, &f, &residual, &cnorm, &step_length, &reason));
  // |grad| summed in one order on the lead rank: the same for any number of ranks.
  Vec gradient = nullptr;
  PetscCall(TaoGetGradient(tao_, &gradient, nullptr, nullptr));
  double norm = 0;
  {
    const LogEvent event(log_events().reduce);
    const auto g = gather_to_lead(gradient);
    for (double x : g) norm += x * x;
    norm = std::sqrt(norm);
    MPI_Bcast(&norm, 1, MPI_DOUBLE, 0, comm_);
  }
  double now = MPI_Wtime();
  MPI_Bcast(&now, 1, MPI_DOUBLE, 0, comm_);
  const double seconds = now - last_time_;
  last_time_ = now;

  // A restart re-evaluates the checkpoint's last iterate: the same step, already recorded.
  const bool repeat = history_.size() > 0 && history_.step.back() == iteration;
  if (repeat) {
    if (history_.loss.back() != f && rank_ == 0)
      std::fprintf(stderr, "qgen: warning: the restarted loss %.17g differs from the checkpoint's %.17g\n",
                   f, history_.loss.back());
  } else {
    history_.step.push_back(iteration);
    history_.evaluations.push_back(static_cast<std::int64_t>(evaluation_));
    history_.loss.push_back(f);
    history_.grad_norm.push_back(norm);
    history_.seconds.push_back(seconds);
  }
  const bool last = iteration >= options_.steps;
  if (!repeat) progress(iteration, f, norm, seconds, last || iteration == start_iteration_);

  int signal = signals_ ? signals_->received() : 0, agreed = 0;
  MPI_Allreduce(&signal, &agreed, 1, MPI_INT, MPI_MAX, comm_);
  if (agreed) {
    stopped_by_signal_ = true;
    signal_ = agreed;
    write_checkpoint_now(iteration);
    PetscCall(TaoSetConvergedReason(tao_, TAO_CONVERGED_USER));
  } else if (options_.checkpoint_every > 0 && iteration > start_iteration_ &&
             iteration % options_.checkpoint_every == 0 && !last) {
    write_checkpoint_now(iteration);
  }
  PetscFunctionReturn(0);
}

TrainerResult Trainer::run(const TrainerStart& start) {
  if (static_cast<int>(start.parameters.size()) != num_parameters_)
    throw std::invalid_argument("trainer: the start has the wrong number of parameters");
  const int first = first_, last = first_ + block_sizes_[rank_];
  {
    PetscScalar* x = nullptr;
    VecGetArray(x_, &x);
    std::copy(start.parameters.begin() + first, start.parameters.begin() + last, x);
    VecRestoreArray(x_, &x);
  }
  if (start.restore_adam && (static_cast<int>(start.adam.first_moment.size()) != num_parameters_ ||
                             static_cast<int>(start.adam.second_moment.size()) != num_parameters_))
    throw std::invalid_argument("trainer: the start's Adam moments have the wrong length");
  if (start.restore_adam && is_adam(tao_)) {
    AdamState local;
    local.step = start.adam.step;
    local.first_moment.assign(start.adam.first_moment.begin() + first,
                              start.adam.first_moment.begin() + last);
    local.second_moment.assign(start.adam.second_moment.begin() + first,
                               start.adam.second_moment.begin() + last);
    set_adam_state(tao_, local);
  }
  evaluation_ = start.evaluation;
  start_iteration_ = start.iteration;
  history_ = start.history;
  stopped_by_signal_ = false;
  failure_ = nullptr;
  if (rank_ == 0 && !options_.log_path.empty())
    log_.open(options_.log_path, start.history.size() > 0 ? std::ios::app : std::ios::trunc);
  StopSignals signals;
  signals_ = &signals;
  run_start_ = last_time_ = MPI_Wtime();
  MPI_Bcast(&last_time_, 1, MPI_DOUBLE, 0, comm_);

  const PetscErrorCode code = TaoSolve(tao_);
  signals_ = nullptr;
  if (failure_) std::rethrow_exception(failure_);
  check(code, "TaoSolve");

  TrainerResult result;
  TaoConvergedReason reason;
  TaoGetConvergedReason(tao_, &reason);
  result.tao_reason = TaoConvergedReasons[reason];
  result.history = history_;
  result.iteration = history_.size() ? history_.step.back() : start.iteration;
  result.signal = signal_;
  result.stop = stopped_by_signal_ ? StopReason::signal
                : result.iteration >= options_.steps ? StopReason::completed
                                                     : StopReason::converged;
  if (!stopped_by_signal_) write_checkpoint_now(result.iteration);
  result.parameters = gather_to_lead(x_);
  if (log_.is_open()) log_.close();
  return result;
}

}  // namespace qgen::train
