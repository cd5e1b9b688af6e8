#include "qgen/sim/angle_sites.hpp"

namespace qgen::sim {

std::vector<AngleSite> angle_sites(const Circuit& circuit, const FusionPlan& plan) {
  std::vector<AngleSite> sites;
  for (int g = 0; g < static_cast<int>(plan.groups.size()); ++g)
    for (int op : plan.groups[g].operations)
      for (int a = 0; a < circuit[op].num_angles(); ++a) {
        const Angle& angle = circuit[op].angles[a];
        if (angle.is_parameterized()) sites.push_back({op, a, angle.parameter, angle.scale, g});
      }
  return sites;
}

}  // namespace qgen::sim
