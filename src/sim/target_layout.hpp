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

/// Accumulates the six numbers Im <bra| P |ket> for P = X, Y, Z on either target of a two-qubit
/// gate, in the order X_a, Y_a, Z_a, X_b, Y_b, Z_b (a = target 0, b = target 1): all the
/// adjoint method needs where a gate's angles sit in one-qubit factors at one of its boundaries
/// (adjoint_gates.cpp). Per amplitude, with l = bra, p = ket, p' = ket with target j flipped and
/// s_j the amplitude's bit of target j:
///     X_j: Im(conj(l) p'),   Y_j: (2 s_j - 1) Re(conj(l) p'),   Z_j: (1 - 2 s_j) Im(conj(l) p),
/// 10 multiply-adds per amplitude against the full reduced overlap's 16 (GroupOverlap<2>).
/// Where s_j is fixed per group member (j high) the sign is applied while accumulating, so the
/// members share accumulators: six vectors with both targets high (X and Y per target, two for
/// Z: members with s_a = s_b and with s_a != s_b), beside the two states' eight blocks each. Where
/// s_j varies with the lane (j low) it is applied when folding.
template <unsigned HighMask>
struct GroupPauliOverlap {
  using Layout = TargetLayout<2, HighMask>;
  static constexpr int kGroup = Layout::kGroup;
  static constexpr int kZ = kGroup == 4 ? 2 : kGroup;

  static constexpr bool high(int j) { return (HighMask >> j) & 1; }
  /// The bit of high target j in member h's rows.
  static constexpr int member_bit(int h, int j) { return (h >> (j == 1 && high(0) ? 1 : 0)) & 1; }
  /// The matrix-index pattern that flips target j alone (target 0 is the more significant bit).
  static constexpr int flip_pattern(int j) { return j == 0 ? 2 : 1; }

  Vec acc_x[2] = {}, acc_y[2] = {}, acc_z[kZ] = {};
  LaneIndex lane_source[2];

  explicit GroupPauliOverlap(const Layout& layout) {
    for (int j = 0; j < 2; ++j) lane_source[j] = layout.lane_source(flip_pattern(j));
  }

  void add(const GroupBlocks<kGroup>& bra, const GroupBlocks<kGroup>& ket) {
    for (int h = 0; h < kGroup; ++h) {
      const Vec lr = bra.re[h], li = bra.im[h];
      // Im(conj(l) p) = lr pi - li pr
      if constexpr (kGroup == 4) {
        Vec& z = acc_z[member_bit(h, 0) ^ member_bit(h, 1)];
        if (member_bit(h, 0)) {
          z -= lr * ket.im[h];
          z += li * ket.re[h];
        } else {
          z += lr * ket.im[h];
          z -= li * ket.re[h];
        }
      } else {
        acc_z[h] += lr * ket.im[h];
        acc_z[h] -= li * ket.re[h];
      }
      for (int j = 0; j < 2; ++j) {
        const int partner = Layout::member(h, flip_pattern(j));
        Vec pr = ket.re[partner], pi = ket.im[partner];
        if (!high(j)) {
          pr = permute(pr, lane_source[j]);
          pi = permute(pi, lane_source[j]);
        }
        acc_x[j] += lr * pi;
        acc_x[j] -= li * pr;
        // Re(conj(l) p') = lr pr' + li pi', with the sign of Y where it is known per member.
        if (high(j) && member_bit(h, j) == 0) {
          acc_y[j] -= lr * pr;
          acc_y[j] -= li * pi;
        } else {
          acc_y[j] += lr * pr;
          acc_y[j] += li * pi;
        }
      }
    }
  }

  /// Adds the accumulated values into out (X_a, Y_a, Z_a, X_b, Y_b, Z_b).
  void fold_into(const Layout& layout, double* out) const {
    for (int lane = 0; lane < kLanes; ++lane) {
      for (int j = 0; j < 2; ++j) {
        // A low target's bit is the lane's, the same in every member.
        const int s = (layout.row(lane) >> (1 - j)) & 1;
        out[3 * j] += acc_x[j][lane];
        out[3 * j + 1] += (high(j) || s ? 1.0 : -1.0) * acc_y[j][lane];
      }
      if constexpr (kGroup == 4) {
        out[2] += acc_z[0][lane] + acc_z[1][lane];
        out[5] += acc_z[0][lane] - acc_z[1][lane];
      } else {
        for (int h = 0; h < kGroup; ++h) {
          const int row = layout.row(layout.offset[h] + lane);
          out[2] += (row & 2 ? -1.0 : 1.0) * acc_z[h][lane];
          out[5] += (row & 1 ? -1.0 : 1.0) * acc_z[h][lane];
        }
      }
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
