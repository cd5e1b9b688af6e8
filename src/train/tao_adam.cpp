#include "qgen/train/tao_adam.hpp"

#include <petsc/private/taoimpl.h>  // a TAO type is implemented against TAO's private struct

#include <cmath>
#include <sstream>
#include <stdexcept>

#include "qgen/core/errors.hpp"
#include "qgen/train/adam_update.hpp"
#include "qgen/train/petsc_error.hpp"

namespace qgen::train {
namespace {

struct Adam {
  Vec first = nullptr, second = nullptr;
  PetscReal learning_rate = 0.01, beta1 = 0.9, beta2 = 0.99, epsilon = 1e-8;
  PetscReal decay_rate = 1.0;
  PetscInt decay_steps = 1;
  PetscInt step = 0;
};

Adam* adam_of(Tao tao) { return static_cast<Adam*>(tao->data); }

PetscErrorCode TaoSetUp_Adam(Tao tao) {
  Adam* a = adam_of(tao);
  PetscFunctionBegin;
  if (!tao->gradient) PetscCall(VecDuplicate(tao->solution, &tao->gradient));
  if (!a->first) {
    PetscCall(VecDuplicate(tao->solution, &a->first));
    PetscCall(VecDuplicate(tao->solution, &a->second));
    PetscCall(VecSet(a->first, 0.0));
    PetscCall(VecSet(a->second, 0.0));
  }
  PetscFunctionReturn(0);
}

// Objective and gradient at the current solution, then TAO's bookkeeping for iteration niter.
PetscErrorCode evaluate_and_monitor(Tao tao, PetscReal step_length) {
  PetscReal f = 0, gnorm = 0;
  PetscFunctionBegin;
  PetscCall(TaoComputeObjectiveAndGradient(tao, tao->solution, &f, tao->gradient));
  PetscCall(VecNorm(tao->gradient, NORM_2, &gnorm));
  PetscCall(TaoLogConvergenceHistory(tao, f, gnorm, 0.0, tao->ksp_its));
  PetscCall(TaoMonitor(tao, tao->niter, f, gnorm, 0.0, step_length));
  PetscCall((*tao->ops->convergencetest)(tao, tao->cnvP));
  PetscFunctionReturn(0);
}

PetscErrorCode TaoSolve_Adam(Tao tao) {
  Adam* a = adam_of(tao);
  PetscFunctionBegin;
  tao->niter = a->step;  // a restored solver continues counting
  PetscCall(evaluate_and_monitor(tao, 0.0));
  while (tao->reason == TAO_CONTINUE_ITERATING) {
    if (tao->ops->update) PetscCall((*tao->ops->update)(tao, tao->niter, tao->user_update));
    const PetscInt t = ++a->step;
    const PetscReal schedule = std::pow(a->decay_rate, static_cast<PetscReal>((t - 1) / a->decay_steps));
    PetscInt n = 0;
    PetscScalar *x = nullptr, *m = nullptr, *v = nullptr;
    const PetscScalar* g = nullptr;
    PetscCall(VecGetLocalSize(tao->solution, &n));
    PetscCall(VecGetArray(tao->solution, &x));
    PetscCall(VecGetArray(a->first, &m));
    PetscCall(VecGetArray(a->second, &v));
    PetscCall(VecGetArrayRead(tao->gradient, &g));
    const auto size = static_cast<std::size_t>(n);
    const PetscReal eta = adam_update({x, size}, {m, size}, {v, size}, {g, size}, a->learning_rate * schedule,
                {a->beta1, a->beta2, a->epsilon}, t);
    PetscCall(VecRestoreArrayRead(tao->gradient, &g));
    PetscCall(VecRestoreArray(a->second, &v));
    PetscCall(VecRestoreArray(a->first, &m));
    PetscCall(VecRestoreArray(tao->solution, &x));
    tao->niter = t;
    PetscCall(evaluate_and_monitor(tao, eta));
  }
  PetscFunctionReturn(0);
}

PetscErrorCode TaoSetFromOptions_Adam(Tao tao, PetscOptionItems* PetscOptionsObject) {
  Adam* a = adam_of(tao);
  PetscFunctionBegin;
  PetscOptionsHeadBegin(PetscOptionsObject, "Adam (PennyLane's AdamOptimizer)");
  PetscCall(PetscOptionsReal("-tao_adam_learning_rate", "step eta", "", a->learning_rate, &a->learning_rate, nullptr));
  PetscCall(PetscOptionsReal("-tao_adam_beta1", "first-moment decay b1", "", a->beta1, &a->beta1, nullptr));
  PetscCall(PetscOptionsReal("-tao_adam_beta2", "second-moment decay b2", "", a->beta2, &a->beta2, nullptr));
  PetscCall(PetscOptionsReal("-tao_adam_epsilon", "epsilon", "", a->epsilon, &a->epsilon, nullptr));
  PetscCall(PetscOptionsReal("-tao_adam_decay_rate", "learning-rate factor r per decay period", "",
                             a->decay_rate, &a->decay_rate, nullptr));
  PetscCall(PetscOptionsInt("-tao_adam_decay_steps", "decay period s in updates", "", a->decay_steps,
                            &a->decay_steps, nullptr));
  PetscOptionsHeadEnd();
  PetscCheck(a->learning_rate > 0, PetscObjectComm((PetscObject)tao), PETSC_ERR_ARG_OUTOFRANGE,
             "-tao_adam_learning_rate must be > 0");
  PetscCheck(a->beta1 >= 0 && a->beta1 < 1 && a->beta2 >= 0 && a->beta2 < 1,
             PetscObjectComm((PetscObject)tao), PETSC_ERR_ARG_OUTOFRANGE,
             "-tao_adam_beta1 and -tao_adam_beta2 must be in [0, 1)");
  PetscCheck(a->epsilon > 0 && a->decay_rate > 0 && a->decay_steps > 0,
             PetscObjectComm((PetscObject)tao), PETSC_ERR_ARG_OUTOFRANGE,
             "-tao_adam_epsilon, -tao_adam_decay_rate and -tao_adam_decay_steps must be > 0");
  PetscFunctionReturn(0);
}

PetscErrorCode TaoView_Adam(Tao tao, PetscViewer viewer) {
  Adam* a = adam_of(tao);
  PetscFunctionBegin;
  PetscCall(PetscViewerASCIIPrintf(viewer,
                                   "  Adam: learning rate %g, beta1 %g, beta2 %g, epsilon %g, "
                                   "decay %g every %d updates, %d updates taken\n",
                                   (double)a->learning_rate, (double)a->beta1, (double)a->beta2,
                                   (double)a->epsilon, (double)a->decay_rate, (int)a->decay_steps,
                                   (int)a->step));
  PetscFunctionReturn(0);
}

PetscErrorCode TaoDestroy_Adam(Tao tao) {
  Adam* a = adam_of(tao);
  PetscFunctionBegin;
  PetscCall(VecDestroy(&a->first));
  PetscCall(VecDestroy(&a->second));
  delete a;
  tao->data = nullptr;
  PetscFunctionReturn(0);
}

PetscErrorCode TaoCreate_Adam(Tao tao) {
  PetscFunctionBegin;
  tao->ops->setup = TaoSetUp_Adam;
  tao->ops->solve = TaoSolve_Adam;
  tao->ops->setfromoptions = TaoSetFromOptions_Adam;
  tao->ops->view = TaoView_Adam;
  tao->ops->destroy = TaoDestroy_Adam;
  tao->data = new Adam();
  // Stochastic gradients never reach a small norm: TAO's gradient tests are off unless asked
  // for (-tao_gatol, -tao_grtol, -tao_gttol).
  if (!tao->gatol_changed) tao->gatol = 0.0;
  if (!tao->grtol_changed) tao->grtol = 0.0;
  if (!tao->gttol_changed) tao->gttol = 0.0;
  PetscFunctionReturn(0);
}

}  // namespace

void register_tao_adam() {
  static bool registered = false;
  if (registered) return;
  check_petsc(TaoRegister(kTaoAdam, TaoCreate_Adam), "TaoRegister(adam)");
  registered = true;
}

bool is_adam(Tao tao) {
  PetscBool same = PETSC_FALSE;
  check_petsc(PetscObjectTypeCompare(reinterpret_cast<PetscObject>(tao), kTaoAdam, &same),
              "PetscObjectTypeCompare");
  return same == PETSC_TRUE;
}

std::string adam_settings(Tao tao) {
  if (!is_adam(tao)) throw core::InternalError("adam_settings: not an Adam solver");
  const Adam* a = adam_of(tao);
  std::ostringstream out;
  out.precision(15);  // round-trips the decimal values people type
  out << "learning_rate=" << a->learning_rate << " beta1=" << a->beta1 << " beta2=" << a->beta2
      << " epsilon=" << a->epsilon << " decay_rate=" << a->decay_rate
      << " decay_steps=" << a->decay_steps;
  return out.str();
}

void set_adam_learning_rate(Tao tao, double learning_rate) {
  if (!is_adam(tao)) throw core::InternalError("set_adam_learning_rate: not an Adam solver");
  if (!(learning_rate > 0)) throw core::InputError("Adam's learning rate must be > 0");
  adam_of(tao)->learning_rate = learning_rate;
}

AdamState get_adam_state(Tao tao) {
  if (!is_adam(tao)) throw core::InternalError("get_adam_state: not an Adam solver");
  Adam* a = adam_of(tao);
  AdamState state;
  state.step = a->step;
  for (auto [vec, out] : {std::pair{a->first, &state.first_moment}, std::pair{a->second, &state.second_moment}}) {
    if (!vec) continue;
    PetscInt n = 0;
    const PetscScalar* values = nullptr;
    check_petsc(VecGetLocalSize(vec, &n), "VecGetLocalSize");
    check_petsc(VecGetArrayRead(vec, &values), "VecGetArrayRead");
    out->assign(values, values + n);
    check_petsc(VecRestoreArrayRead(vec, &values), "VecRestoreArrayRead");
  }
  return state;
}

void set_adam_state(Tao tao, const AdamState& state) {
  if (!is_adam(tao)) throw core::InternalError("set_adam_state: not an Adam solver");
  Adam* a = adam_of(tao);
  if (!a->first) throw core::InternalError("set_adam_state: call TaoSetUp first");
  for (auto [vec, in] : {std::pair{a->first, &state.first_moment}, std::pair{a->second, &state.second_moment}}) {
    PetscInt n = 0;
    PetscScalar* values = nullptr;
    check_petsc(VecGetLocalSize(vec, &n), "VecGetLocalSize");
    if (static_cast<std::size_t>(n) != in->size())
      throw core::InternalError("set_adam_state: moments of the wrong local size");
    check_petsc(VecGetArray(vec, &values), "VecGetArray");
    std::copy(in->begin(), in->end(), values);
    check_petsc(VecRestoreArray(vec, &values), "VecRestoreArray");
  }
  a->step = state.step;
}

}  // namespace qgen::train
