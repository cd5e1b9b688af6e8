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
// On a rank group (train/group_gradient_engine.hpp) each rank holds only its slice of P, Q and
// dL/dQ: the basis states [r n, (r+1) n) of rank r, n = 2^Q / S, the distributed state's
// canonical order (sim/distributed_simulator.hpp: every run ends in the canonical layout, so the
// slices are contiguous whatever qubit map the distribution plan used on the way). The same
// Loss serves both: constructed from the whole target (one rank, no communication) or from a
// slice and the group (value and value_and_gradient then take and give slices and are
// collective over the group). dL/dQ is elementwise for JS and KL; MMD's banded kernel needs
// the band - 1 differences P - Q beyond each end of the slice, which the ranks swap with their
// neighbours (MPI_Sendrecv; from further ranks too when a slice is narrower than the band).
//
// Summation order. Every loss is a sum over basis states, and it is summed in the order of a
// perfect binary tree over the basis index (pairwise: the rounding grows as log 2^Q, not 2^Q).
// A slice of 2^L states starting at a multiple of 2^L is one subtree, so each rank sums its
// slice, the group gathers the S subtree sums (MPI_Allgather) and adds them as the tree's top in
// rank order: the same additions in the same order as one rank summing the whole vector. The
// loss is therefore the single-rank loss bit for bit for any group size (n and S powers of
// two), and reproducible, not merely within rounding.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "qgen/core/enum_names.hpp"
#include "qgen/core/parallel.hpp"

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

/// JS(P|Q) exactly as in paper 000, eq. 1 (summed pairwise, as the loss).
double jensen_shannon(std::span<const double> p, std::span<const double> q);

class Loss {
public:
  /// The whole target distribution: evaluated on this rank alone.
  Loss(const LossOptions& options, std::vector<double> target);
  /// This rank's slice of the target on `group`: basis states [r n, (r+1) n) of n S, with
  /// r = group.rank, n = target_slice.size() and S = group.size (equal slices on every rank).
  /// Constructing it is local; evaluating it is collective over the group.
  Loss(const LossOptions& options, std::vector<double> target_slice, const core::Ranks& group);

  /// This rank's share on `group` of a loss built from the whole target.
  Loss slice(const core::Ranks& group) const;

  const LossOptions& options() const { return options_; }
  /// The target's entries this rank holds: the whole target, or its slice.
  const std::vector<double>& target() const { return target_; }
  const core::Ranks& group() const { return group_; }
  /// The basis index of target()[0], and the number of basis states of the whole target.
  std::uint64_t first_index() const { return first_; }
  std::uint64_t num_states() const { return total_; }

  /// The loss of the model whose entries (this rank's, as target()) are `model`. Collective
  /// over group() when sliced; the same value on every rank of the group.
  double value(std::span<const double> model) const;
  /// The value, and dL/dQ_x into `gradient` (this rank's entries, as target()).
  double value_and_gradient(std::span<const double> model, std::span<double> gradient) const;

private:
  // P - Q of this rank's entries and of band - 1 neighbours on either side (zero beyond the
  // ends of the basis), with the neighbours' values from the ranks that hold them.
  std::vector<double> differences_with_halo(std::span<const double> q) const;

  LossOptions options_;
  std::vector<double> target_;   // whole, or this rank's slice
  core::Ranks group_;            // MPI_COMM_SELF for a whole target
  std::uint64_t first_ = 0, total_ = 0;
  std::vector<double> kernel_;  // MMD: K as a function of |x - y|, up to the band
};

}  // namespace qgen::train
