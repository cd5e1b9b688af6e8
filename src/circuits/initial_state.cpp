#include "qgen/circuits/initial_state.hpp"

#include "qgen/core/errors.hpp"

namespace qgen::circuits {

void check_initial_state(InitialState state, int num_qubits) {
  const std::string q = std::to_string(num_qubits);
  if (state == InitialState::bell && num_qubits % 2 != 0)
    throw core::InputError("initial state 'bell' pairs qubits and needs an even number of "
                                "qubits, got " + q);
  if (state == InitialState::ghz && num_qubits % 3 != 0)
    throw core::InputError("initial state 'ghz' groups qubits in triples and needs a number "
                                "of qubits divisible by 3, got " + q);
}

void prepare_initial_state(sim::Circuit& circuit, InitialState state) {
  const int n = circuit.num_qubits();
  check_initial_state(state, n);
  switch (state) {
    case InitialState::zero: return;
    case InitialState::plus:
      for (int q = 0; q < n; ++q) circuit.h(q);
      return;
    case InitialState::bell:
      for (int q = 0; q < n; q += 2) {
        circuit.h(q);
        circuit.cnot(q, q + 1);
      }
      return;
    case InitialState::ghz:
      for (int q = 0; q < n; q += 3) {
        circuit.h(q);
        circuit.cnot(q, q + 1);
        circuit.cnot(q + 1, q + 2);
      }
      return;
  }
}

}  // namespace qgen::circuits
