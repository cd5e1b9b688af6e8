#include "qgen/circuits/qinn_ansatz.hpp"

namespace qgen::circuits {
namespace {

using sim::Angle;

// The ring's CNOTs in layer order: (0,1), (1,2), ..., (n-2, n-1), then (n-1, 0).
void add_ring(sim::Circuit& c, int n, bool reversed) {
  if (n < 2) return;
  const int count = n;  // n-1 neighbours and the closing one
  for (int k = 0; k < count; ++k) {
    const int i = reversed ? count - 1 - k : k;
    if (i < n - 1) c.cnot(i, i + 1);
    else c.cnot(n - 1, 0);
  }
}

}  // namespace

void add_qinn_layers(sim::Circuit& c, int n, int layers, int first) {
  for (int l = 0; l < layers; ++l) {
    for (int q = 0; q < n; ++q) {
      const int s = first + 3 * (l * n + q);
      c.rot(q, Angle::of(s), Angle::of(s + 1), Angle::of(s + 2));
    }
    add_ring(c, n, false);
  }
}

void add_qinn_layers_adjoint(sim::Circuit& c, int n, int layers, int first) {
  for (int l = layers - 1; l >= 0; --l) {
    add_ring(c, n, true);
    for (int q = 0; q < n; ++q) {
      const int s = first + 3 * (l * n + q);
      // Rot(phi, theta, omega)^+ = Rot(-omega, -theta, -phi)
      c.rot(q, Angle::of(s + 2, -1.0), Angle::of(s + 1, -1.0), Angle::of(s, -1.0));
    }
  }
}

}  // namespace qgen::circuits
