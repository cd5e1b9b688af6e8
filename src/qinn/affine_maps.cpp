#include "qgen/qinn/affine_maps.hpp"

#include <cmath>

namespace qgen::qinn {
namespace {

double sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }

}  // namespace

InputMap InputMap::of(double u, double v) {
  InputMap m;
  const double su = sigmoid(u), sv = sigmoid(v);
  m.a = su;
  m.b = (1.0 - su) * sv;
  m.da_du = su * (1.0 - su);
  m.db_du = -m.da_du * sv;
  m.db_dv = (1.0 - su) * sv * (1.0 - sv);
  return m;
}

void add_input_map_gradient(const InputMap& m, double g_a, double g_b, double& du, double& dv) {
  du += g_a * m.da_du + g_b * m.db_du;
  dv += g_b * m.db_dv;
}

}  // namespace qgen::qinn
