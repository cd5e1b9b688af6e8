#include "qgen/train/trainer.hpp"

#include <cmath>
#include <string>

#include "qgen/core/errors.hpp"
#include "qgen/train/log_events.hpp"
#include "qgen/train/petsc_error.hpp"

namespace qgen::train {

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

Trainer::Trainer(const core::Ranks& ranks, GradientEngine& engine, int num_parameters,
                 const TrainerOptions& options, const core::RankGroups* groups)
    : ranks_(ranks), engine_(engine), groups_(groups), num_parameters_(num_parameters) {
  register_tao_adam();
  assign_engine_work();
  check_petsc(VecCreateMPI(ranks_.comm, PETSC_DECIDE, num_parameters_, &x_), "VecCreateMPI");
  const PetscInt* ranges = nullptr;
  check_petsc(VecGetOwnershipRanges(x_, &ranges), "VecGetOwnershipRanges");
  for (int r = 0; r < ranks_.size; ++r)
    block_sizes_.push_back(static_cast<int>(ranges[r + 1] - ranges[r]));
  first_ = static_cast<int>(ranges[ranks_.rank]);
  work_gradient_.resize(num_parameters_);
  check_petsc(VecScatterCreateToAll(x_, &to_all_, &full_), "VecScatterCreateToAll");
  check_petsc(VecScatterCreateToZero(x_, &to_lead_, &lead_), "VecScatterCreateToZero");
  check_petsc(TaoCreate(ranks_.comm, &tao_), "TaoCreate");
  check_petsc_options(TaoSetType(tao_, options.optimizer.c_str()), "train.optimizer");
  if (is_adam(tao_)) set_adam_learning_rate(tao_, options.learning_rate);
  check_petsc(TaoSetSolution(tao_, x_), "TaoSetSolution");
  check_petsc(TaoSetObjectiveAndGradient(tao_, nullptr, &Trainer::objective, this),
              "TaoSetObjectiveAndGradient");
  check_petsc(TaoSetMonitor(tao_, &Trainer::monitor, this, nullptr), "TaoSetMonitor");
  check_petsc(TaoSetMaximumIterations(tao_, options.steps), "TaoSetMaximumIterations");
  check_petsc(TaoSetMaximumFunctionEvaluations(tao_, PETSC_MAX_INT),
              "TaoSetMaximumFunctionEvaluations");
  if (options.stochastic) check_petsc(TaoSetTolerances(tao_, 0.0, 0.0, 0.0), "TaoSetTolerances");
  check_petsc_options(TaoSetFromOptions(tao_), "TaoSetFromOptions (see the -tao_* options)");
  check_petsc_options(TaoSetUp(tao_), "TaoSetUp");
}

Trainer::~Trainer() {
  // Destructors cannot report: PETSc's own errors here would mean a corrupt heap.
  TaoDestroy(&tao_);
  VecScatterDestroy(&to_all_);
  VecScatterDestroy(&to_lead_);
  VecDestroy(&full_);
  VecDestroy(&lead_);
  VecDestroy(&x_);
}

void Trainer::assign_engine_work() {
  // Timed on the lead rank alone and shared: every rank must compute the same work sets.
  std::vector<double> costs;
  if (groups_) {
    // A group engine times collectively over its group: group 0, whose lead is the world's.
    core::collectively(ranks_, [&] {
      if (groups_->index() == 0) costs = engine_.parameter_costs();
      if (ranks_.lead() && static_cast<int>(costs.size()) != num_parameters_)
        throw core::InternalError("the engine's costs do not match the parameters");
    });
    core::broadcast(ranks_, costs);
    engine_.set_work(assign_work(costs, groups_->count())[groups_->index()]);
    return;
  }
  core::on_lead(ranks_, [&] {
    costs = engine_.parameter_costs();
    if (static_cast<int>(costs.size()) != num_parameters_)
      throw core::InternalError("the engine's costs do not match the parameters");
  });
  core::broadcast(ranks_, costs);
  engine_.set_work(assign_work(costs, ranks_.size)[ranks_.rank]);
}

int Trainer::steps() const {
  PetscInt steps = 0;
  check_petsc(TaoGetMaximumIterations(tao_, &steps), "TaoGetMaximumIterations");
  return static_cast<int>(steps);
}

std::string Trainer::optimizer() const {
  TaoType type = nullptr;
  check_petsc(TaoGetType(tao_, &type), "TaoGetType");
  return type ? type : "?";
}

std::string Trainer::optimizer_settings() const {
  return is_adam(tao_) ? optimizer() + " " + adam_settings(tao_) : optimizer();
}

PetscErrorCode Trainer::objective(Tao, Vec x, PetscReal* f, Vec g, void* context) {
  auto* self = static_cast<Trainer*>(context);
  PetscFunctionBegin;
  PetscCall(VecScatterBegin(self->to_all_, x, self->full_, INSERT_VALUES, SCATTER_FORWARD));
  PetscCall(VecScatterEnd(self->to_all_, x, self->full_, INSERT_VALUES, SCATTER_FORWARD));
  const PetscScalar* theta = nullptr;
  PetscCall(VecGetArrayRead(self->full_, &theta));
  std::exception_ptr failure;
  double loss = 0;
  try {
    loss = self->engine_.evaluate(std::span<const double>(theta, self->num_parameters_),
                                  self->evaluation_, self->work_gradient_);
  } catch (...) {
    failure = std::current_exception();
  }
  PetscCall(VecRestoreArrayRead(self->full_, &theta));
  // A failure anywhere stops every rank here, before the next collective.
  try {
    const LogEvent event(log_events().reduce);
    core::agree(self->ranks_, failure);
  } catch (...) {
    self->failure_ = std::current_exception();
    SETERRQ(self->ranks_.comm, PETSC_ERR_USER, "qgen: the gradient evaluation failed");
  }
  {
    // Each entry comes from the one rank whose work set holds it, the others add zeros: the
    // sum is exact, so the gradient does not depend on who computed what. In a group every
    // rank holds the group's entries: its lead alone contributes them.
    const LogEvent event(log_events().reduce);
    if (self->groups_ && !self->groups_->group().lead())
      std::fill(self->work_gradient_.begin(), self->work_gradient_.end(), 0.0);
    PetscScalar* local = nullptr;
    PetscCall(VecGetArray(g, &local));
    MPI_Reduce_scatter(self->work_gradient_.data(), local, self->block_sizes_.data(), MPI_DOUBLE,
                       MPI_SUM, self->ranks_.comm);
    PetscCall(VecRestoreArray(g, &local));
  }
  self->iterate_evaluation_ = self->evaluation_++;
  *f = loss;
  PetscFunctionReturn(0);
}

std::vector<double> Trainer::gather_to_lead(Vec v) const {
  check_petsc(VecScatterBegin(to_lead_, v, lead_, INSERT_VALUES, SCATTER_FORWARD), "VecScatterBegin");
  check_petsc(VecScatterEnd(to_lead_, v, lead_, INSERT_VALUES, SCATTER_FORWARD), "VecScatterEnd");
  std::vector<double> out;
  if (ranks_.lead()) {
    const PetscScalar* values = nullptr;
    check_petsc(VecGetArrayRead(lead_, &values), "VecGetArrayRead");
    out.assign(values, values + num_parameters_);
    check_petsc(VecRestoreArrayRead(lead_, &values), "VecRestoreArrayRead");
  }
  return out;
}

std::vector<double> Trainer::gather_to_lead(const std::vector<double>& local) const {
  std::vector<int> counts(ranks_.size), offsets(ranks_.size);
  const int mine = static_cast<int>(local.size());
  MPI_Gather(&mine, 1, MPI_INT, counts.data(), 1, MPI_INT, 0, ranks_.comm);
  std::vector<double> out;
  if (ranks_.lead()) {
    int total = 0;
    for (int r = 0; r < ranks_.size; ++r) offsets[r] = total, total += counts[r];
    out.resize(total);
  }
  MPI_Gatherv(local.data(), mine, MPI_DOUBLE, out.data(), counts.data(), offsets.data(),
              MPI_DOUBLE, 0, ranks_.comm);
  return out;
}

TrainerState Trainer::state() const {
  TrainerState s;
  s.parameters = gather_to_lead(x_);
  s.optimizer = optimizer();
  s.has_adam = is_adam(tao_);
  if (s.has_adam) {
    const AdamState local = get_adam_state(tao_);
    s.adam.first_moment = gather_to_lead(local.first_moment);
    s.adam.second_moment = gather_to_lead(local.second_moment);
    s.adam.step = local.step;
  }
  s.iterate_evaluation = iterate_evaluation_;
  return s;
}

PetscErrorCode Trainer::monitor(Tao, void* context) {
  auto* self = static_cast<Trainer*>(context);
  PetscFunctionBegin;
  try {
    self->on_iteration();
  } catch (...) {
    // Everything on_iteration does is collective or agreed: every rank fails alike.
    self->failure_ = std::current_exception();
    SETERRQ(self->ranks_.comm, PETSC_ERR_USER, "qgen: the training monitor failed");
  }
  PetscFunctionReturn(0);
}

void Trainer::on_iteration() {
  PetscInt iteration = 0;
  PetscReal f = 0, residual = 0, cnorm = 0, step_length = 0;
  TaoConvergedReason reason;
  check_petsc(TaoGetSolutionStatus(tao_, &iteration, &f, &residual, &cnorm, &step_length, &reason),
              "TaoGetSolutionStatus");
  StepRecord record;
  record.step = iteration;
  record.evaluations = static_cast<std::int64_t>(evaluation_);
  record.loss = f;
  // |grad| summed in one order on the lead rank: the same for any number of ranks.
  Vec gradient = nullptr;
  check_petsc(TaoGetGradient(tao_, &gradient, nullptr, nullptr), "TaoGetGradient");
  {
    const LogEvent event(log_events().reduce);
    double norm = 0;
    for (double x : gather_to_lead(gradient)) norm += x * x;
    record.grad_norm = std::sqrt(norm);
    core::broadcast(ranks_, record.grad_norm);
  }
  double now = MPI_Wtime();
  core::broadcast(ranks_, now);
  record.seconds = now - last_time_;
  last_time_ = now;

  if (observer_->after_step(record)) {
    stopped_by_observer_ = true;
    check_petsc(TaoSetConvergedReason(tao_, TAO_CONVERGED_USER), "TaoSetConvergedReason");
  }
}

TrainerResult Trainer::run(const TrainerStart& start, StepObserver& observer) {
  if (static_cast<int>(start.parameters.size()) != num_parameters_)
    throw core::InternalError("trainer: the start has the wrong number of parameters");
  if (start.restore_adam && (static_cast<int>(start.adam.first_moment.size()) != num_parameters_ ||
                             static_cast<int>(start.adam.second_moment.size()) != num_parameters_))
    throw core::InternalError("trainer: the start's Adam moments have the wrong length");
  const int first = first_, last = first_ + block_sizes_[ranks_.rank];
  {
    PetscScalar* x = nullptr;
    check_petsc(VecGetArray(x_, &x), "VecGetArray");
    std::copy(start.parameters.begin() + first, start.parameters.begin() + last, x);
    check_petsc(VecRestoreArray(x_, &x), "VecRestoreArray");
  }
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
  observer_ = &observer;
  stopped_by_observer_ = false;
  failure_ = nullptr;
  last_time_ = MPI_Wtime();
  core::broadcast(ranks_, last_time_);

  const PetscErrorCode code = TaoSolve(tao_);
  observer_ = nullptr;
  if (failure_) std::rethrow_exception(failure_);
  check_petsc(code, "TaoSolve");

  TrainerResult result;
  TaoConvergedReason reason;
  check_petsc(TaoGetConvergedReason(tao_, &reason), "TaoGetConvergedReason");
  result.tao_reason = TaoConvergedReasons[reason];
  PetscInt iteration = 0;
  check_petsc(TaoGetIterationNumber(tao_, &iteration), "TaoGetIterationNumber");
  result.iteration = iteration;
  result.stopped_by_observer = stopped_by_observer_;
  result.parameters = gather_to_lead(x_);
  return result;
}

}  // namespace qgen::train
