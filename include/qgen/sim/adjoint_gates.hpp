// The per-gate algebra of the adjoint method (sim/adjoint.hpp has the derivation), shared by
// the single-rank AdjointDifferentiator and the distributed one (sim/distributed_adjoint.hpp):
// the fused gates bound with every operation's matrix kept, and one step of the backward
// sweep through fused gate g -- the reduced overlap R of lambda and phi on its qubits, lambda
// (and phi, when it is being recovered) moved back through the gate, and the derivatives of
// the gate's angles from R.
//
// The derivatives are linear in R. A distributed state's R is the sum of its ranks' local
// ones, so each rank adds its own R's derivatives and one sum over the group at the end gives
// the gradient.
#pragma once

#include <array>
#include <span>
#include <vector>

#include "qgen/sim/angle_sites.hpp"
#include "qgen/sim/circuit.hpp"
#include "qgen/sim/fusion.hpp"
#include "qgen/sim/state_vector.hpp"

namespace qgen::sim {

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

private:
  // The derivatives of the angles of fused gate g from R, into `gradient`.
  void add_gate_derivatives(int g, std::span<const Complex> r, std::span<double> gradient) const;

  Circuit circuit_;
  FusionPlan plan_;
  std::vector<AngleSite> sites_;
  std::vector<std::vector<int>> sites_of_group_;
  std::vector<int> last_operation_with_sites_;  // per group: index into its operations, or -1
  std::vector<double> parameters_;
  std::vector<BoundGate> gates_;
  // Every operation's matrix at the last bind(), in slots group by group (first_slot_[g]): in
  // its group's basis, and as 2x2 for one-qubit operations.
  std::vector<int> first_slot_;
  std::vector<std::array<Complex, 16>> operation_matrix_;
  std::vector<Matrix2> one_qubit_matrix_;
};

/// state <- W state with W = diag(weights) (the backward sweep's start, lambda = W psi).
void multiply_by_weights(StateVector& state, std::span<const double> weights);

/// The adjoint (conjugate transpose) of a bound gate.
BoundGate adjoint(const BoundGate& gate);

}  // namespace qgen::sim
