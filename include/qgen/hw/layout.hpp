// Placing a circuit's qubits on a device's qubits.
//
// The circuit's interaction graph (an edge for each pair of qubits that a two-qubit gate joins:
// a path for ansatz 1, disjoint stars for ansatz 2) is embedded in the device's coupling map
// (qubit to distinct device qubit, every edge on a coupled pair) by a deterministic
// branch-and-bound search that minimises the expected number of errors
//     sum over circuit qubits   (sx/x pulses on it) x (sx error) + readout error
//   + sum over interacting pairs (two-qubit gates on it) x (cx error of the coupler),
// so that low-error qubits and couplers are preferred. Qubits are placed component by component,
// largest first, each component in breadth-first order from its highest-degree qubit, so a
// qubit is only tried on free device neighbours of its parent; a qubit of degree k only on
// device qubits of degree >= k (a star of 4 needs a degree-3 qubit, which heavy-hex maps have).
//
// Where no embedding exists (a 5-star on a heavy-hex map; ansatz 2 from Bell pairs, whose pair
// (2,3) closes a triangle with its block's star) or none is found within `search_limit` steps,
// the circuit is routed. Two placements are tried: the least used interacting pairs dropped one
// by one (up to 16) until the rest embeds, so the pairs with many gates sit on couplers; and a
// greedy placement (each qubit as close to its placed neighbours as possible). Then, gate by
// gate, the first qubit of a gate on uncoupled device qubits is moved along a shortest path with
// SWAPs (3 cx each on the device) until it is a neighbour of the second; paths stay inside the
// placed qubits where they can. Each placement is routed in two variants and the fewest SWAPs
// kept: the moved qubit stays where it went, or the SWAPs are undone after the gate (which keeps
// the placement for the many gates that need no routing). The qubits may end permuted:
// Layout::final says where each circuit qubit is measured. No lookahead (as in SABRE): a
// circuit that needs many routed gates gets more SWAPs than a better router would insert.
// With `strict`, no routing: a core::InputError says that the circuit does not embed.
//
// Compact qubits. The laid-out circuit acts on the device qubits it uses, numbered 0..C-1:
// compact qubit k < Q starts with circuit qubit k; k >= Q are routing ancillas (device qubits a
// SWAP path crossed), in |0> at the start. Layout::physical maps compact qubits to device qubits.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "qgen/hw/device_model.hpp"
#include "qgen/sim/circuit.hpp"

namespace qgen::hw {

struct LayoutOptions {
  bool strict = false;                     // refuse to route: core::InputError instead
  std::int64_t search_limit = 5'000'000;   // steps of the embedding search
};

struct Layout {
  std::vector<int> physical;   // compact qubit -> device qubit
  std::vector<int> final;      // circuit qubit -> compact qubit it is measured on
  int swaps = 0;               // SWAPs inserted by routing
  bool embedded = false;       // no SWAPs were needed
  double expected_errors = 0;  // the score above of the initial placement (SWAPs not counted)
};

struct LaidOutCircuit {
  sim::Circuit circuit;  // on the compact qubits, SWAPs inserted; the same parameter slots
  Layout layout;
};

/// core::InputError when the device has fewer qubits than the circuit, or (strict) when the
/// circuit does not embed.
LaidOutCircuit lay_out(const sim::Circuit& circuit, const DeviceModel& device,
                       const LayoutOptions& options = {});

/// The expected number of errors (the score above) of placing circuit qubit q on
/// device qubit placement[q], for any placement whose interacting pairs are coupled.
double placement_score(const sim::Circuit& circuit, const DeviceModel& device,
                       std::span<const int> placement);

/// The distribution over the circuit's 2^Q outcomes (qubit 0 most significant) from one over
/// the compact register: routing ancillas summed over, the final permutation undone.
std::vector<double> circuit_distribution(std::span<const double> compact, const Layout& layout,
                                         int num_circuit_qubits);

}  // namespace qgen::hw
