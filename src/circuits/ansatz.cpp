#include "qgen/circuits/ansatz.hpp"

#include <string>

#include "qgen/core/errors.hpp"

namespace qgen::circuits {
namespace {

using sim::Angle;

class RotLayerBuilder {
public:
  explicit RotLayerBuilder(sim::Circuit& circuit) : circuit_(circuit) {}
  void rot(int q) {
    circuit_.rot(q, Angle::of(next_), Angle::of(next_ + 1), Angle::of(next_ + 2));
    next_ += 3;
  }
  void rot_range(int first, int last) {
    for (int q = first; q < last; ++q) rot(q);
  }

private:
  sim::Circuit& circuit_;
  int next_ = 0;
};

int block_size_of(const AnsatzSpec& spec) {
  return spec.block_size > 0 ? spec.block_size : spec.num_qubits;
}

}  // namespace

void check_ansatz(const AnsatzSpec& spec) {
  if (spec.ansatz != 1 && spec.ansatz != 2)
    throw core::InputError("ansatz must be 1 (brick layer) or 2 (disconnected tree), got " +
                                std::to_string(spec.ansatz));
  if (spec.num_qubits < 2 || spec.num_qubits > 40)
    throw core::InputError("number of qubits must be in [2, 40], got " +
                                std::to_string(spec.num_qubits));
  if (spec.depth < 0 || spec.depth > 100000)
    throw core::InputError("depth must be in [0, 100000], got " + std::to_string(spec.depth));
  if (spec.block_size < 0)
    throw core::InputError("ansatz block size must be >= 0 (0: one block), got " +
                                std::to_string(spec.block_size));
  if (spec.ansatz == 2) {
    const int q = block_size_of(spec);
    if (q < 1 || spec.num_qubits % q != 0)
      throw core::InputError("ansatz 2 block size " + std::to_string(q) +
                                  " does not divide the " + std::to_string(spec.num_qubits) +
                                  " qubits");
  }
  check_initial_state(spec.initial_state, spec.num_qubits);
}

int parameter_count(const AnsatzSpec& spec) {
  check_ansatz(spec);
  const int Q = spec.num_qubits, d = spec.depth;
  if (spec.ansatz == 2) return 3 * (d + 1) * Q;
  const int rots_per_layer = Q % 2 == 0 ? 2 * Q - 2 : 2 * Q - 1;
  return 3 * d * rots_per_layer + 3 * Q;
}

sim::Circuit build_qcbm_circuit(const AnsatzSpec& spec) {
  check_ansatz(spec);
  const int Q = spec.num_qubits;
  sim::Circuit circuit(Q);
  prepare_initial_state(circuit, spec.initial_state);
  RotLayerBuilder layer(circuit);

  for (int l = 0; l < spec.depth; ++l) {
    layer.rot_range(0, Q);
    if (spec.ansatz == 1) {
      for (int q = 0; q + 1 < Q; q += 2) circuit.cnot(q, q + 1);
      layer.rot_range(1, Q % 2 == 0 ? Q - 1 : Q);
      for (int q = 1; q + 1 < Q; q += 2) circuit.cnot(q, q + 1);
    } else {
      const int q = block_size_of(spec);
      for (int b0 = 0; b0 < Q; b0 += q)
        for (int k = 1; k < q; ++k) circuit.cnot(b0, b0 + k);
    }
  }
  layer.rot_range(0, Q);

  if (circuit.num_parameters() != parameter_count(spec))
    throw std::logic_error("ansatz: built " + std::to_string(circuit.num_parameters()) +
                           " parameters, expected " + std::to_string(parameter_count(spec)));
  return circuit;
}

}  // namespace qgen::circuits
