// The parameterized angles of a fused circuit, in the order the fused gates run: what both
// gradient methods (parameter shift, adjoint) differentiate.
#pragma once

#include <vector>

#include "qgen/sim/circuit.hpp"
#include "qgen/sim/fusion.hpp"

namespace qgen::sim {

struct AngleSite {
  int operation;  // index into the circuit
  int angle;      // which angle of that operation
  int parameter;  // the parameter slot it depends on
  double scale;   // d angle / d theta[parameter]
  int group;      // the fused gate holding it
};

/// Every parameterized angle, ordered by fused gate, then operation, then angle.
std::vector<AngleSite> angle_sites(const Circuit& circuit, const FusionPlan& plan);

}  // namespace qgen::sim
