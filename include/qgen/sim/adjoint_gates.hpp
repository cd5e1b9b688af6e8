// The per-gate algebra of the adjoint method (sim/adjoint.hpp has the derivation), shared by
// the single-rank AdjointDifferentiator and the distributed one (sim/distributed_adjoint.hpp):
// the fused gates bound with every operation's matrix kept, and one step of the backward
// sweep through fused gate g -- the reduced overlap R of lambda and phi on its qubits, lambda
// (and phi, when it is being recovered) moved back through the gate, and the derivatives of
// the gate's angles from R.
//
// Where a two-qubit gate's angles all sit in one-qubit operations before its first two-qubit
// operation or after its last (ansatz 1's fused gates: a CNOT with rotations on either side),
// the step takes six Pauli overlaps at the gate's boundaries instead of R (the factored form,
// adjoint_step_paulis): an angle a of operation k on qubit q, with generator P (the
// generator-inserted matrix is P M_k, sim/circuit.hpp), contributes
//     Im <lambda| A P A^+ |phi>  after the gate, A the operations on q after k, or
//     Im <lambda| W^+ P W |phi>  before it, W = M_k and the operations on q before it,
// one-qubit Hermitian operators on q, so Im <lambda|X_q|phi>, Im <lambda|Y_q|phi> and
// Im <lambda|Z_q|phi> at that boundary give every such derivative (the generators are
// traceless: no Im <lambda|phi> term). Fewer multiply-adds than R and few enough accumulators
// for one pass when both qubits are high bits (sim/adjoint_step.hpp). Angles after the gate
// need phi after it, so kept states (phi before) take R where a gate has such angles.
//
// The derivatives are linear in R and in the Pauli overlaps. A distributed state's R is the
// sum of its ranks' local ones, so each rank adds its own R's derivatives and one sum over the
// group at the end gives the gradient; a blocked run (step_back_blocked) sums each gate's
// overlaps over the blocks the same way.
#pragma once

#include <array>
#include <memory>
#include <span>
#include <vector>

#include "qgen/sim/angle_sites.hpp"
#include "qgen/sim/circuit.hpp"
#include "qgen/sim/fusion.hpp"
#include "qgen/sim/state_vector.hpp"

namespace qgen::sim {

/// Two states of `num_qubits` qubits in one allocation, the second displaced from the first by
/// 5 cache lines: a backward step reads lambda's and phi's amplitudes with equal indices
/// together, and from states allocated apart those sit at equal addresses modulo 4 KiB, the
/// same L1 sets (with the members of a gate on high bits, 16 lines in one set); the
/// displacement took a step on qubits 0 and 1 of 16 from 3.3 to 2.7 forward passes here.
struct StatePair {
  explicit StatePair(int num_qubits);
  std::shared_ptr<double> storage;
  StateVector first, second;
};

class AdjointGates {
public:
  AdjointGates(const Circuit& circuit, FusionLevel level);

  const Circuit& circuit() const { return circuit_; }
  const FusionPlan& plan() const { return plan_; }
  const std::vector<AngleSite>& sites() const { return sites_; }

  /// Binds every fused gate for `parameters` (checked against the circuit), as bind_gates
  /// does, keeping each operation's matrix for the backward steps.
  void bind(std::span<const double> parameters);
  /// The gates of the last bind(), in plan order.
  const std::vector<BoundGate>& gates() const { return gates_; }

  /// The backward step through fused gate g on states whose qubits `undo` names (the gate's
  /// adjoint, with its qubits as they sit in these states, in the group's order): phi <- undo
  /// phi first if `recover_phi`, the derivatives of g's angles from R(lambda, phi) added to
  /// `gradient`, lambda <- undo lambda. One pass when the gate has angles (adjoint_step.hpp).
  void step_back(int g, const BoundGate& undo, StateVector& lambda, StateVector& phi,
                 bool recover_phi, std::span<double> gradient) const;

  /// What a backward step measures on the way: the reduced overlap R (2x2 in the first four
  /// entries for a one-qubit gate) or, in the factored form, the Pauli overlaps before and
  /// after the gate. Linear in the states, so the steps over the pieces of a state (or over
  /// the ranks of a group) add up to the step over the whole.
  struct GateOverlaps {
    bool factored = false;
    std::array<Complex, 16> r{};
    std::array<double, 6> before{}, after{};
  };
  /// step_back in two halves: the pass (its overlaps added to `overlaps`), then the
  /// derivatives from the overlaps summed over every piece the pass was made on.
  void step_back_overlaps(int g, const BoundGate& undo, StateVector& lambda, StateVector& phi,
                          bool recover_phi, GateOverlaps& overlaps) const;
  void add_derivatives(int g, const GateOverlaps& overlaps, std::span<double> gradient) const;

