// The circuits of the quantum invertible neural network (paper 004, section 3, Fig. 2).
//
// One QINN layer on qubits 0..n-1: Rot(phi, theta, omega) on every qubit, then CNOT(i, i+1)
// for i = 0..n-2 and CNOT(n-1, 0), closing the ring (n = 2: CNOT(0,1), CNOT(1,0); n = 1: no
// CNOT). The Rot of qubit q in layer l uses the parameter slots first + 3(l n + q) + {0, 1, 2}
// for (phi, theta, omega): 3 n L slots for L layers.
//
// The adjoint (eq. 13-15): the layers in reverse order, in each the CNOTs in reverse order
// (CNOT is its own inverse) and then Rot^+(phi, theta, omega) = Rot(-omega, -theta, -phi), the
// same slots read with scale -1, so the inverse circuit shares its parameters with the forward
// one and the adjoint method differentiates both alike. The gates act on qubits 0..n-1 of a
// circuit that may have more qubits (a batch of events in the low qubits, qgen/qinn).
#pragma once

#include "qgen/sim/circuit.hpp"

namespace qgen::circuits {

constexpr int qinn_layer_parameters(int num_qubits, int layers) { return 3 * num_qubits * layers; }

/// Appends `layers` QINN layers on qubits 0..num_qubits-1 of `circuit`, from slot `first_slot`.
void add_qinn_layers(sim::Circuit& circuit, int num_qubits, int layers, int first_slot);

/// Appends the adjoint of those layers (the same slots).
void add_qinn_layers_adjoint(sim::Circuit& circuit, int num_qubits, int layers, int first_slot);

}  // namespace qgen::circuits
