// The QCBM paper's initial states, prepared by gates from |0...0> (DESIGN.md):
//   zero  |0...0>
//   bell  Bell pairs |Phi+> = (|00> + |11>)/sqrt 2 on qubits (0,1), (2,3), ...   (Q even)
//   ghz   GHZ triples (|000> + |111>)/sqrt 2 on (0,1,2), (3,4,5), ...         (Q divisible by 3)
//   plus  |+> on every qubit
// An impossible combination is an input error (std::invalid_argument naming it), never a
// silent fallback.
#pragma once

#include <string>

#include "qgen/sim/circuit.hpp"

namespace qgen::circuits {

enum class InitialState { zero, bell, ghz, plus };

InitialState parse_initial_state(const std::string& text);
std::string to_string(InitialState state);

/// Throws std::invalid_argument when `state` cannot be prepared on `num_qubits` qubits.
void check_initial_state(InitialState state, int num_qubits);

/// Appends the (unparameterised) gates that prepare `state` from |0...0>.
void prepare_initial_state(sim::Circuit& circuit, InitialState state);

}  // namespace qgen::circuits
