// Running circuits on a state vector: fused gates through the kernels.
#pragma once

#include <span>
#include <vector>

#include "qgen/sim/circuit.hpp"
#include "qgen/sim/fusion.hpp"
#include "qgen/sim/kernels.hpp"
#include "qgen/sim/state_vector.hpp"

namespace qgen::sim {

/// Applies one bound gate; with `probabilities`, also writes |amp|^2 of the result there (for
/// the amplitudes of `block` alone when one is given: sim/kernels.hpp).
void apply(const BoundGate& gate, StateVector& state, double* probabilities = nullptr,
           AmplitudeBlock block = {});
/// Out of place: `state` = gate applied to `source`.
void apply(const BoundGate& gate, const StateVector& source, StateVector& state,
           double* probabilities = nullptr, AmplitudeBlock block = {});

/// Applies a sequence of bound gates; the last one also writes `probabilities` when given (for
/// an empty sequence they are computed in a separate pass). Runs of consecutive gates on the
/// lowest `block_bits` index bits go through the state one block of 2^block_bits amplitudes at a
/// time (sim/cache_blocks.hpp; 0: none; by default cache_block_bits); the result is the same
/// bit for bit with any block size.
void apply_range(std::span<const BoundGate> gates, StateVector& state,
                 double* probabilities = nullptr);
void apply_range(std::span<const BoundGate> gates, StateVector& state, double* probabilities,
                 int block_bits);

/// A circuit fused once and then run for any number of parameter vectors.
class Simulator {
public:
  explicit Simulator(const Circuit& circuit, FusionLevel level = FusionLevel::two_qubit);

  const Circuit& circuit() const { return circuit_; }
  const FusionPlan& plan() const { return plan_; }

  /// The final state U(theta)|0...0>.
  StateVector state(std::span<const double> parameters) const;
  /// Runs the circuit on `state` (which must start as the intended input state and have the
  /// circuit's number of qubits).
  void run(std::span<const double> parameters, StateVector& state,
           double* probabilities = nullptr) const;
  /// The Born distribution |<x|U(theta)|0>|^2 over the 2^Q basis states.
  std::vector<double> probabilities(std::span<const double> parameters) const;

private:
  Circuit circuit_;
  FusionPlan plan_;
};

}  // namespace qgen::sim
