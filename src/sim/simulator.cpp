#include "qgen/sim/simulator.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

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

bool within_block(const BoundGate& gate, const StateVector& state, int block_bits) {
  for (int q : gate.qubits)
    if (q >= 0 && state.bit_of(q) >= block_bits) return false;
  return true;
}

int cache_block_bits(int num_qubits) { return num_qubits >= 19 ? 15 : 0; }

namespace {

// Gates [0, count) of a run within the block, block by block; the last one writes
// `probabilities` when given.
void apply_blocked(std::span<const BoundGate> run, StateVector& state, double* probabilities,
                   int block_bits) {
  const std::size_t block = std::size_t{1} << block_bits;
  for (std::size_t first = 0; first < state.size(); first += block)
    for (std::size_t k = 0; k < run.size(); ++k)
      apply(run[k], state, k + 1 == run.size() ? probabilities : nullptr, {first, block_bits});
}

}  // namespace

void apply_range(std::span<const BoundGate> gates, StateVector& state, double* probabilities) {
  apply_range(gates, state, probabilities, cache_block_bits(state.num_qubits()));
}

void apply_range(std::span<const BoundGate> gates, StateVector& state, double* probabilities,
                 int block_bits) {
  if (gates.empty()) {
    if (probabilities) compute_probabilities(state, {probabilities, state.size()});
    return;
  }
  const bool blocking = block_bits > 0 && block_bits < state.num_qubits();
  const std::size_t n = gates.size();
  for (std::size_t i = 0; i < n;) {
    std::size_t end = i + 1;
    if (blocking)
      while (end < n && within_block(gates[i], state, block_bits) &&
             within_block(gates[end], state, block_bits))
        ++end;
    double* out = end == n ? probabilities : nullptr;
    if (end - i >= 2) apply_blocked(gates.subspan(i, end - i), state, out, block_bits);
    else apply(gates[i], state, out);
    i = end;
  }
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
