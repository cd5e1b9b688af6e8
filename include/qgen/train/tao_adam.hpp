// Adam as a PETSc TAO solver type, "adam": `-tao_type adam`, configured like any TAO solver.
//
// The update is PennyLane's AdamOptimizer (the QCBM paper's; DESIGN.md), on the distributed
// parameter Vec, element by element (train/adam_update.hpp, shared with the QINN trainer):
//     a <- b1 a + (1 - b1) g,   b <- b2 b + (1 - b2) g^2,
//     eta_t = eta r^floor((t-1)/s) sqrt(1 - b2^t) / (1 - b1^t),   x <- x - eta_t a / (sqrt(b) + eps)
// for update t = 1, 2, ...; defaults eta = 0.01, b1 = 0.9, b2 = 0.99, eps = 1e-8 and no decay
// (r = 1, s = 1). Options: -tao_adam_learning_rate, -tao_adam_beta1, -tao_adam_beta2,
// -tao_adam_epsilon, -tao_adam_decay_rate, -tao_adam_decay_steps.
//
// One TAO iteration is one update and one gradient evaluation; the iteration number is the
// number of updates t, so a solver whose state was restored continues counting from it. The
// moments and t can be read and restored (checkpoints): a restored solve continues exactly.
// TAO's usual stopping tests apply (-tao_max_it, -tao_gatol, ...).
#pragma once

#include <petsctao.h>

#include <string>
#include <vector>

namespace qgen::train {

inline constexpr const char* kTaoAdam = "adam";

/// Registers the "adam" type with TAO (once; after PetscInitialize).
void register_tao_adam();

struct AdamState {
  std::vector<double> first_moment;   // this rank's entries of a
  std::vector<double> second_moment;  // ... and of b
  PetscInt step = 0;                  // updates taken, t
};

bool is_adam(Tao tao);
/// The solver's settings as text ("lr=0.01 beta1=0.9 ..."), for checkpoint fingerprints.
std::string adam_settings(Tao tao);
/// Sets the step eta of an Adam solver (before TaoSetFromOptions, so -tao_adam_learning_rate
/// still overrides it).
void set_adam_learning_rate(Tao tao, double learning_rate);
/// The state of an Adam solver (after TaoSetUp or TaoSolve).
AdamState get_adam_state(Tao tao);
/// Restores a state; call after TaoSetUp and before TaoSolve.
void set_adam_state(Tao tao, const AdamState& state);

}  // namespace qgen::train
