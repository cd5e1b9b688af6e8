// Internal to the kernels: where a gate's targets sit in the lane blocks (lane_block.hpp), and
// the two pieces of arithmetic every kernel on one amplitude group is made of -- applying a
// gate's matrix to the group, and accumulating the reduced overlap of two states' groups.
//
// Each is a template over the number of targets K and which of them are high (HighMask), so
// that all loops over targets, group members and matrix terms unroll at compile time and the
// loaded blocks stay in registers; `with_high_mask` picks the instantiation at run time.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <stdexcept>
#include <string>

#include "lane_block.hpp"
#include "qgen/sim/gate_matrix.hpp"
#include "qgen/sim/state_vector.hpp"

namespace qgen::sim::detail {

/// Where the K targets of a gate sit. Target j is bit bits[j] of a basis index and bit K-1-j
/// of the gate's matrix index. HighMask says which targets are high (bit j set: target j sits
/// at or above kLaneBits); it is a template parameter so that which group member a term reads
/// is known at compile time.
template <int K, unsigned HighMask>
struct TargetLayout {
  static constexpr int kDim = 1 << K;
  static constexpr int kHigh = __builtin_popcount(HighMask);
  static constexpr int kGroup = 1 << kHigh;

  /// The m-th high target, in target order.
  static constexpr int high_target(int m) {
    for (int j = 0; j < K; ++j)
      if ((HighMask >> j) & 1 && m-- == 0) return j;
    return -1;
  }

  /// The group member reached from member h by flipping matrix-index pattern c.
  static constexpr int member(int h, int c) {
    int flipped = 0;
    for (int m = 0; m < kHigh; ++m)
      if ((c >> (K - 1 - high_target(m))) & 1) flipped |= 1 << m;
    return h ^ flipped;
  }

  std::array<int, K> bits{};
  std::array<int, kHigh> high_bits{};        // ascending, for zero-bit insertion
  std::array<std::size_t, kGroup> offset{};  // block offset of each group member

  explicit TargetLayout(const std::array<int, K>& target_bits) : bits(target_bits) {
    for (int m = 0; m < kHigh; ++m) high_bits[m] = bits[high_target(m)];
    std::sort(high_bits.begin(), high_bits.end());
    for (int h = 0; h < kGroup; ++h)
      for (int m = 0; m < kHigh; ++m)
        if ((h >> m) & 1) offset[h] |= std::size_t{1} << bits[high_target(m)];
  }

  /// Basis-index bits flipped by matrix-index pattern c.
  std::size_t flip(int c) const {
    std::size_t x = 0;
    for (int j = 0; j < K; ++j)
      if ((c >> (K - 1 - j)) & 1) x |= std::size_t{1} << bits[j];
    return x;
  }

  /// The matrix row a basis index belongs to.
  int row(std::size_t index) const {
    int r = 0;
    for (int j = 0; j < K; ++j) r |= static_cast<int>((index >> bits[j]) & 1) << (K - 1 - j);
    return r;
  }

  /// The lanes of term c of member h read member(h, c) permuted by this.
  LaneIndex lane_source(int c) const { return lane_xor(static_cast<int>(flip(c) & (kLanes - 1))); }

  BlockGroups<kHigh> groups(std::size_t size) const {
    return {high_bits, size / (std::size_t{kLanes} << kHigh)};
  }
};

/// One amplitude group in registers: real and imaginary parts of each member's block.
template <int KGroup>
struct GroupBlocks {
  Vec re[KGroup], im[KGroup];

  void load(const double* re_base, const double* im_base, std::size_t i0,
            const std::array<std::size_t, KGroup>& offset) {
    for (int h = 0; h < KGroup; ++h) {
      re[h] = detail::load(re_base + i0 + offset[h]);
      im[h] = detail::load(im_base + i0 + offset[h]);
    }
  }
  void store(double* re_base, double* im_base, std::size_t i0,
             const std::array<std::size_t, KGroup>& offset) const {
    for (int h = 0; h < KGroup; ++h) {
      detail::store(re_base + i0 + offset[h], re[h]);
      detail::store(im_base + i0 + offset[h], im[h]);
    }
  }
};

/// A dense or diagonal 2^K x 2^K matrix laid out for groups: out[i] = sum_c M[r][r^c] in[i^flip(c)]
/// with r = row(i), all 2^K patterns c for a dense gate and c = 0 alone for a diagonal one.
template <int K, unsigned HighMask, bool Diagonal>
struct GroupMatrix {
  using Layout = TargetLayout<K, HighMask>;
  static constexpr int kGroup = Layout::kGroup;
  static constexpr int kTerms = Diagonal ? 1 : Layout::kDim;
  static constexpr bool kPermute = !Diagonal && Layout::kHigh < K;

  // Coefficient of term c for each lane of each member: M[r][r^c] with r the lane's row, which
  // is its member's high-target bits or'ed with its own low-target bits.
  Vec coef_re[kGroup][kTerms], coef_im[kGroup][kTerms];
  LaneIndex lane_source[kTerms];

