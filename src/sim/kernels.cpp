// Gate kernels over lane blocks (lane_block.hpp, target_layout.hpp). Each kernel is a template
// over the number of targets K, which of them are high bits (HighMask) and whether
// probabilities are written, so that all loops over targets and group members unroll at
// compile time; one dispatch function per gate picks the instantiation at run time.
#include "qgen/sim/kernels.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>
#include <utility>

#include "target_layout.hpp"

namespace qgen::sim {
namespace {

using namespace detail;

/// std::invalid_argument unless `block` is the whole state or an aligned block of it holding
/// every target bit (and whole lane groups: at least 2^(kLaneBits + 2) amplitudes).
template <int K>
void check_block(const StateVector& state, AmplitudeBlock block, const std::array<int, K>& bits) {
  if (block.bits < 0) return;
  const bool sized = block.bits >= kLaneBits + 2 && block.bits <= state.num_qubits();
  if (!sized || block.first % (std::size_t{1} << block.bits) != 0 || block.first >= state.size())
    throw std::invalid_argument(
        "gate: a block of 2^" + std::to_string(block.bits) + " amplitudes at " +
        std::to_string(block.first) + " of a " + std::to_string(state.num_qubits()) +
        "-qubit state (blocks hold 2^5 amplitudes or more, aligned to their size, inside)");
  for (int bit : bits)
    if (bit >= block.bits)
      throw std::invalid_argument("gate: target bit " + std::to_string(bit) +
                                  " lies outside a block of 2^" + std::to_string(block.bits) +
                                  " amplitudes");
}

/// The groups [begin, end) of a kernel's loop that lie in `block` (check_block): the block's
/// high bits are those of the group number above its lane and high-target bits.
template <int KHigh>
std::pair<std::size_t, std::size_t> group_range(const BlockGroups<KHigh>& groups,
                                                AmplitudeBlock block) {
  if (block.bits < 0) return {0, groups.num_groups};
  const int shift = kLaneBits + KHigh;
  return {block.first >> shift, (block.first + (std::size_t{1} << block.bits)) >> shift};
}

/// out = M in for a dense or diagonal gate (GroupMatrix).
template <int K, unsigned HighMask, bool Diagonal, bool WriteProbabilities>
void matrix_kernel(const StateVector& source, StateVector& state, const std::array<int, K>& bits,
                   const Complex* matrix, double* probabilities, AmplitudeBlock block) {
  using Layout = TargetLayout<K, HighMask>;
  const Layout layout(bits);
  const GroupMatrix<K, HighMask, Diagonal> m(layout, matrix);
  // Every group is read whole before it is written, so source and destination may coincide.
  const double* src_re = source.real();
  const double* src_im = source.imag();
  double* re = state.real();
  double* im = state.imag();
  const auto groups = layout.groups(state.size());
  const auto [first_group, end_group] = group_range(groups, block);
  for (std::size_t g = first_group; g < end_group; ++g) {
    const std::size_t i0 = groups.first_index(g);
    GroupBlocks<Layout::kGroup> in;
    in.load(src_re, src_im, i0, layout.offset);
    for (int h = 0; h < Layout::kGroup; ++h) {
      Vec out_re, out_im;
      m.apply_member(in, h, out_re, out_im);
      store(re + i0 + layout.offset[h], out_re);
      store(im + i0 + layout.offset[h], out_im);
      if constexpr (WriteProbabilities)
        store(probabilities + i0 + layout.offset[h], out_re * out_re + out_im * out_im);
    }
  }
}

/// CNOT: out[i] = in[i ^ t] where the control bit of i is set, in[i] elsewhere. With a high
/// control, blocks whose control bit is clear are neither read nor written (unless
/// probabilities are wanted). Target 0 is the control, target 1 the target.
template <unsigned HighMask, bool WriteProbabilities>
void cnot_kernel(const StateVector& source, StateVector& state, int control_bit, int target_bit,
                 double* probabilities, AmplitudeBlock block) {
  using Layout = TargetLayout<2, HighMask>;
  constexpr int kGroup = Layout::kGroup;
  constexpr bool kControlHigh = HighMask & 1, kTargetHigh = HighMask & 2;
  const Layout layout({control_bit, target_bit});
  const std::size_t t = std::size_t{1} << target_bit;
  const LaneIndex lane_source = lane_xor(static_cast<int>(t & (kLanes - 1)));

  LaneIndex control_set[kGroup];
  for (int h = 0; h < kGroup; ++h)
    for (int lane = 0; lane < kLanes; ++lane)
      control_set[h][lane] = ((layout.offset[h] + lane) >> control_bit & 1) ? -1 : 0;
  // With a high control, member h has its control bit set iff bit 0 of h is (the control is
  // the first high target).
  auto touched = [](int h) { return !kControlHigh || (h & 1); };

  const double* src_re = source.real();
  const double* src_im = source.imag();
  double* re = state.real();
  double* im = state.imag();
  // Out of place, the untouched blocks must still be copied across.
  const bool in_place = &source == &state;
  const auto groups = layout.groups(state.size());
  const auto [first_group, end_group] = group_range(groups, block);
  for (std::size_t g = first_group; g < end_group; ++g) {
    const std::size_t i0 = groups.first_index(g);
    Vec in_re[kGroup], in_im[kGroup];
    for (int h = 0; h < kGroup; ++h) {
      if (!touched(h) && !WriteProbabilities && in_place) continue;
      in_re[h] = load(src_re + i0 + layout.offset[h]);
      in_im[h] = load(src_im + i0 + layout.offset[h]);
    }
    for (int h = 0; h < kGroup; ++h) {
      if (!touched(h)) {
        if (!in_place) {
          store(re + i0 + layout.offset[h], in_re[h]);
          store(im + i0 + layout.offset[h], in_im[h]);
        }
        if constexpr (WriteProbabilities)
          store(probabilities + i0 + layout.offset[h], in_re[h] * in_re[h] + in_im[h] * in_im[h]);
        continue;
      }
      constexpr int kFlipTarget = 1;  // matrix-index pattern of the target alone
      Vec out_re = in_re[Layout::member(h, kFlipTarget)];
      Vec out_im = in_im[Layout::member(h, kFlipTarget)];
      if constexpr (!kTargetHigh) {
        out_re = permute(out_re, lane_source);
        out_im = permute(out_im, lane_source);
      }
      if constexpr (!kControlHigh) {
        out_re = control_set[h] ? out_re : in_re[h];
        out_im = control_set[h] ? out_im : in_im[h];
      }
      store(re + i0 + layout.offset[h], out_re);
      store(im + i0 + layout.offset[h], out_im);
      if constexpr (WriteProbabilities)
        store(probabilities + i0 + layout.offset[h], out_re * out_re + out_im * out_im);
    }
  }
}

/// R(a, b) = sum_r conj(bra[r, a]) ket[r, b] for the matrix-index patterns c = a ^ b in
/// [CFirst, CLast) (GroupOverlap). A two-qubit overlap runs as two such passes over halves of
/// the patterns, so that its accumulators fit in the vector registers.
template <int K, unsigned HighMask, int CFirst, int CLast>
void overlap_kernel(const StateVector& bra, const StateVector& ket, const std::array<int, K>& bits,
                    Complex* out) {
  using Layout = TargetLayout<K, HighMask>;
  const Layout layout(bits);
  GroupOverlap<K, HighMask, CFirst, CLast> overlap(layout);
  const double* br = bra.real();
  const double* bi = bra.imag();
  const auto groups = layout.groups(bra.size());
  for (std::size_t g = 0; g < groups.num_groups; ++g) {
    const std::size_t i0 = groups.first_index(g);
    GroupBlocks<Layout::kGroup> k;
    k.load(ket.real(), ket.imag(), i0, layout.offset);
    for (int h = 0; h < Layout::kGroup; ++h)
      overlap.add_member(load(br + i0 + layout.offset[h]), load(bi + i0 + layout.offset[h]), k, h);
  }
  overlap.fold_into(layout, out);
}

template <int K, unsigned HighMask>
void overlap_for(const StateVector& bra, const StateVector& ket, const std::array<int, K>& bits,
                 Complex* out) {
  for (int k = 0; k < (1 << K) * (1 << K); ++k) out[k] = 0.0;
  if constexpr (K == 1) {
    overlap_kernel<1, HighMask, 0, 2>(bra, ket, bits, out);
  } else {
    overlap_kernel<2, HighMask, 0, 2>(bra, ket, bits, out);
    overlap_kernel<2, HighMask, 2, 4>(bra, ket, bits, out);
  }
}

template <int K>
void small_state_overlap(const StateVector& bra, const StateVector& ket,
                         const std::array<int, K>& bits, Complex* out) {
  constexpr int kDim = 1 << K;
  const TargetLayout<K, 0u> layout(bits);
  for (int k = 0; k < kDim * kDim; ++k) out[k] = 0.0;
  for (std::size_t i = 0; i < bra.size(); ++i) {
    if (layout.row(i) != 0) continue;
    for (int a = 0; a < kDim; ++a)
      for (int b = 0; b < kDim; ++b)
        out[a * kDim + b] += std::conj(bra.amplitude(i | layout.flip(a))) * ket.amplitude(i | layout.flip(b));
  }
}

/// Any K-target matrix, one amplitude group at a time: for states smaller than one lane block.
template <int K>
void small_state_kernel(const StateVector& source, StateVector& state,
                        const std::array<int, K>& bits, const Complex* matrix,
                        double* probabilities) {
  constexpr int kDim = 1 << K;
  const TargetLayout<K, 0u> layout(bits);
  for (std::size_t i = 0; i < state.size(); ++i) {
    if (layout.row(i) != 0) continue;
    Complex in[kDim];
    for (int c = 0; c < kDim; ++c) in[c] = source.amplitude(i | layout.flip(c));
    for (int r = 0; r < kDim; ++r) {
      Complex out = 0.0;
      for (int c = 0; c < kDim; ++c) out += matrix[r * kDim + c] * in[c];
      const std::size_t index = i | layout.flip(r);
      state.set_amplitude(index, out);
      if (probabilities) probabilities[index] = std::norm(out);
    }
  }
}

template <int K, unsigned HighMask, bool Diagonal>
void matrix_kernel_for(const StateVector& source, StateVector& state, const std::array<int, K>& bits,
                       const Complex* matrix, double* probabilities, AmplitudeBlock block) {
  if (probabilities)
    matrix_kernel<K, HighMask, Diagonal, true>(source, state, bits, matrix, probabilities, block);
  else
    matrix_kernel<K, HighMask, Diagonal, false>(source, state, bits, matrix, nullptr, block);
}

template <bool Diagonal>
void dispatch1(const StateVector& source, StateVector& state, int qubit, const Complex* matrix,
               double* probabilities, AmplitudeBlock block) {
  check_qubit(state, qubit);
  check_same_size(source, state);
  const std::array<int, 1> bits{state.bit_of(qubit)};
  check_block<1>(state, block, bits);
  if (state.size() < kLanes) return small_state_kernel<1>(source, state, bits, matrix, probabilities);
  with_high_mask<1>(bits, [&]<unsigned HighMask>() {
    matrix_kernel_for<1, HighMask, Diagonal>(source, state, bits, matrix, probabilities, block);
  });
}

// The index bits of a two-qubit gate's targets, after the argument checks.
std::array<int, 2> checked_bits(const StateVector& source, const StateVector& state, int qubit_a,
                                int qubit_b, AmplitudeBlock block) {
  check_qubit(state, qubit_a);
  check_qubit(state, qubit_b);
  check_distinct(qubit_a, qubit_b);
  check_same_size(source, state);
  const std::array<int, 2> bits{state.bit_of(qubit_a), state.bit_of(qubit_b)};
  check_block<2>(state, block, bits);
  return bits;
}

template <bool Diagonal>
void dispatch2(const StateVector& source, StateVector& state, int qubit_a, int qubit_b,
               const Complex* matrix, double* probabilities, AmplitudeBlock block) {
  const std::array<int, 2> bits = checked_bits(source, state, qubit_a, qubit_b, block);
  if (state.size() < kLanes) return small_state_kernel<2>(source, state, bits, matrix, probabilities);
  with_high_mask<2>(bits, [&]<unsigned HighMask>() {
    matrix_kernel_for<2, HighMask, Diagonal>(source, state, bits, matrix, probabilities, block);
  });
}

template <unsigned HighMask>
void cnot_kernel_for(const StateVector& source, StateVector& state, int control_bit, int target_bit,
                     double* probabilities, AmplitudeBlock block) {
  if (probabilities)
    cnot_kernel<HighMask, true>(source, state, control_bit, target_bit, probabilities, block);
  else
    cnot_kernel<HighMask, false>(source, state, control_bit, target_bit, nullptr, block);
}

void dispatch_cnot(const StateVector& source, StateVector& state, int control, int target,
                   double* probabilities, AmplitudeBlock block) {
  const std::array<int, 2> bits = checked_bits(source, state, control, target, block);
  if (state.size() < kLanes) {
    const Matrix4 matrix = gates::cnot();
    return small_state_kernel<2>(source, state, bits, matrix.m.data(), probabilities);
  }
  with_high_mask<2>(bits, [&]<unsigned HighMask>() {
    cnot_kernel_for<HighMask>(source, state, bits[0], bits[1], probabilities, block);
  });
}

Matrix2 diagonal_matrix(const std::array<Complex, 2>& diagonal) {
  return Matrix2{{diagonal[0], 0.0, 0.0, diagonal[1]}};
}

Matrix4 diagonal_matrix(const std::array<Complex, 4>& diagonal) {
  Matrix4 matrix;
  for (int k = 0; k < 4; ++k) matrix(k, k) = diagonal[k];
  return matrix;
}

}  // namespace

void apply_matrix(StateVector& state, int qubit, const Matrix2& matrix, double* probabilities,
                  AmplitudeBlock block) {
  apply_matrix(state, state, qubit, matrix, probabilities, block);
}

void apply_matrix(StateVector& state, int qubit_a, int qubit_b, const Matrix4& matrix,
                  double* probabilities, AmplitudeBlock block) {
  apply_matrix(state, state, qubit_a, qubit_b, matrix, probabilities, block);
}

void apply_diagonal(StateVector& state, int qubit, const std::array<Complex, 2>& diagonal,
                    double* probabilities, AmplitudeBlock block) {
  apply_diagonal(state, state, qubit, diagonal, probabilities, block);
}

void apply_diagonal(StateVector& state, int qubit_a, int qubit_b,
                    const std::array<Complex, 4>& diagonal, double* probabilities,
                    AmplitudeBlock block) {
  apply_diagonal(state, state, qubit_a, qubit_b, diagonal, probabilities, block);
}

void apply_cnot(StateVector& state, int control, int target, double* probabilities,
                AmplitudeBlock block) {
  apply_cnot(state, state, control, target, probabilities, block);
}

void apply_matrix(const StateVector& source, StateVector& state, int qubit, const Matrix2& matrix,
                  double* probabilities, AmplitudeBlock block) {
  dispatch1<false>(source, state, qubit, matrix.m.data(), probabilities, block);
}

void apply_matrix(const StateVector& source, StateVector& state, int qubit_a, int qubit_b,
                  const Matrix4& matrix, double* probabilities, AmplitudeBlock block) {
  dispatch2<false>(source, state, qubit_a, qubit_b, matrix.m.data(), probabilities, block);
}

void apply_diagonal(const StateVector& source, StateVector& state, int qubit,
                    const std::array<Complex, 2>& diagonal, double* probabilities,
                    AmplitudeBlock block) {
  dispatch1<true>(source, state, qubit, diagonal_matrix(diagonal).m.data(), probabilities, block);
}

void apply_diagonal(const StateVector& source, StateVector& state, int qubit_a, int qubit_b,
                    const std::array<Complex, 4>& diagonal, double* probabilities,
                    AmplitudeBlock block) {
  dispatch2<true>(source, state, qubit_a, qubit_b, diagonal_matrix(diagonal).m.data(),
                  probabilities, block);
}

void apply_cnot(const StateVector& source, StateVector& state, int control, int target,
                double* probabilities, AmplitudeBlock block) {
  dispatch_cnot(source, state, control, target, probabilities, block);
}

Matrix2 reduced_overlap(const StateVector& bra, const StateVector& ket, int qubit) {
  check_qubit(bra, qubit);
  check_same_size(bra, ket);
  const std::array<int, 1> bits{bra.bit_of(qubit)};
  Matrix2 r;
  if (bra.size() < kLanes) small_state_overlap<1>(bra, ket, bits, r.m.data());
  else with_high_mask<1>(bits, [&]<unsigned HighMask>() { overlap_for<1, HighMask>(bra, ket, bits, r.m.data()); });
  return r;
}

Matrix4 reduced_overlap(const StateVector& bra, const StateVector& ket, int qubit_a, int qubit_b) {
  check_qubit(bra, qubit_a);
  check_qubit(bra, qubit_b);
  check_distinct(qubit_a, qubit_b);
  check_same_size(bra, ket);
  const std::array<int, 2> bits{bra.bit_of(qubit_a), bra.bit_of(qubit_b)};
  Matrix4 r;
  if (bra.size() < kLanes) {
    small_state_overlap<2>(bra, ket, bits, r.m.data());
    return r;
  }
  with_high_mask<2>(bits, [&]<unsigned HighMask>() { overlap_for<2, HighMask>(bra, ket, bits, r.m.data()); });
  return r;
}

void compute_probabilities(const StateVector& state, std::span<double> probabilities) {
  if (probabilities.size() != state.size())
    throw std::invalid_argument("probabilities: output size differs from the state's");
  const double* re = state.real();
  const double* im = state.imag();
  for (std::size_t i = 0; i < state.size(); ++i) probabilities[i] = re[i] * re[i] + im[i] * im[i];
}

}  // namespace qgen::sim
