#include "qgen/sim/parameter_shift.hpp"

#include <algorithm>
#include <stdexcept>

#include "qgen/sim/simulator.hpp"
#include "qgen/sim/state_vector.hpp"

namespace qgen::sim {

// p+-(x) = (|phi|^2 + |chi|^2)/2 +- Im(conj(phi) chi), in one pass. Both are >= 0 exactly; in
// floating point an outcome of probability zero can come out as -1e-17, which a sampler or a
// logarithm would reject, so the result is clamped at zero (a change below the rounding).
void paired_probabilities(const StateVector& phi, const StateVector& chi, double* plus,
                          double* minus) {
  const double* pr = phi.real();
  const double* pi = phi.imag();
  const double* cr = chi.real();
  const double* ci = chi.imag();
  for (std::size_t x = 0; x < phi.size(); ++x) {
    const double mean = 0.5 * (pr[x] * pr[x] + pi[x] * pi[x] + cr[x] * cr[x] + ci[x] * ci[x]);
    const double interference = pr[x] * ci[x] - pi[x] * cr[x];
    plus[x] = std::max(0.0, mean + interference);
    minus[x] = std::max(0.0, mean - interference);
  }
}

double pass_cost(FusedKind kind) {
  switch (kind) {
    case FusedKind::Matrix2: return 2.0;
    case FusedKind::Matrix1: return 1.0;
    default: return 0.5;
  }
}

ParameterShift::ParameterShift(const Circuit& circuit, FusionLevel level,
                               ShiftEvaluation evaluation)
    : circuit_(circuit), plan_(plan_fusion(circuit, level)), evaluation_(evaluation),
      sites_(angle_sites(circuit_, plan_)) {}

std::vector<double> ParameterShift::site_costs() const {
  // suffix[g] = cost of fused gates g, g+1, ...
  std::vector<double> suffix(plan_.groups.size() + 1, 0.0);
  for (int g = static_cast<int>(plan_.groups.size()) - 1; g >= 0; --g)
    suffix[g] = suffix[g + 1] + pass_cost(plan_.groups[g].kind);
  std::vector<double> costs;
  costs.reserve(sites_.size());
  // Plus one pass to copy the prefix state into the work state.
  for (const AngleSite& s : sites_) costs.push_back(suffix[s.group] + 1.0);
  return costs;
}

void ParameterShift::evaluate(std::span<const double> parameters,
                              std::span<const int> site_indices, const Consumer& consume) const {
  if (site_indices.empty()) return;
  if (!std::is_sorted(site_indices.begin(), site_indices.end()))
    throw std::invalid_argument("parameter shift: site indices must be ascending");
  const std::vector<BoundGate> gates = bind_gates(plan_, circuit_, parameters);
  const std::span<const BoundGate> all(gates);

  StateVector prefix(circuit_.num_qubits());  // state before fused gate `next`
  StateVector work(circuit_.num_qubits());
  std::vector<double> plus(prefix.size()), minus(prefix.size());
  StateVector final_state(evaluation_ == ShiftEvaluation::paired ? circuit_.num_qubits() : 1);
  if (evaluation_ == ShiftEvaluation::paired) apply_range(all, final_state);
  int next = 0;

  for (int index : site_indices) {
    const AngleSite& site = sites_.at(index);
    for (; next < site.group; ++next) apply(gates[next], prefix);
    const auto rest = all.subspan(site.group + 1);
    auto run_edited = [&](const AngleEdit& edit, double* probabilities) {
      work.copy_from(prefix);
      const BoundGate edited = bind_gate(plan_.groups[site.group], circuit_, parameters, edit);
      apply(edited, work, rest.empty() ? probabilities : nullptr);
      if (!rest.empty()) apply_range(rest, work, probabilities);
    };
    if (evaluation_ == ShiftEvaluation::direct) {
      run_edited({site.operation, site.angle, +kShift}, plus.data());
      consume(index, +1, plus);
      run_edited({site.operation, site.angle, -kShift}, minus.data());
      consume(index, -1, minus);
    } else {
      run_edited({site.operation, site.angle, 0.0, /*generator=*/true}, nullptr);
      paired_probabilities(final_state, work, plus.data(), minus.data());
      consume(index, +1, plus);
      consume(index, -1, minus);
    }
  }
}

}  // namespace qgen::sim
