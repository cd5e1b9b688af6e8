// One Adam update on plain arrays: the arithmetic that both the TAO solver type "adam"
// (train/tao_adam.hpp, on a rank's block of the parameter Vec) and the QINN trainer (replicated
// parameters, qinn/trainer.hpp) apply, element by element, for update t = 1, 2, ...:
//     a <- b1 a + (1 - b1) g,   b <- b2 b + (1 - b2) g^2,
//     eta_t = eta sqrt(1 - b2^t) / (1 - b1^t),   x <- x - eta_t a / (sqrt(b) + eps).
// This is PennyLane's AdamOptimizer (DESIGN.md). PyTorch's torch.optim.Adam (paper 004's) is
// the same up to where eps enters: it divides by sqrt(b) + eps sqrt(1 - b2^t); with eps = 1e-8
// against sqrt(b) of typical gradients the two differ in the last digits only.
#pragma once

#include <cstdint>
#include <span>

namespace qgen::train {

struct AdamHyper {
  double beta1 = 0.9, beta2 = 0.99, epsilon = 1e-8;
};

/// Updates x, the moments a (first) and b (second) in place with gradient g and step eta for
/// update number t >= 1. All spans have the same size. Returns the step taken, eta_t.
double adam_update(std::span<double> x, std::span<double> first, std::span<double> second,
                 std::span<const double> gradient, double eta, const AdamHyper& hyper,
                 std::int64_t t);

}  // namespace qgen::train
