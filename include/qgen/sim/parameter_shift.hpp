// The circuits of the parameter-shift rule, evaluated with shared prefixes.
//
// Every parameterized angle of a circuit is a "shift site". For an angle a = s*theta_j + c of
// a gate exp(-i a P/2) (P a Pauli operator; RX, RY, RZ and each of Rot's three angles), the
// two-term rule gives exactly
//     d p(x) / d a = [ p(x; a + pi/2) - p(x; a - pi/2) ] / 2,
// and d p / d theta_j sums s * (that) over the sites of parameter j.
//
// Both shifted circuits of a site, and the sites of every other angle in the same fused gate,
// share the whole circuit before that fused gate. The runner therefore walks the fused gates
// once, keeps the state before the current one, and per site re-binds only the fused gate that
// holds it and runs the rest: the prefix is simulated once per pass, not once per circuit.
//
// Two evaluations, equal to rounding (tested):
//   direct  runs both shifted circuits: 2 suffix simulations per site.
//   paired  uses exp(-i(a +- pi/2)P/2) = exp(-i a P/2)(I -+ iP)/sqrt 2: the shifted final
//           states are (phi -+ i chi)/sqrt 2, with phi the unshifted final state (one forward
//           run per call) and chi the final state of the circuit with P inserted at the angle
//           (AngleEdit::generator), so
//               p+-(x) = (|phi(x)|^2 + |chi(x)|^2)/2 +- Im(conj(phi(x)) chi(x)),
//           exactly, from one suffix simulation per site: half the work of `direct`
//           (clamped at zero against rounding, so an impossible outcome stays impossible).
// Either way the consumer receives the exact probability vector of each shifted circuit, the
// same input a shot sampler or a loss would get from running the circuit itself.
#pragma once

#include <functional>
#include <span>
#include <string>
#include <vector>

#include "qgen/core/enum_names.hpp"
#include "qgen/sim/angle_sites.hpp"
#include "qgen/sim/circuit.hpp"
#include "qgen/sim/fusion.hpp"

namespace qgen::sim {

enum class ShiftEvaluation { paired, direct };

constexpr auto enum_names(ShiftEvaluation) {
  using enum ShiftEvaluation;
  return std::array{core::EnumName{paired, "paired"}, core::EnumName{direct, "direct"}};
}

class ParameterShift {
public:
  static constexpr double kShift = 1.5707963267948966;  // pi/2

  ParameterShift(const Circuit& circuit, FusionLevel level = FusionLevel::two_qubit,
                 ShiftEvaluation evaluation = ShiftEvaluation::paired);

  const Circuit& circuit() const { return circuit_; }
  const FusionPlan& plan() const { return plan_; }
  ShiftEvaluation evaluation() const { return evaluation_; }
  /// All parameterized angles, ordered by fused gate (so by position in the simulation).
  const std::vector<AngleSite>& sites() const { return sites_; }

  /// Relative cost of evaluating each site, in amplitude-passes (a fused 4x4 gate counts 2, a
  /// 2x2 gate 1, a diagonal or a CNOT 1/2): what the rest of the circuit costs.
  std::vector<double> site_costs() const;

  /// Called with (site index, +1 or -1, probabilities of that shifted circuit).
  using Consumer = std::function<void(int, int, std::span<const double>)>;

  /// Evaluates both shifted circuits of each site in `site_indices` (ascending) and passes their
  /// probability vectors to `consume`, in ascending order, the + shift first.
  void evaluate(std::span<const double> parameters, std::span<const int> site_indices,
                const Consumer& consume) const;

private:
  Circuit circuit_;
  FusionPlan plan_;
  ShiftEvaluation evaluation_;
  std::vector<AngleSite> sites_;
};

/// Relative cost of applying one fused gate of this kind (see site_costs).
double pass_cost(FusedKind kind);

class StateVector;
/// The paired evaluation's p+- from the unshifted final state phi and the generator-inserted
/// one chi (both of the same size, any layout the two share), clamped at zero: what evaluate()
/// passes on, in one pass. Also used on the local slices of distributed states
/// (sim/distributed_parameter_shift.hpp), so both give the same values bit for bit.
void paired_probabilities(const StateVector& phi, const StateVector& chi, double* plus,
                          double* minus);

}  // namespace qgen::sim