  GroupMatrix(const Layout& layout, const Complex* matrix) {
    for (int c = 0; c < kTerms; ++c) {
      lane_source[c] = layout.lane_source(c);
      for (int h = 0; h < kGroup; ++h)
        for (int lane = 0; lane < kLanes; ++lane) {
          const int r = layout.row(layout.offset[h] + lane);
          const Complex m = matrix[r * Layout::kDim + (r ^ c)];
          coef_re[h][c][lane] = m.real();
          coef_im[h][c][lane] = m.imag();
        }
    }
  }

  /// Member h of M in, written as chains of multiply-adds: 4 FMA-unit operations per term.
  void apply_member(const GroupBlocks<kGroup>& in, int h, Vec& out_re, Vec& out_im) const {
    for (int c = 0; c < kTerms; ++c) {
      Vec vr = in.re[Layout::member(h, c)], vi = in.im[Layout::member(h, c)];
      if constexpr (kPermute) {
        vr = permute(vr, lane_source[c]);
        vi = permute(vi, lane_source[c]);
      }
      if (c == 0) {
        out_re = coef_re[h][c] * vr;
        out_im = coef_re[h][c] * vi;
      } else {
        out_re += coef_re[h][c] * vr;
        out_im += coef_re[h][c] * vi;
      }
      out_re -= coef_im[h][c] * vi;
      out_im += coef_im[h][c] * vr;
    }
  }

  GroupBlocks<kGroup> apply(const GroupBlocks<kGroup>& in) const {
    GroupBlocks<kGroup> out;
    for (int h = 0; h < kGroup; ++h) apply_member(in, h, out.re[h], out.im[h]);
    return out;
  }
};

/// Accumulates R(a, b) = sum_r conj(bra[r, a]) ket[r, b] over groups, for the matrix-index
/// patterns c = a ^ b in [CFirst, CLast), in per-lane accumulators folded into R at the end.
template <int K, unsigned HighMask, int CFirst, int CLast>
struct GroupOverlap {
  using Layout = TargetLayout<K, HighMask>;
  static constexpr int kGroup = Layout::kGroup;
  static constexpr int kTerms = CLast - CFirst;
  static constexpr bool kPermute = Layout::kHigh < K;

  Vec acc_re[kGroup][kTerms] = {}, acc_im[kGroup][kTerms] = {};
  LaneIndex lane_source[kTerms];

  explicit GroupOverlap(const Layout& layout) {
    for (int t = 0; t < kTerms; ++t) lane_source[t] = layout.lane_source(CFirst + t);
  }

  void add_member(const Vec& b_re, const Vec& b_im, const GroupBlocks<kGroup>& ket, int h) {
    for (int t = 0; t < kTerms; ++t) {
      Vec vr = ket.re[Layout::member(h, CFirst + t)], vi = ket.im[Layout::member(h, CFirst + t)];
      if constexpr (kPermute) {
        vr = permute(vr, lane_source[t]);
        vi = permute(vi, lane_source[t]);
      }
      // conj(b) v = (br vr + bi vi) + i (br vi - bi vr)
      acc_re[h][t] += b_re * vr;
      acc_re[h][t] += b_im * vi;
      acc_im[h][t] += b_re * vi;
      acc_im[h][t] -= b_im * vr;
    }
  }

  void add(const GroupBlocks<kGroup>& bra, const GroupBlocks<kGroup>& ket) {
    for (int h = 0; h < kGroup; ++h) add_member(bra.re[h], bra.im[h], ket, h);
  }

  /// Adds the accumulated entries into R (row-major 2^K x 2^K).
  void fold_into(const Layout& layout, Complex* r) const {
    for (int h = 0; h < kGroup; ++h)
      for (int t = 0; t < kTerms; ++t)
        for (int lane = 0; lane < kLanes; ++lane) {
          const int row = layout.row(layout.offset[h] + lane);
          r[row * Layout::kDim + (row ^ (CFirst + t))] +=
              Complex(acc_re[h][t][lane], acc_im[h][t][lane]);
        }
  }
};

/// The kernels' argument checks.
inline void check_qubit(const StateVector& state, int qubit) {
  if (qubit < 0 || qubit >= state.num_qubits())
    throw std::out_of_range("gate on qubit " + std::to_string(qubit) + " of a " +
                            std::to_string(state.num_qubits()) + "-qubit state");
}
inline void check_distinct(int a, int b) {
  if (a == b) throw std::invalid_argument("two-qubit gate on the same qubit twice");
}
inline void check_same_size(const StateVector& a, const StateVector& b) {
  if (a.size() != b.size()) throw std::invalid_argument("gate: the two states differ in size");
}

/// Bit j set when target j is high.
template <int K>
unsigned high_mask(const std::array<int, K>& bits) {
  unsigned mask = 0;
  for (int j = 0; j < K; ++j)
    if (bits[j] >= kLaneBits) mask |= 1u << j;
  return mask;
}

/// Calls f.template operator()<HighMask>() with the instantiation for `bits`.
template <int K, typename F>
decltype(auto) with_high_mask(const std::array<int, K>& bits, F&& f) {
  const unsigned mask = high_mask<K>(bits);
  if constexpr (K == 1) {
    if (mask) return f.template operator()<1u>();
    return f.template operator()<0u>();
  } else {
    switch (mask) {
      case 3u: return f.template operator()<3u>();
      case 2u: return f.template operator()<2u>();
      case 1u: return f.template operator()<1u>();
      default: return f.template operator()<0u>();
    }
  }
}

}  // namespace qgen::sim::detail
