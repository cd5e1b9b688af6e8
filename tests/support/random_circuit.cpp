#include "random_circuit.hpp"

#include <memory>
#include <random>

#include "dense_reference.hpp"

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

namespace {

sim::Matrix2 matrix2_of(const Dense& d) {
  sim::Matrix2 m;
  std::copy(d.a.begin(), d.a.end(), m.m.begin());
  return m;
}

sim::Matrix4 matrix4_of(const Dense& d) {
  sim::Matrix4 m;
  std::copy(d.a.begin(), d.a.end(), m.m.begin());
  return m;
}

}  // namespace

sim::KrausChannel random_channel(std::uint64_t seed) {
  const Dense v = random_unitary(4, seed);
  std::vector<sim::Matrix2> kraus(2);
  for (int k = 0; k < 2; ++k)
    for (int out = 0; out < 2; ++out)
      for (int in = 0; in < 2; ++in) kraus[k](out, in) = v(2 * out + k, 2 * in);
  return sim::KrausChannel(kraus);
}

sim::NoisyCircuit random_noisy_circuit(int num_qubits, int num_operations, double strength,
                                       std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<int> kind(0, 7);
  std::uniform_int_distribution<int> qubit(0, num_qubits - 1);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  sim::NoisyCircuit c(num_qubits);
  while (static_cast<int>(c.size()) < num_operations) {
    const int k = kind(rng);
    const int a = qubit(rng);
    int b = a;
    if (num_qubits > 1)
      while (b == a) b = qubit(rng);
    const bool two = k == 1 || k == 2 || k == 7;
    if (two && num_qubits < 2) continue;
    auto shared = [](sim::KrausChannel channel) {
      return std::make_shared<const sim::KrausChannel>(std::move(channel));
    };
    switch (k) {
      case 0:
      case 6: c.unitary(a, matrix2_of(random_unitary(2, rng()))); break;
      case 1: c.unitary(a, b, matrix4_of(random_unitary(4, rng()))); break;
      case 2: c.cnot(a, b); break;
      case 3: c.channel(a, shared(sim::depolarizing_channel(strength * 0.3 * unit(rng)))); break;
      case 4: {
        const double t1 = 1.0, t2 = 2.0 * unit(rng) + 1e-3;
        c.channel(a, shared(sim::thermal_relaxation_channel(t1, t2, strength * unit(rng))));
        break;
      }
      case 5:
        c.channel(a, shared(strength > 0 ? random_channel(rng()) : sim::depolarizing_channel(0)));
        break;
      case 7: c.depolarize(a, b, strength * 0.3 * unit(rng)); break;
    }
  }
  return c;
}

}  // namespace qgen::testing