  /// Work space of step_back_blocked: one block of lambda and of phi, the run's overlaps.
  struct BlockScratch {
    StatePair states{1};  // lambda's and phi's blocks
    std::vector<BoundGate> undo;
    std::vector<GateOverlaps> overlaps;
  };
  /// The backward steps through the fused gates `gates` (in that order, phi recovered), with
  /// `undo` their adjoints on qubits of lambda and phi that are all block qubits (the last
  /// `block_bits` qubits: the low bits of an index), one block of 2^block_bits amplitudes at a
  /// time: each block of lambda and phi is copied into `scratch`, moved back through every
  /// gate of the run there (in cache), and copied back. The run costs one pass over the
  /// states in memory instead of one per gate; each gate's overlaps are summed over the
  /// blocks before its derivatives are taken. The same results as step_back gate by gate.
  void step_back_blocked(std::span<const int> gates, std::span<const BoundGate> undo,
                         int block_bits, StateVector& lambda, StateVector& phi,
                         BlockScratch& scratch, std::span<double> gradient) const;

  /// Whether steps may take the factored form (the default; off: R for every gate, kept for
  /// comparison in tests and benchmarks). The gradient is the same up to rounding.
  void set_factored_steps(bool on) { factored_steps_ = on; }
  bool factored_steps() const { return factored_steps_; }
  /// Whether fused gate g's angles allow the factored form.
  bool factored(int g) const { return form_[g].factored; }

private:
  // The derivatives of the angles of fused gate g from R, into `gradient`.
  void add_gate_derivatives(int g, std::span<const Complex> r, std::span<double> gradient) const;
  // The same from the Pauli overlaps before and after the gate (factored form).
  void add_factored_derivatives(int g, const std::array<double, 6>& before,
                                const std::array<double, 6>& after,
                                std::span<double> gradient) const;

  // Per group: whether its angles allow the factored form, which boundaries they need, and
  // the positions (in its operations) of its first and last two-qubit operations.
  struct StepForm {
    bool factored = false, before = false, after = false;
    int first_two = -1, last_two = -1;
  };

  Circuit circuit_;
  FusionPlan plan_;
  std::vector<AngleSite> sites_;
  std::vector<std::vector<int>> sites_of_group_;
  std::vector<int> last_operation_with_sites_;  // per group: index into its operations, or -1
  std::vector<StepForm> form_;
  bool factored_steps_ = true;
  std::vector<double> parameters_;
  std::vector<BoundGate> gates_;
  // Every operation's matrix at the last bind(), in slots group by group (first_slot_[g]): in
  // its group's basis, and as 2x2 for one-qubit operations.
  std::vector<int> first_slot_;
  std::vector<std::array<Complex, 16>> operation_matrix_;
  std::vector<Matrix2> one_qubit_matrix_;
};

/// The blocks of a blocked backward sweep (AdjointGates::step_back_blocked), as the
/// differentiators' set_block_bits takes them: 0 for none, 3 and up for blocks of 2^bits
/// amplitudes, or kAutomaticBlocks: 2^14 amplitudes (lambda's and phi's blocks take 512 KiB
/// together, half of a core's L2 here) where lambda and phi take 16 MiB or more together (half
/// of this machine's L3), none below -- measured here (docs/adjoint-performance.md): with
/// both states in L3 a block's copies cost as much as they save, beyond it the sweep is bound
/// by memory and a run of gates in cache costs one pass instead of one per gate.
inline constexpr int kAutomaticBlocks = -1;
/// The block bits a sweep over states of `num_qubits` uses for `requested` (0: none, also
/// where the states are no larger than a block). std::invalid_argument for 1, 2 or below -1.
int block_bits_for(int requested, int num_qubits);

/// state <- W state with W = diag(weights) (the backward sweep's start, lambda = W psi).
void multiply_by_weights(StateVector& state, std::span<const double> weights);
/// state <- W source (the same size), in one pass.
void multiply_by_weights(const StateVector& source, StateVector& state,
                         std::span<const double> weights);

/// The adjoint (conjugate transpose) of a bound gate.
BoundGate adjoint(const BoundGate& gate);

}  // namespace qgen::sim
