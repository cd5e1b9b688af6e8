// Where the qubits of a distributed state (distributed_state.hpp) live while a fused circuit
// runs: planned once from the circuit's structure, like the fusion plan it is made from.
//
// A state on a group of S = 2^g ranks keeps g qubits "global" (their bits select the rank) and
// the others local. A gate runs only on local qubits, so before a gate touching a global qubit
// the plan exchanges that qubit with a local one: one pairwise exchange of half of every
// rank's amplitudes (DistributedStateVector::exchange), after which the two logical qubits
// have traded physical positions. Physical position p is bit Q-1-p of the index (position 0 is
// the most significant bit, as qubit 0), positions [0, g) are the global ones.
//
// The gates run in the fusion plan's order, never reordered: each amplitude then goes through
// exactly the arithmetic of the single-rank simulator, so the probabilities equal its own bit
// for bit (distributed_simulator.hpp says when) and shot counts drawn from them are the same
// for any S. Within that order, the local qubit that leaves for a global position is chosen by
// Belady's paging rule (optimal for paging): the one whose next use is furthest away, one never
// used again first. Ties go to a qubit whose home is the global position it is about to take
// (the layout heals itself), then to the highest local position (the longest runs to pack).
// Ansatz 1 needs 2 exchanges per layer in this order (tests/sim/test_distribution_plan.cpp
// says why); reordering commuting gates would need fewer but round differently.
//
// The run starts from |0...0>, which every layout stores alike: the plan picks the initial
// global qubits freely (by the same rule, from their first uses) and gives them in
// `initial_positions`. At the end it restores the canonical layout (qubit q at position q), so
// that rank r holds basis states [r 2^(Q-g), (r+1) 2^(Q-g)) in order: global positions by
// exchanges, local ones by SWAP gates between local positions (no communication).
#pragma once

#include <array>
#include <vector>

#include "qgen/sim/fusion.hpp"

namespace qgen::sim {

struct DistributedStep {
  enum class Kind { gate, exchange, local_swap };
  Kind kind = Kind::gate;
  int gate = -1;                         // gate: index into FusionPlan::groups
  std::array<int, 2> positions{-1, -1};  // exchange: (global, local); local_swap: two local
};

struct DistributionPlan {
  int num_qubits = 0;
  int global_qubits = 0;
  std::vector<int> initial_positions;  // logical qubit -> physical position at the start
  std::vector<DistributedStep> steps;
  int exchanges = 0;    // exchange steps, restoring ones included
  int local_swaps = 0;  // local SWAP steps (all of them restoring the layout)
};

/// std::invalid_argument unless 0 <= global_qubits and two local qubits remain (or none are
/// global).
DistributionPlan plan_distribution(const FusionPlan& fusion, int global_qubits);

}  // namespace qgen::sim
