// The [circuit] keys, shared by qgen circuit and qgen train: ansatz, qubits, depth,
// initial-state and fusion (paper 000, Fig. 2; DESIGN.md).
#pragma once

#include "qgen/app/options.hpp"
#include "qgen/circuits/ansatz.hpp"
#include "qgen/sim/fusion.hpp"

namespace qgen::app {

void add_circuit_options(po::options_description& options);

struct CircuitOptions {
  circuits::AnsatzSpec spec;  // block_size set by the command, once it knows the features
  sim::FusionLevel fusion = sim::FusionLevel::two_qubit;
};

/// InputError naming the key for an impossible value or combination (checked with one block;
/// the command checks ansatz 2's blocks when it sets them).
CircuitOptions circuit_options_from(const po::variables_map& values);

}  // namespace qgen::app
