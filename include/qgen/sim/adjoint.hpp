// Adjoint differentiation (Jones and Gacon, arXiv:2009.02823; PennyLane Lightning's method):
// the gradient of sum_x w_x p_x(theta) -- with w = dL/dp, the gradient of any loss of the
// Born probabilities -- from one forward and one backward sweep, whatever the number of
// parameters. Exact probabilities only (shots need the parameter-shift circuits).
//
// With phi_g the state before fused gate g and lambda_g = U_{g+1}^+ ... U_G^+ W psi (W = diag w),
// an angle a of gate g contributes
//     dL/da = 2 Re <W psi| dpsi/da> = Im <lambda_g| G_P |phi_g>,
// G_P the gate with the angle's generator inserted (AngleEdit::generator, = 2i dU/da). Each
// fused gate costs one pass for R = the reduced overlap of lambda and phi on its qubits and one
// pass to move lambda back through it. The angles then cost no passes: with G_P = A g B (A, B
// the gate's operations after and before the one holding the angle, g that operation with
// the generator inserted), <lambda|G_P|phi> = sum_ab (G_P)_ab R_ab = tr(g B R^T A), so each
// operation needs two 2x2 or 4x4 products and each angle a 16-term trace. The states phi_g are
// kept from the forward sweep (gates run out of place, so keeping them costs no copies) while
// they fit in `memory_budget_bytes`; beyond, they are recovered by applying U_g^+ (one more
// pass per gate).
#pragma once

#include <array>
#include <cstddef>
#include <span>
#include <vector>

#include "qgen/sim/angle_sites.hpp"
#include "qgen/sim/circuit.hpp"
#include "qgen/sim/fusion.hpp"
#include "qgen/sim/state_vector.hpp"

namespace qgen::sim {

class AdjointDifferentiator {
public:
  /// The default budget keeps the states only while they fit in a core's L2 cache: measured on
  /// this project's machine, states kept further out (L3, memory) cost more to write and read
  /// back than recomputing them with U^+.
  AdjointDifferentiator(const Circuit& circuit, FusionLevel level = FusionLevel::two_qubit,
                        std::size_t memory_budget_bytes = std::size_t{1} << 20);

  const Circuit& circuit() const { return circuit_; }
  const std::vector<AngleSite>& sites() const { return sites_; }
  /// Whether the forward sweep keeps every intermediate state (within the memory budget).
  bool keeps_states() const { return keep_states_; }

  /// Runs the circuit; writes the probabilities (2^Q) and keeps what backward() needs.
  void forward(std::span<const double> parameters, std::span<double> probabilities);

  /// d/dtheta of sum_x w_x p_x for every parameter slot, at the parameters of the last
  /// forward(); `gradient` has num_parameters() entries and is overwritten.
  void backward(std::span<const double> weights, std::span<double> gradient);

  /// A gate's matrices in its own 2x2 or 4x4 basis (row-major).
  struct Small {
    int dim = 2;
    std::array<Complex, 16> m{};
  };

private:
  // What the derivative algebra of one fused gate needs, computed in forward().
  struct GateCalculus {
    std::vector<int> operations;    // the gate's operations that hold angles
    std::vector<Small> before;      // per such operation: B, the product of the ones before
    std::vector<Small> after;       // ... and A, the product of the ones after
    std::vector<int> operation_of;  // per site of the gate: index into `operations`
    std::vector<Small> generator;   // per site: g, its operation with the generator inserted
  };
  void prepare_calculus(int g);

  Circuit circuit_;
  FusionPlan plan_;
  std::vector<AngleSite> sites_;
  std::vector<std::vector<int>> sites_of_group_;
  std::vector<GateCalculus> calculus_;
  bool keep_states_;
  std::vector<double> parameters_;
  std::vector<BoundGate> gates_;
  std::vector<StateVector> before_;  // phi_g for every g when kept, else empty
  StateVector final_, phi_, lambda_;
};

/// The adjoint (conjugate transpose) of a bound gate.
BoundGate adjoint(const BoundGate& gate);

}  // namespace qgen::sim
