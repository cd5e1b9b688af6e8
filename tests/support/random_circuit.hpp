// Random circuits over every gate kind, for tests that must not depend on one ansatz.
#pragma once

#include <cstdint>

#include "qgen/sim/circuit.hpp"

namespace qgen::testing {

/// `num_gates` gates drawn uniformly from all kinds, on random qubits; each angle is a constant
/// or refers to one of `num_parameters` slots with a random scale and offset (so that slots are
/// shared between gates and the chain rule through the scale is exercised).
sim::Circuit random_circuit(int num_qubits, int num_gates, int num_parameters, std::uint64_t seed);

}  // namespace qgen::testing
