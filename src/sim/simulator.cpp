#include "qgen/sim/simulator.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "qgen/sim/cache_blocks.hpp"
#include "qgen/sim/kernels.hpp"

namespace qgen::sim {

void apply(const BoundGate& gate, StateVector& state, double* probabilities,
           AmplitudeBlock block) {
  apply(gate, state, state, probabilities, block);
}

void apply(const BoundGate& gate, const StateVector& source, StateVector& state,
           double* probabilities, AmplitudeBlock block) {
  const auto& m = gate.matrix;
  switch (gate.kind) {
    case FusedKind::Matrix1: {
      Matrix2 matrix;
      std::copy_n(m.begin(), 4, matrix.m.begin());
      return apply_matrix(source, state, gate.qubits[0], matrix, probabilities, block);
    }
    case FusedKind::Diagonal1:
      return apply_diagonal(source, state, gate.qubits[0], {m[0], m[1]}, probabilities, block);
    case FusedKind::Matrix2:
      return apply_matrix(source, state, gate.qubits[0], gate.qubits[1], Matrix4{m},
                          probabilities, block);
    case FusedKind::Diagonal2:
      return apply_diagonal(source, state, gate.qubits[0], gate.qubits[1],
                            {m[0], m[1], m[2], m[3]}, probabilities, block);
    case FusedKind::CNOT:
      return apply_cnot(source, state, gate.qubits[0], gate.qubits[1], probabilities, block);
  }
}

void apply_range(std::span<const BoundGate> gates, StateVector& state, double* probabilities) {
  apply_range(gates, state, probabilities, cache_block_bits(state.num_qubits()));
}

void apply_range(std::span<const BoundGate> gates, StateVector& state, double* probabilities,
                 int block_bits) {
  if (gates.empty()) {
    if (probabilities) compute_probabilities(state, {probabilities, state.size()});
    return;
  }
  if (block_bits == 0) {  // small states, called thousands of times a step: no planning
    for (std::size_t i = 0; i + 1 < gates.size(); ++i) apply(gates[i], state);
    apply(gates.back(), state, probabilities);
    return;
  }
  for (const CacheBlockRun& run : plan_cache_blocks(gates, state.num_qubits(), block_bits))
    apply_cache_block_run(run, gates, state, run.end == gates.size() ? probabilities : nullptr);
}

Simulator::Simulator(const Circuit& circuit, FusionLevel level)
    : circuit_(circuit), plan_(plan_fusion(circuit, level)) {}

StateVector Simulator::state(std::span<const double> parameters) const {
  StateVector psi(circuit_.num_qubits());
  run(parameters, psi);
  return psi;
}

void Simulator::run(std::span<const double> parameters, StateVector& state,
                    double* probabilities) const {
  if (state.num_qubits() != circuit_.num_qubits())
    throw std::invalid_argument("simulator: a " + std::to_string(circuit_.num_qubits()) +
                                "-qubit circuit run on a " + std::to_string(state.num_qubits()) +
                                "-qubit state");
  const std::vector<BoundGate> gates = bind_gates(plan_, circuit_, parameters);
  apply_range(gates, state, probabilities);
}

std::vector<double> Simulator::probabilities(std::span<const double> parameters) const {
  StateVector psi(circuit_.num_qubits());
  std::vector<double> p(psi.size());
  run(parameters, psi, p.data());
  return p;
}

}  // namespace qgen::sim
