// The QCBM paper's initial states, prepared by gates from |0...0> (DESIGN.md):
//   zero  |0...0>
//   bell  Bell pairs |Phi+> = (|00> + |11>)/sqrt 2 on qubits (0,1), (2,3), ...   (Q even)
//   ghz   GHZ triples (|000> + |111>)/sqrt 2 on (0,1,2), (3,4,5), ...         (Q divisible by 3)
//   plus  |+> on every qubit
// An impossible combination is an input error (core::InputError naming it), never a
// silent fallback.
#pragma once

#include <string>

#include "qgen/core/enum_names.hpp"
#include "qgen/sim/circuit.hpp"

namespace qgen::circuits {

enum class InitialState { zero, bell, ghz, plus };

constexpr auto enum_names(InitialState) {
  using enum InitialState;
  return std::array{core::EnumName{zero, "zero"}, core::EnumName{bell, "bell"}, core::EnumName{ghz, "ghz"}, core::EnumName{plus, "plus"}};
}

/// Throws core::InputError when `state` cannot be prepared on `num_qubits` qubits.
void check_initial_state(InitialState state, int num_qubits);

/// Appends the (unparameterised) gates that prepare `state` from |0...0>.
void prepare_initial_state(sim::Circuit& circuit, InitialState state);

}  // namespace qgen::circuits
