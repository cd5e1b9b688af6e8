// Independent parts of a register.
//
// When no two-qubit operation (gate or noise) of any circuit in a batch joins two groups of
// qubits, each group evolves on its own: the density matrix (and every trajectory) stays a
// product over the groups, and the outcome distribution is the product of the groups'
// distributions, p(x) = prod_parts p_part(x restricted to the part). Simulating the parts
// separately is then exact, and costs the sum over parts instead of 2^Q (4^Q for a density
// matrix). For trajectories, the parts draw from independent streams, so the product of their
// mean distributions is an unbiased estimate of the whole (the expectation of a product of
// independent estimates is the product of their expectations).
//
// The QCBM paper's ansatz 2 from |0> (its hardware runs) splits into its feature blocks: the
// 12-qubit circuit on ibm_cairo becomes three 4-qubit parts, whose density matrices are exact
// and cost microseconds.
#pragma once

#include <functional>
#include <span>
#include <vector>

#include "qgen/sim/noisy_circuit.hpp"

namespace qgen::sim {

struct RegisterSplit {
  std::vector<std::vector<int>> parts;  // qubits of each part, ascending; parts by first qubit
};

/// The finest split that no circuit of the batch crosses (connected components of the union of
/// their two-qubit operations).
RegisterSplit split_register(std::span<const NoisyCircuit> circuits);

/// The distribution over all qubits from the parts' distributions (parts[k] over the qubits of
/// split.parts[k], the first of them the most significant bit).
std::vector<double> join_parts(std::span<const std::vector<double>> parts, const RegisterSplit& split,
                               int num_qubits);

/// A method run on the circuits of one part (numbered `part`), one distribution per circuit.
using PartMethod = std::function<std::vector<std::vector<double>>(std::span<const NoisyCircuit>, int part)>;

/// Each circuit's distribution from `method` run part by part and joined. Circuits identical
/// on a part (in a sweep, every part but the shifted gate's) are run once there.
std::vector<std::vector<double>> run_split(std::span<const NoisyCircuit> circuits,
                                           const PartMethod& method);

}  // namespace qgen::sim
