#include "qgen/qinn/dilepton.hpp"

#include <algorithm>
#include <cmath>

#include "qgen/data/observables.hpp"

namespace qgen::qinn {

double dilepton_mass_gradient(std::span<const double> x, std::span<double> g) {
  const double pt1 = x[0], pt2 = x[1], dphi = x[2], deta = x[3] - x[4];
  const double m = data::dilepton_mass(pt1, pt2, dphi, x[3], x[4]);
  std::fill(g.begin(), g.begin() + 5, 0.0);
  if (!(m > 0)) return 0.0;
  // M^2 = 2 pT1 pT2 (cosh(deta) - cos(dphi)); dM = d(M^2) / (2M).
  const double shape = std::cosh(deta) - std::cos(dphi);
  g[0] = pt2 * shape / m;
  g[1] = pt1 * shape / m;
  g[2] = pt1 * pt2 * std::sin(dphi) / m;
  g[3] = pt1 * pt2 * std::sinh(deta) / m;
  g[4] = -g[3];
  return m;
}

}  // namespace qgen::qinn
