// The dilepton mass of a generated event and its gradient, for the M_Z term of the loss (paper
// 004, section 4): massless leptons, M_ll^2 = 2 pT+ pT- (cosh(eta+ - eta-) - cos delta_phi)
// (data::dilepton_mass), from the five zll features in their order.
#pragma once

#include <array>
#include <span>
#include <string>
#include <vector>

namespace qgen::qinn {

/// The QINN's features, in the order of the zll observables (data/observables.hpp).
inline const std::vector<std::string>& zll_features() {
  static const std::vector<std::string> names{"pT_plus", "pT_minus", "delta_phi", "eta_plus", "eta_minus"};
  return names;
}

/// M_ll [GeV] of x = (pT+, pT-, delta_phi, eta+, eta-), and dM/dx into `gradient` (5 values;
/// zero where M_ll^2 <= 0, e.g. a generated pT below zero, where M_ll is set to 0).
double dilepton_mass_gradient(std::span<const double> x, std::span<double> gradient);

}  // namespace qgen::qinn
