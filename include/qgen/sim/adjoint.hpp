// Adjoint differentiation (Jones and Gacon, arXiv:2009.02823; PennyLane Lightning's method):
// the gradient of sum_x w_x p_x(theta) -- with w = dL/dp, the gradient of any loss of the
// Born probabilities -- from one forward and one backward sweep, whatever the number of
// parameters. Exact probabilities only (shots need the parameter-shift circuits).
//
// With phi_g the state before fused gate g and lambda_g = U_{g+1}^+ ... U_G^+ W psi (W = diag w),
// an angle a of gate g contributes
//     dL/da = 2 Re <W psi| dpsi/da> = Im <lambda_g| G_P |phi_g>,
// G_P the gate with the angle's generator inserted (AngleEdit::generator, = 2i dU/da). Each
// fused gate costs one pass (sim/adjoint_step.hpp; two when both its qubits are high bits and
// R is needed) that takes R = the reduced overlap of lambda and phi on its qubits and moves
// lambda back through it; a gate whose angles all sit in one-qubit factors at its boundaries
// takes six Pauli overlaps instead (the factored form, sim/adjoint_gates.hpp), in one pass. The angles then cost no passes: with the gate's
// operations U = M_n ... M_1 and g_k operation k with the generator inserted,
// <lambda|G_P|phi> = sum_ab (G_P)_ab R_ab = tr(g_k S_k), S_k = B_k R^T A_k (B_k the operations
// before k, A_k those after). S_1 = R^T U M_1^+ and S_{k+1} = M_k S_k M_{k+1}^+: two 2x2 or
// 4x4 products per operation and a trace per angle. The states phi_g before the last gates are
// kept from the forward sweep, as many as fit in `memory_budget_bytes` (those gates run out of
// place, so keeping them costs no copies); before them, phi is recovered by applying U_g^+,
// which the backward step does in the same pass (sim/adjoint_step.hpp). The per-gate algebra
// lives in sim/adjoint_gates.hpp, shared with the distributed version.
//
// Input states. The circuit may start from any state |psi_0> instead of |0...0> (it need not
// be normalised: everything is linear in it, so a batch of events can be simulated as one
// state whose low qubits index the events, each event's block prepared separately). After the
// backward sweep lambda has been moved back through every gate: lambda_0 = U^+ W U |psi_0>
// (initial_adjoint()). For an input state that depends on a real variable s,
//     d/ds sum_x w_x p_x = 2 Re <lambda_0 | d psi_0/ds>,
// which gives the derivatives with respect to whatever prepared the state (encoding angles).
#pragma once

#include <array>
#include <cstddef>
#include <span>
#include <vector>

#include "qgen/sim/adjoint_gates.hpp"
#include "qgen/sim/circuit.hpp"
#include "qgen/sim/fusion.hpp"
#include "qgen/sim/state_vector.hpp"

namespace qgen::sim {

class AdjointDifferentiator {
public:
  /// The default budget keeps states only in half of a core's L2 cache (1 MiB here), beside
  /// lambda and phi: measured on this project's machine, states kept further out (L3, memory)
  /// cost more to write and read back than recovering them with U^+ (at Q = 12 keeping 8, 16,
  /// 32 and 64 states: 4.0, 4.1, 4.3 and 4.6 forward simulations per gradient).
  AdjointDifferentiator(const Circuit& circuit, FusionLevel level = FusionLevel::two_qubit,
                        std::size_t memory_budget_bytes = std::size_t{1} << 19);

  const Circuit& circuit() const { return gates_.circuit(); }
  const std::vector<AngleSite>& sites() const { return gates_.sites(); }
  /// How many of the states before the last gates the forward sweep keeps (within the budget).
  int kept_states() const { return kept_; }

  /// Runs the circuit on |0...0>; writes the probabilities (2^Q) and keeps what backward() needs.
  void forward(std::span<const double> parameters, std::span<double> probabilities);
  /// The same from `initial` (the circuit's number of qubits; any norm): the probabilities
  /// are then |<x|U|initial>|^2.
  void forward(std::span<const double> parameters, std::span<double> probabilities,
               const StateVector& initial);

  /// d/dtheta of sum_x w_x p_x for every parameter slot, at the parameters of the last
  /// forward(); `gradient` has num_parameters() entries and is overwritten. Once per
  /// forward() (std::logic_error otherwise): the sweep uses up the kept states.
  void backward(std::span<const double> weights, std::span<double> gradient);

  /// The general form: the gradient 2 Re <lambda| d psi/d theta> of a real function L of the
  /// final state psi with dL/d psi^* = lambda (a loss of amplitudes, not only of probabilities:
  /// the overlap F = |<chi|psi>|^2 has lambda = <chi|psi> chi). backward(weights) is this with
  /// lambda = W psi. The same once-per-forward rule.
  void backward(const StateVector& lambda, std::span<double> gradient);

  /// The factored form of the backward steps (AdjointGates::set_factored_steps; on by default:
  /// off, every gate takes the full reduced overlap R, for comparison).
  void set_factored_steps(bool on) { gates_.set_factored_steps(on); }
  /// The blocked backward sweep's blocks (block_bits_for: kAutomaticBlocks, the default; 0
  /// for none; or 2^bits amplitudes, 3 and up).
  void set_block_bits(int bits);

  /// The final state U|psi_0> of the last forward() (until the next forward()).
  const StateVector& final_state() const { return final_; }
  /// After backward(): lambda_0 = U^+ lambda (U^+ W U |psi_0> for weights; see above). Valid
  /// until the next forward().
  const StateVector& initial_adjoint() const { return phi_lambda_.second; }

private:
  void run_forward(std::span<const double> parameters, std::span<double> probabilities,
                   const StateVector* initial);
  void start_backward(std::size_t lambda_size, std::span<double> gradient);
  // Moves lambda (phi_lambda_.second) back through every gate, adding each angle's derivative to `gradient`.
  void sweep(std::span<double> gradient);
  // Whether fused gate g acts on the low `block_bits` bits only.
  bool in_block(int g, int block_bits) const;
  // The backward steps through gates last, last - 1, ..., first (all in_block, phi recovered)
  // block by block.
  void sweep_blocked(int first, int last, int block_bits, std::span<double> gradient);

  AdjointGates gates_;
  int kept_ = 0;
  bool backward_ready_ = false;  // a complete forward() whose states backward() has not used
  std::vector<StateVector> before_;  // phi_g for the last kept_ gates
  StateVector final_;
  StatePair phi_lambda_;  // phi (when not kept) and lambda, displaced (StatePair)
  // Blocked backward sweep: runs of consecutive gates on the low block_bits_ bits step back
  // one block of 2^block_bits_ amplitudes of lambda and phi at a time, in cache
  // (AdjointGates::step_back_blocked), so that the run costs one pass over the states in
  // memory instead of one per gate. Used only where the state is larger than a block.
  int block_bits_ = kAutomaticBlocks;  // as requested
  AdjointGates::BlockScratch block_;
  std::vector<int> run_gates_;
  std::vector<BoundGate> run_undo_;
};

}  // namespace qgen::sim
