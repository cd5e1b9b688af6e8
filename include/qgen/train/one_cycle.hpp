// The one-cycle learning-rate schedule (Smith and Topin, arXiv:1708.07120) exactly as PyTorch's
// torch.optim.lr_scheduler.OneCycleLR computes it with anneal_strategy = 'cos' and
// three_phase = False (paper 004, Table 1: maximum 1e-3, start factor 4e-2 = 1/div_factor,
// final factor 1e-4 = 1/final_div_factor: PyTorch's defaults):
//
//   initial = max * start_factor,  final = initial * final_factor  (4e-9 for the defaults)
//   anneal(a, b, p) = b + (a - b) (1 + cos(pi p)) / 2        (a at p = 0, b at p = 1)
//   u = warmup_fraction * T - 1                               (pct_start = 0.3, T total steps)
//   rate(k) = anneal(initial, max, k / u)                     for k <= u
//           = anneal(max, final, (k - u) / (T - 1 - u))       for u < k  (k = T - 1: final)
//
// for update k = 0, 1, ..., T - 1 (the k-th optimiser step uses rate(k); PyTorch's
// scheduler.step() after each batch). A phase of zero length (PyTorch divides by zero there)
// gives its end value; steps beyond T - 1 keep the final rate.
//
// PyTorch also cycles Adam's beta1 between 0.95 and 0.85 unless cycle_momentum = False; paper
// 004 states beta1 = 0.9, so qgen keeps beta1 fixed and schedules the rate alone.
#pragma once

#include <cstdint>

namespace qgen::train {

struct OneCycle {
  double max_rate = 1e-3;
  double start_factor = 4e-2;
  double final_factor = 1e-4;
  double warmup_fraction = 0.3;
  std::int64_t total_steps = 1;

  /// The learning rate of update k (from 0).
  double rate(std::int64_t k) const;
};

}  // namespace qgen::train
