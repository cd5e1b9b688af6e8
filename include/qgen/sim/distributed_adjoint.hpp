// The adjoint gradient (sim/adjoint.hpp) on a distributed state: the ranks of one group
// compute one gradient together, each on its 2^L amplitudes.
//
// Forward: the circuit runs as in DistributedSimulator (the same plan of exchanges). Backward:
// lambda = W psi and phi = psi walk the plan in reverse. A gate step is the single-rank
// backward step on the local amplitudes (AdjointGates::step_back: the reduced overlap R or the
// factored form's Pauli overlaps, lambda and phi moved back through the gate, in one pass); an
// exchange or a local swap is done on both states (each is its own inverse). Runs of gate
// steps on the local block qubits go back block by block in cache, as in the single-rank
// sweep. R over the group is the sum of the ranks' local R's (so are the Pauli overlaps), and
// the derivatives are linear in them, so each rank adds its own share of every derivative and
// one MPI_Allreduce of the gradient ends the sweep: no communication per gate.
//
// No states are kept from the forward sweep (the single-rank version keeps them only while
// they fit in half of an L2 cache, which a distributed state never does): phi is recovered by
// U^+ in the same pass, in psi's own storage. Memory: two states per rank (psi, which becomes
// phi, and lambda) plus the probabilities, checked before allocating.
#pragma once

#include <span>
#include <vector>

#include "qgen/core/parallel.hpp"
#include "qgen/sim/adjoint_gates.hpp"
#include "qgen/sim/distributed_state.hpp"
#include "qgen/sim/distribution_plan.hpp"

namespace qgen::sim {

class DistributedAdjoint {
public:
  /// Collective over `group`; core::InputError (every rank, one message) when the group cannot
  /// hold the states (check_distributed_fit).
  DistributedAdjoint(const core::Ranks& group, const Circuit& circuit,
                     FusionLevel level = FusionLevel::two_qubit);

  const Circuit& circuit() const { return gates_.circuit(); }
  const std::vector<AngleSite>& sites() const { return gates_.sites(); }
  const DistributionPlan& distribution() const { return distribution_; }
  std::size_t local_size() const { return final_.local().size(); }
  /// Exchanges so far (forward and backward sweeps, both states) and bytes this rank sent.
  ExchangeTraffic traffic() const;

  /// Runs the circuit; writes this rank's slice of the probabilities (2^L). Collective.
  void forward(std::span<const double> parameters, std::span<double> probabilities);

  /// d/dtheta of sum_x w_x p_x for every parameter slot at the last forward()'s parameters,
  /// from this rank's slice of the weights (2^L); `gradient` (num_parameters entries) is the
  /// whole gradient on every rank of the group. Once per forward(). Collective.
  void backward(std::span<const double> weights, std::span<double> gradient);

  /// The factored form of the backward steps (AdjointGates::set_factored_steps; on by default).
  void set_factored_steps(bool on) { gates_.set_factored_steps(on); }
  /// The blocked backward sweep on the local amplitudes (block_bits_for: kAutomaticBlocks,
  /// the default, 0 for none, or 2^bits amplitudes).
  void set_block_bits(int bits);

private:
  core::Ranks group_;
  AdjointGates gates_;
  DistributionPlan distribution_;
  bool backward_ready_ = false;
  DistributedStateVector final_, lambda_;
  int block_bits_ = kAutomaticBlocks;  // as requested
  AdjointGates::BlockScratch block_;
  std::vector<int> run_gates_;
  std::vector<BoundGate> run_undo_;
};

}  // namespace qgen::sim
