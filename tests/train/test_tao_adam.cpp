// Adam as a TAO type: every iterate equals PennyLane's AdamOptimizer written out independently
// here, and a solver restored from a saved state continues exactly.
#include <gtest/gtest.h>
#include <petsctao.h>

#include <cmath>
#include <vector>

#include "qgen/train/tao_adam.hpp"

namespace qgen::train {
namespace {

// f(x) = 1/2 sum_i c_i (x_i - t_i)^2 with c_i = 1 + i, t_i = sin(i): a quadratic with different
// curvatures so that Adam's per-coordinate scaling matters.
PetscErrorCode quadratic(Tao, Vec x, PetscReal* f, Vec g, void*) {
  PetscInt first = 0, last = 0;
  const PetscScalar* xs = nullptr;
  PetscScalar* gs = nullptr;
  PetscFunctionBegin;
  PetscCall(VecGetOwnershipRange(x, &first, &last));
  PetscCall(VecGetArrayRead(x, &xs));
  PetscCall(VecGetArray(g, &gs));
  double local = 0;
  for (PetscInt i = first; i < last; ++i) {
    const double c = 1.0 + i, d = xs[i - first] - std::sin(static_cast<double>(i));
    local += 0.5 * c * d * d;
    gs[i - first] = c * d;
  }
  PetscCall(VecRestoreArray(g, &gs));
  PetscCall(VecRestoreArrayRead(x, &xs));
  MPI_Allreduce(&local, f, 1, MPI_DOUBLE, MPI_SUM, PetscObjectComm((PetscObject)x));
  PetscFunctionReturn(0);
}

constexpr PetscInt kN = 13;

// PennyLane's AdamOptimizer (DESIGN.md), on the same quadratic, one coordinate at a time.
std::vector<double> reference_adam(std::vector<double> x, int steps, double eta, double b1, double b2) {
  std::vector<double> a(x.size(), 0.0), b(x.size(), 0.0);
  for (int t = 1; t <= steps; ++t) {
    const double eta_t = eta * std::sqrt(1 - std::pow(b2, t)) / (1 - std::pow(b1, t));
    for (std::size_t i = 0; i < x.size(); ++i) {
      const double g = (1.0 + i) * (x[i] - std::sin(static_cast<double>(i)));
      a[i] = b1 * a[i] + (1 - b1) * g;
      b[i] = b2 * b[i] + (1 - b2) * g * g;
      x[i] -= eta_t * a[i] / (std::sqrt(b[i]) + 1e-8);
    }
  }
  return x;
}

std::vector<double> gather(Vec x) {
  Vec all = nullptr;
  VecScatter scatter = nullptr;
  VecScatterCreateToAll(x, &scatter, &all);
  VecScatterBegin(scatter, x, all, INSERT_VALUES, SCATTER_FORWARD);
  VecScatterEnd(scatter, x, all, INSERT_VALUES, SCATTER_FORWARD);
  const PetscScalar* values = nullptr;
  VecGetArrayRead(all, &values);
  std::vector<double> out(values, values + kN);
  VecRestoreArrayRead(all, &values);
  VecScatterDestroy(&scatter);
  VecDestroy(&all);
  return out;
}

struct Solver {
  Vec x = nullptr;
  Tao tao = nullptr;
  Solver(int steps, double eta) {
    register_tao_adam();
    VecCreateMPI(PETSC_COMM_WORLD, PETSC_DECIDE, kN, &x);
    VecSet(x, 0.5);
    TaoCreate(PETSC_COMM_WORLD, &tao);
    TaoSetType(tao, kTaoAdam);
    TaoSetSolution(tao, x);
    TaoSetObjectiveAndGradient(tao, nullptr, quadratic, nullptr);
    TaoSetMaximumIterations(tao, steps);
    PetscOptionsSetValue(nullptr, "-tao_adam_learning_rate", std::to_string(eta).c_str());
    TaoSetFromOptions(tao);
    PetscOptionsClearValue(nullptr, "-tao_adam_learning_rate");
    TaoSetUp(tao);
  }
  ~Solver() {
    TaoDestroy(&tao);
    VecDestroy(&x);
  }
};

TEST(TaoAdam, MatchesPennyLanesFormulaEveryStep) {
  for (int steps : {1, 2, 7, 40}) {
    Solver s(steps, 0.05);
    ASSERT_EQ(TaoSolve(s.tao), 0);
    const auto expected = reference_adam(std::vector<double>(kN, 0.5), steps, 0.05, 0.9, 0.99);
    const auto got = gather(s.x);
    for (PetscInt i = 0; i < kN; ++i) EXPECT_NEAR(got[i], expected[i], 1e-14) << "step " << steps << " x" << i;
    PetscInt iterations = 0;
    TaoGetIterationNumber(s.tao, &iterations);
    EXPECT_EQ(iterations, steps);
    EXPECT_EQ(get_adam_state(s.tao).step, steps);
  }
}

TEST(TaoAdam, RestoredStateContinuesExactly) {
  Solver whole(20, 0.05);
  ASSERT_EQ(TaoSolve(whole.tao), 0);
  const auto expected = gather(whole.x);

  Solver first(10, 0.05);
  ASSERT_EQ(TaoSolve(first.tao), 0);
  const AdamState state = get_adam_state(first.tao);
  EXPECT_EQ(state.step, 10);

  Solver second(20, 0.05);
  VecCopy(first.x, second.x);
  set_adam_state(second.tao, state);
  ASSERT_EQ(TaoSolve(second.tao), 0);
  const auto got = gather(second.x);
  for (PetscInt i = 0; i < kN; ++i) EXPECT_EQ(got[i], expected[i]) << i;  // bit for bit
}

TEST(TaoAdam, RejectsBadSettingsThroughTao) {
  Vec x = nullptr;
  Tao tao = nullptr;
  register_tao_adam();
  VecCreateMPI(PETSC_COMM_WORLD, PETSC_DECIDE, kN, &x);
  TaoCreate(PETSC_COMM_WORLD, &tao);
  TaoSetType(tao, kTaoAdam);
  TaoSetSolution(tao, x);
  PetscOptionsSetValue(nullptr, "-tao_adam_learning_rate", "-1");
  EXPECT_NE(TaoSetFromOptions(tao), 0);
  PetscOptionsClearValue(nullptr, "-tao_adam_learning_rate");
  TaoDestroy(&tao);
  VecDestroy(&x);
}

}  // namespace
}  // namespace qgen::train
