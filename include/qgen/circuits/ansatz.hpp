// The QCBM paper's two circuit templates (paper 000, Fig. 2; exact layout in DESIGN.md).
//
// Ansatz 1, "brick layer", d layers on Q qubits. One layer: Rot on every qubit; CNOT(0,1),
// CNOT(2,3), ...; Rot on the qubits of the second brick row (1..Q-2 for even Q, 1..Q-1 for odd
// Q); CNOT(1,2), CNOT(3,4), ... After the d layers, a final Rot on every qubit.
// Parameters: 3 d (2Q-2) + 3Q (even Q), 3 d (2Q-1) + 3Q (odd Q).
//
// Ansatz 2, "disconnected tree", d layers. One layer: Rot on every qubit; inside each feature
// block of `block_size` qubits a star of CNOTs from the block's first qubit b0: CNOT(b0,b1),
// CNOT(b0,b2), ... No gate crosses blocks. A final Rot layer. Parameters: 3 (d+1) Q.
//
// Parameter slots are numbered in gate order: Rot number k uses slots 3k, 3k+1, 3k+2 for
// (phi, theta, omega), so a contiguous block of parameters is a contiguous stretch of circuit.
#pragma once

#include "qgen/circuits/initial_state.hpp"
#include "qgen/sim/circuit.hpp"

namespace qgen::circuits {

struct AnsatzSpec {
  int ansatz = 1;       // 1 (brick layer) or 2 (disconnected tree)
  int num_qubits = 8;
  int depth = 6;        // d
  int block_size = 0;   // ansatz 2: qubits per feature; 0 means one block of all qubits
  InitialState initial_state = InitialState::zero;
};

/// Throws core::InputError naming the first impossible setting.
void check_ansatz(const AnsatzSpec& spec);

int parameter_count(const AnsatzSpec& spec);

/// Initial-state preparation followed by the ansatz.
sim::Circuit build_qcbm_circuit(const AnsatzSpec& spec);

}  // namespace qgen::circuits
