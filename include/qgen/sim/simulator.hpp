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

/// Whether every target of `gate` lies below bit `block_bits` of `state`'s indices.
bool within_block(const BoundGate& gate, const StateVector& state, int block_bits);

/// Cache blocking: the block size, in bits, that apply_range uses for a state of `num_qubits`
/// qubits. 0 (no blocking) while the state fits in a core's share of the last-level cache
/// (Q < 19: 4 MiB); beyond, blocks of 2^15 amplitudes (512 KiB, half of a typical L2), measured
/// against other sizes by qgen-bench-simulator.
int cache_block_bits(int num_qubits);

/// Applies a sequence of bound gates; the last one also writes `probabilities` when given (for
/// an empty sequence they are computed in a separate pass). Runs of two or more consecutive
/// gates within the low `block_bits` bits (within_block) are applied block by block, each
/// 2^block_bits-amplitude block through the whole run while it stays in cache: one pass over
/// memory per run instead of one per gate. The order of the gates on each amplitude and their
/// arithmetic are unchanged, so the result is the same bit for bit with any block size
/// (0: none; by default cache_block_bits).
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
