// One gate of the adjoint method's backward sweep (sim/adjoint.hpp) in a single pass over the
// two states: the reduced overlap R of bra (lambda) and ket (phi, the state before the gate) on
// the gate's qubits -- as reduced_overlap in kernels.hpp -- and then bra <- undo bra, with
// `undo` the gate's adjoint. With `recover_ket`, ket holds the state after the gate on entry
// and is first moved back through it (ket <- undo ket), in the same pass: the sweep that does
// not keep its states. Separately that is two to four passes (one or two gates and an overlap,
// which for two qubits runs as two half-passes); here it is one, or two when both qubits are
// high bits (adjoint_step.cpp says why).
//
// adjoint_step_paulis is the same pass for a two-qubit gate whose angles all sit in one-qubit
// factors at its boundaries (a fused CNOT with rotations before or after it): instead of the
// full 4x4 R it takes the six numbers Im <bra| P |ket>, P = X, Y, Z on either qubit, where
// the states sit after the gate (bra and ket as they come in; the ket must be recovered) and
// before it (as they leave). Every such angle's derivative is a real combination of these
// (adjoint_gates.cpp). They cost 10 multiply-adds per amplitude against R's 16 and six
// accumulators against R's 32, so the pass stays one pass with both qubits high.
#pragma once

#include <array>

#include "qgen/sim/gate_matrix.hpp"
#include "qgen/sim/state_vector.hpp"

namespace qgen::sim {

Matrix2 adjoint_step(StateVector& bra, StateVector& ket, bool recover_ket, int qubit,
                     const Matrix2& undo);
Matrix4 adjoint_step(StateVector& bra, StateVector& ket, bool recover_ket, int qubit_a,
                     int qubit_b, const Matrix4& undo);

/// Im <bra| P |ket> for P = X, Y, Z on qubit_a, then on qubit_b.
using PauliOverlaps = std::array<double, 6>;

/// As adjoint_step for two qubits, with the Pauli overlaps in place of R: `after` (if not null;
/// needs recover_ket) of bra and ket as they come in, `before` (if not null) of the moved bra
/// and the ket before the gate.
void adjoint_step_paulis(StateVector& bra, StateVector& ket, bool recover_ket, int qubit_a,
                         int qubit_b, const Matrix4& undo, PauliOverlaps* after,
                         PauliOverlaps* before);

}  // namespace qgen::sim
