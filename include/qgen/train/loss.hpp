// Losses between the target distribution P and the model's Q over the 2^Q basis states, with
// their derivatives dL/dQ_x (what the chain rule through the circuit needs).
//
//   js   Jensen-Shannon (paper 000, eq. 1): JS = 1/2 sum_x [P log(P/M) + Q log(Q/M)],
//        M = (P+Q)/2, natural log, 0 log 0 = 0. dJS/dQ_x = 1/2 log(Q_x/M_x).
//   kl   Kullback-Leibler KL(P|Q) = sum_x P log(P/Q). dKL/dQ_x = -P_x/Q_x.
//   mmd  squared maximum mean discrepancy with a sum of Gaussian kernels over the basis-state
//        index (Liu and Wang, PRA 98, 062324): MMD^2 = (P-Q)^T K (P-Q),
//        K(x,y) = sum_s exp(-(x-y)^2 / (2 s^2)); dMMD^2/dQ = -2 K (P-Q). Kernel entries below
//        exp(-32) (|x-y| > 8 s) are dropped, so the cost is O(2^Q times the band).
//
// Empty bins. A model estimated from shots often has Q_x = 0 where P_x > 0: the JS derivative
// is then -infinity and KL's value and derivative diverge. qgen evaluates the logarithms and the
// KL ratio at max(Q_x, epsilon) (epsilon = 1e-9 by default, far below 1/shots): an empty model
// bin pulls towards P with the large but finite weight 1/2 log(2 eps / (P_x + eps)) instead of
// -infinity; where P_x = 0 the derivative stays its exact 1/2 log 2. The JS value itself needs
// no such guard (0 log 0 = 0, M > 0 wherever either is) and is exact.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "qgen/core/enum_names.hpp"

namespace qgen::train {

enum class LossKind { js, kl, mmd };

constexpr auto enum_names(LossKind) {
  using enum LossKind;
  return std::array{core::EnumName{js, "js"}, core::EnumName{kl, "kl"}, core::EnumName{mmd, "mmd"}};
}

struct LossOptions {
  LossKind kind = LossKind::js;
  double epsilon = 1e-9;
  std::vector<double> mmd_sigmas = {0.25, 4.0};
};

/// JS(P|Q) exactly as in paper 000, eq. 1.
double jensen_shannon(std::span<const double> p, std::span<const double> q);

class Loss {
public:
  Loss(const LossOptions& options, std::vector<double> target);

  const LossOptions& options() const { return options_; }
  const std::vector<double>& target() const { return target_; }

  double value(std::span<const double> model) const;
  /// The value, and dL/dQ_x into `gradient` (2^Q entries).
  double value_and_gradient(std::span<const double> model, std::span<double> gradient) const;

private:
  LossOptions options_;
  std::vector<double> target_;
  std::vector<double> kernel_;  // MMD: K as a function of |x - y|, up to the band
};

}  // namespace qgen::train
