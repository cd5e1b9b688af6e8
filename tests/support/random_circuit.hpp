// Random circuits over every gate kind, for tests that must not depend on one ansatz.
#pragma once

#include <cstdint>

#include "qgen/sim/circuit.hpp"
#include "qgen/sim/noise_channel.hpp"
#include "qgen/sim/noisy_circuit.hpp"

namespace qgen::testing {

/// `num_gates` gates drawn uniformly from all kinds, on random qubits; each angle is a constant
/// or refers to one of `num_parameters` slots with a random scale and offset (so that slots are
/// shared between gates and the chain rule through the scale is exercised).
sim::Circuit random_circuit(int num_qubits, int num_gates, int num_parameters, std::uint64_t seed);

/// A generic one-qubit channel (not a mixture of unitaries): K_k = <k|_env V |0>_env for a
/// random unitary V on the qubit and a one-qubit environment (the qubit the more significant).
sim::KrausChannel random_channel(std::uint64_t seed);

/// `num_operations` operations drawn from every NoisyOpKind: random unitaries, CNOTs, and
/// channels (depolarising, thermal relaxation, random_channel, two-qubit depolarising) whose
/// strength grows with `strength` (0: identity channels; 1: strong noise).
sim::NoisyCircuit random_noisy_circuit(int num_qubits, int num_operations, double strength,
                                       std::uint64_t seed);

}  // namespace qgen::testing
