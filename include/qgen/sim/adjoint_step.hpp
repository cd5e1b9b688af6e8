// One gate of the adjoint method's backward sweep (sim/adjoint.hpp) in a single pass over the
// two states: the reduced overlap R of bra (lambda) and ket (phi, the state before the gate) on
// the gate's qubits -- as reduced_overlap in kernels.hpp -- and then bra <- undo bra, with
// `undo` the gate's adjoint. With `recover_ket`, ket holds the state after the gate on entry
// and is first moved back through it (ket <- undo ket), in the same pass: the sweep that does
// not keep its states. Separately that is two to four passes (one or two gates and an overlap,
// which for two qubits runs as two half-passes); here it is one, or two when both qubits are
// high bits (adjoint_step.cpp says why).
#pragma once

#include "qgen/sim/gate_matrix.hpp"
#include "qgen/sim/state_vector.hpp"

namespace qgen::sim {

Matrix2 adjoint_step(StateVector& bra, StateVector& ket, bool recover_ket, int qubit,
                     const Matrix2& undo);
Matrix4 adjoint_step(StateVector& bra, StateVector& ket, bool recover_ket, int qubit_a,
                     int qubit_b, const Matrix4& undo);

}  // namespace qgen::sim
