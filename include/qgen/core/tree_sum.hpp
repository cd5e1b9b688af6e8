// A sum of terms in the order of a perfect binary tree over their indices (pairwise summation):
// terms 0 and 1 are added, then 2 and 3, then those two sums, and so on. The rounding error
// grows as log n rather than n, and -- what rank groups need -- the order does not depend on
// how the terms are split into blocks: the sum of 2^L consecutive terms starting at a multiple
// of 2^L is one subtree, so blocks summed separately and their sums added as a TreeSum in block
// order give the whole sum bit for bit (train/loss.hpp, the loss over the slices of a rank
// group). A count that is not a power of two leaves several subtrees, added from the last
// (smallest) to the first.
//
// One add per term plus one per completed subtree, no recursion and no buffer of terms.
#pragma once

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <span>

namespace qgen::core {

class TreeSum {
public:
  void add(double term) {
    // Term number count_ completes one subtree per trailing one bit of count_.
    for (std::uint64_t c = count_++; c & 1; c >>= 1) term = partial_[--depth_] + term;
    partial_[depth_++] = term;
  }

  /// The same as add() of each term, for a block of 2^k terms when count() is a multiple of
  /// 2^k: the block's subtree summed in place (`terms` is overwritten), then added as one node.
  void add_block(std::span<double> terms) {
    std::size_t size = terms.size();
    for (; size > 1; size /= 2)
      for (std::size_t i = 0; i < size / 2; ++i) terms[i] = terms[2 * i] + terms[2 * i + 1];
    double node = terms[0];
    const int level = std::countr_zero(terms.size());
    for (std::uint64_t c = count_ >> level; c & 1; c >>= 1) node = partial_[--depth_] + node;
    partial_[depth_++] = node;
    count_ += terms.size();
  }

  double total() const {
    if (depth_ == 0) return 0.0;
    double sum = partial_[depth_ - 1];
    for (int k = depth_ - 2; k >= 0; --k) sum = partial_[k] + sum;
    return sum;
  }

  std::uint64_t count() const { return count_; }

private:
  std::array<double, 65> partial_{};  // sums of complete subtrees, largest first
  int depth_ = 0;
  std::uint64_t count_ = 0;
};

}  // namespace qgen::core
