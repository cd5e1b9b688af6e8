#include "qgen/sim/adjoint_step.hpp"

#include <stdexcept>

#include "qgen/sim/kernels.hpp"
#include "target_layout.hpp"

namespace qgen::sim {
namespace {

using namespace detail;

// One pass over both states: ket <- undo ket first if RecoverKet, the overlap's patterns
// [CFirst, CLast) into r, then bra <- undo bra if UndoBra.
template <int K, unsigned HighMask, int CFirst, int CLast, bool RecoverKet, bool UndoBra>
void adjoint_step_pass(StateVector& bra, StateVector& ket, const std::array<int, K>& bits,
                       const Complex* undo, Complex* r) {
  using Layout = TargetLayout<K, HighMask>;
  const Layout layout(bits);
  const GroupMatrix<K, HighMask, /*Diagonal=*/false> matrix(layout, undo);
  GroupOverlap<K, HighMask, CFirst, CLast> overlap(layout);
  double* br = bra.real();
  double* bi = bra.imag();
  double* kr = ket.real();
  double* ki = ket.imag();
  const auto groups = layout.groups(bra.size());
  for (std::size_t g = 0; g < groups.num_groups; ++g) {
    const std::size_t i0 = groups.first_index(g);
    GroupBlocks<Layout::kGroup> k;
    k.load(kr, ki, i0, layout.offset);
    if constexpr (RecoverKet) {
      k = matrix.apply(k);
      k.store(kr, ki, i0, layout.offset);
    }
    GroupBlocks<Layout::kGroup> b;
    b.load(br, bi, i0, layout.offset);
    overlap.add(b, k);
    if constexpr (UndoBra) matrix.apply(b).store(br, bi, i0, layout.offset);
  }
  overlap.fold_into(layout, r);
}

// With both targets high a group has four members: the sixteen overlap accumulators and the
// group's sixteen blocks would not fit in the 32 vector registers together, and spilling the
// accumulators costs more than a second pass. Then the first pass recovers ket and takes half
// of the overlap, the second the other half and moves bra back.
template <int K, unsigned HighMask, bool RecoverKet>
void adjoint_step_kernel(StateVector& bra, StateVector& ket, const std::array<int, K>& bits,
                         const Complex* undo, Complex* r) {
  constexpr int kDim = 1 << K;
  for (int e = 0; e < kDim * kDim; ++e) r[e] = 0.0;
  if constexpr (TargetLayout<K, HighMask>::kGroup == 4) {
    adjoint_step_pass<K, HighMask, 0, kDim / 2, RecoverKet, false>(bra, ket, bits, undo, r);
    adjoint_step_pass<K, HighMask, kDim / 2, kDim, false, true>(bra, ket, bits, undo, r);
  } else {
    adjoint_step_pass<K, HighMask, 0, kDim, RecoverKet, true>(bra, ket, bits, undo, r);
  }
}

template <int K, typename Small>
Small step(StateVector& bra, StateVector& ket, bool recover_ket, const std::array<int, K>& qubits,
           const Small& undo) {
  check_same_size(bra, ket);
  for (int q : qubits) check_qubit(bra, q);
  if constexpr (K == 2) check_distinct(qubits[0], qubits[1]);
  std::array<int, K> bits;
  for (int j = 0; j < K; ++j) bits[j] = bra.bit_of(qubits[j]);
  Small r;
  if (bra.size() < static_cast<std::size_t>(kLanes)) {
    // Below one lane block: the separate kernels.
    if constexpr (K == 1) {
      if (recover_ket) apply_matrix(ket, qubits[0], undo);
      r = reduced_overlap(bra, ket, qubits[0]);
      apply_matrix(bra, qubits[0], undo);
    } else {
      if (recover_ket) apply_matrix(ket, qubits[0], qubits[1], undo);
      r = reduced_overlap(bra, ket, qubits[0], qubits[1]);
      apply_matrix(bra, qubits[0], qubits[1], undo);
    }
    return r;
  }
  with_high_mask<K>(bits, [&]<unsigned HighMask>() {
    if (recover_ket)
      adjoint_step_kernel<K, HighMask, true>(bra, ket, bits, undo.m.data(), r.m.data());
    else
      adjoint_step_kernel<K, HighMask, false>(bra, ket, bits, undo.m.data(), r.m.data());
  });
  return r;
}

// One pass of adjoint_step_paulis: the overlaps of bra and ket as they come in (AtAfter),
// ket <- undo ket (RecoverKet), bra <- undo bra, the overlaps of both as they leave (AtBefore).
// (Not inlined into the dispatch: inlined side by side, the variants were compiled with
// their blocks spilled, several times slower.)
template <unsigned HighMask, bool RecoverKet, bool AtAfter, bool AtBefore>
[[gnu::noinline]] void pauli_step_pass(StateVector& bra, StateVector& ket, const std::array<int, 2>& bits,
                     const Complex* undo, double* after, double* before) {
  using Layout = TargetLayout<2, HighMask>;
  const Layout layout(bits);
  const GroupMatrix<2, HighMask, /*Diagonal=*/false> matrix(layout, undo);
  GroupPauliOverlap<HighMask> at_after(layout), at_before(layout);
  double* br = bra.real();
  double* bi = bra.imag();
  double* kr = ket.real();
  double* ki = ket.imag();
  const auto groups = layout.groups(bra.size());
  for (std::size_t g = 0; g < groups.num_groups; ++g) {
    const std::size_t i0 = groups.first_index(g);
    GroupBlocks<Layout::kGroup> k, b;
    k.load(kr, ki, i0, layout.offset);
    b.load(br, bi, i0, layout.offset);
    if constexpr (AtAfter) at_after.add(b, k);
    if constexpr (RecoverKet) {
      k = matrix.apply(k);
      k.store(kr, ki, i0, layout.offset);
    }
    b = matrix.apply(b);
    b.store(br, bi, i0, layout.offset);
    if constexpr (AtBefore) at_before.add(b, k);
  }
  if constexpr (AtAfter) at_after.fold_into(layout, after);
  if constexpr (AtBefore) at_before.fold_into(layout, before);
}

// Im <bra| P |ket> for the six Paulis from the reduced overlap R: Im sum_xy P_xy R_xy.
PauliOverlaps paulis_from_overlap(const Matrix4& r) {
  const Matrix2 one = gates::identity2();
  const std::array<Matrix2, 3> paulis{gates::pauli_x(), gates::pauli_y(), gates::pauli_z()};
  PauliOverlaps out{};
  for (int j = 0; j < 2; ++j)
    for (int s = 0; s < 3; ++s) {
      const Matrix4 p = j == 0 ? kron(paulis[s], one) : kron(one, paulis[s]);
      Complex sum = 0.0;
      for (int e = 0; e < 16; ++e) sum += p.m[e] * r.m[e];
      out[3 * j + s] = sum.imag();
    }
  return out;
}

}  // namespace

void adjoint_step_paulis(StateVector& bra, StateVector& ket, bool recover_ket, int qubit_a,
                         int qubit_b, const Matrix4& undo, PauliOverlaps* after,
                         PauliOverlaps* before) {
  check_same_size(bra, ket);
  check_qubit(bra, qubit_a);
  check_qubit(bra, qubit_b);
  check_distinct(qubit_a, qubit_b);
  if (after != nullptr && !recover_ket)
    throw std::invalid_argument("adjoint_step_paulis: the overlaps after the gate need the ket after it");
  if (after) after->fill(0.0);
  if (before) before->fill(0.0);
  if (bra.size() < static_cast<std::size_t>(kLanes)) {
    // Below one lane block: the separate kernels and the overlaps from R.
    if (after) *after = paulis_from_overlap(reduced_overlap(bra, ket, qubit_a, qubit_b));
    if (recover_ket) apply_matrix(ket, qubit_a, qubit_b, undo);
    apply_matrix(bra, qubit_a, qubit_b, undo);
    if (before) *before = paulis_from_overlap(reduced_overlap(bra, ket, qubit_a, qubit_b));
    return;
  }
  const std::array<int, 2> bits{bra.bit_of(qubit_a), bra.bit_of(qubit_b)};
  double* a = after ? after->data() : nullptr;
  double* b = before ? before->data() : nullptr;
  with_high_mask<2>(bits, [&]<unsigned HighMask>() {
    auto run = [&]<bool RecoverKet, bool AtAfter, bool AtBefore>() {
      pauli_step_pass<HighMask, RecoverKet, AtAfter, AtBefore>(bra, ket, bits, undo.m.data(), a, b);
    };
    if (!recover_ket) {
      if (before) run.template operator()<false, false, true>();
      else run.template operator()<false, false, false>();
    } else if (after) {
      if (before) run.template operator()<true, true, true>();
      else run.template operator()<true, true, false>();
    } else {
      if (before) run.template operator()<true, false, true>();
      else run.template operator()<true, false, false>();
    }
  });
}

Matrix2 adjoint_step(StateVector& bra, StateVector& ket, bool recover_ket, int qubit,
                     const Matrix2& undo) {
  return step<1>(bra, ket, recover_ket, std::array<int, 1>{qubit}, undo);
}

Matrix4 adjoint_step(StateVector& bra, StateVector& ket, bool recover_ket, int qubit_a,
                     int qubit_b, const Matrix4& undo) {
  return step<2>(bra, ket, recover_ket, std::array<int, 2>{qubit_a, qubit_b}, undo);
}

}  // namespace qgen::sim
