#include "random_circuit.hpp"

#include <random>

namespace qgen::testing {

sim::Circuit random_circuit(int num_qubits, int num_gates, int num_parameters, std::uint64_t seed) {
  using sim::GateKind;
  static constexpr GateKind kinds[] = {GateKind::H,  GateKind::X,   GateKind::Y,    GateKind::Z,
                                       GateKind::RX, GateKind::RY,  GateKind::RZ,   GateKind::Rot,
                                       GateKind::CNOT, GateKind::CZ, GateKind::SWAP};
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<int> kind(0, std::size(kinds) - 1);
  std::uniform_int_distribution<int> qubit(0, num_qubits - 1);
  std::uniform_int_distribution<int> slot(-1, num_parameters - 1);
  std::uniform_real_distribution<double> real(-2.0, 2.0);

  sim::Circuit circuit(num_qubits);
  while (static_cast<int>(circuit.size()) < num_gates) {
    sim::Operation op{kinds[kind(rng)]};
    if (op.num_qubits() == 2 && num_qubits < 2) continue;
    op.qubits[0] = qubit(rng);
    if (op.num_qubits() == 2)
      do op.qubits[1] = qubit(rng);
      while (op.qubits[1] == op.qubits[0]);
    for (int a = 0; a < op.num_angles(); ++a) {
      const int p = slot(rng);
      op.angles[a] = p < 0 ? sim::Angle::constant(real(rng))
                           : sim::Angle::of(p, real(rng), real(rng));
    }
    circuit.add(op);
  }
  return circuit;
}

}  // namespace qgen::testing
