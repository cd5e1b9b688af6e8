#include "qgen/sim/noisy_circuit.hpp"

#include <string>

#include "qgen/core/errors.hpp"
#include "qgen/core/text.hpp"

namespace qgen::sim {
namespace {

template <typename T>
int three_way(const T& a, const T& b) {
  return a < b ? -1 : (b < a ? 1 : 0);
}

template <std::size_t N>
int compare_entries(const std::array<Complex, N>& a, const std::array<Complex, N>& b) {
  for (std::size_t k = 0; k < N; ++k) {
    if (int c = three_way(a[k].real(), b[k].real())) return c;
    if (int c = three_way(a[k].imag(), b[k].imag())) return c;
  }
  return 0;
}

int compare_channels(const KrausChannel& a, const KrausChannel& b) {
  if (&a == &b) return 0;
  if (int c = three_way(a.operators().size(), b.operators().size())) return c;
  for (std::size_t k = 0; k < a.operators().size(); ++k)
    if (int c = compare_entries(a.operators()[k].m, b.operators()[k].m)) return c;
  return 0;
}

}  // namespace

NoisyCircuit::NoisyCircuit(int num_qubits) : num_qubits_(num_qubits) {
  if (num_qubits < 1) throw core::InputError("noisy circuit: needs at least one qubit");
}

void NoisyCircuit::check_qubit(int qubit) const {
  if (qubit < 0 || qubit >= num_qubits_)
    throw std::out_of_range("noisy circuit: qubit " + std::to_string(qubit) + " of a " +
                            std::to_string(num_qubits_) + "-qubit circuit");
}

void NoisyCircuit::unitary(int qubit, const Matrix2& u) {
  check_qubit(qubit);
  operations_.push_back({NoisyOpKind::unitary1, {qubit, -1}, static_cast<int>(matrices1_.size())});
  matrices1_.push_back(u);
}

void NoisyCircuit::unitary(int a, int b, const Matrix4& u) {
  check_qubit(a);
  check_qubit(b);
  if (a == b) throw std::invalid_argument("noisy circuit: two-qubit gate on qubit " + std::to_string(a) + " twice");
  operations_.push_back({NoisyOpKind::unitary2, {a, b}, static_cast<int>(matrices2_.size())});
  matrices2_.push_back(u);
}

void NoisyCircuit::cnot(int control, int target) {
  check_qubit(control);
  check_qubit(target);
  if (control == target) throw std::invalid_argument("noisy circuit: cnot on qubit " + std::to_string(control) + " twice");
  operations_.push_back({NoisyOpKind::cnot, {control, target}});
}

void NoisyCircuit::channel(int qubit, std::shared_ptr<const KrausChannel> channel) {
  check_qubit(qubit);
  if (!channel) throw std::invalid_argument("noisy circuit: no channel");
  operations_.push_back({NoisyOpKind::channel1, {qubit, -1}, static_cast<int>(channels_.size())});
  channels_.push_back(std::move(channel));
  ++num_noise_sites_;
}

void NoisyCircuit::depolarize(int a, int b, double p) {
  check_qubit(a);
  check_qubit(b);
  if (a == b) throw std::invalid_argument("noisy circuit: depolarising on qubit " + std::to_string(a) + " twice");
  if (!(p >= 0.0 && p <= 16.0 / 15.0))
    throw core::InputError("two-qubit depolarising parameter " + core::number_text(p) +
                           " is outside [0, 16/15]");
  operations_.push_back({NoisyOpKind::depolarizing2, {a, b}, static_cast<int>(depolarizing_.size())});
  depolarizing_.push_back(p);
  ++num_noise_sites_;
}

int NoisyCircuit::compare(std::size_t i, const NoisyCircuit& other, std::size_t j) const {
  const NoisyOp& a = operations_[i];
  const NoisyOp& b = other.operations_[j];
  if (int c = three_way(a.kind, b.kind)) return c;
  if (int c = three_way(a.qubits, b.qubits)) return c;
  switch (a.kind) {
    case NoisyOpKind::unitary1: return compare_entries(matrix1(a).m, other.matrix1(b).m);
    case NoisyOpKind::unitary2: return compare_entries(matrix2(a).m, other.matrix2(b).m);
    case NoisyOpKind::cnot: return 0;
    case NoisyOpKind::channel1: return compare_channels(channel(a), other.channel(b));
    case NoisyOpKind::depolarizing2: return three_way(depolarizing(a), other.depolarizing(b));
  }
  return 0;
}

NoisyCircuit NoisyCircuit::restricted_to(std::span<const int> qubits) const {
  std::vector<int> renumber(num_qubits_, -1);
  for (std::size_t k = 0; k < qubits.size(); ++k) renumber.at(qubits[k]) = static_cast<int>(k);
  NoisyCircuit out(static_cast<int>(qubits.size()));
  for (const NoisyOp& op : operations_) {
    const int a = renumber[op.qubits[0]], b = op.qubits[1] >= 0 ? renumber[op.qubits[1]] : -1;
    const bool two = op.qubits[1] >= 0;
    if (a < 0 && (!two || b < 0)) continue;
    if (a < 0 || (two && b < 0))
      throw std::invalid_argument("noisy circuit: an operation joins qubits " +
                                  std::to_string(op.qubits[0]) + " and " +
                                  std::to_string(op.qubits[1]) + " across a split of the register");
    switch (op.kind) {
      case NoisyOpKind::unitary1: out.unitary(a, matrix1(op)); break;
      case NoisyOpKind::unitary2: out.unitary(a, b, matrix2(op)); break;
      case NoisyOpKind::cnot: out.cnot(a, b); break;
      case NoisyOpKind::channel1: out.channel(a, channels_[op.index]); break;
      case NoisyOpKind::depolarizing2: out.depolarize(a, b, depolarizing(op)); break;
    }
  }
  return out;
}

NoisyCircuit bind_noiseless(const Circuit& circuit, std::span<const double> parameters) {
  check_parameter_count(circuit, parameters, "bind_noiseless");
  NoisyCircuit noisy(circuit.num_qubits());
  for (const Operation& op : circuit.operations()) {
    if (op.kind == GateKind::CNOT) noisy.cnot(op.qubits[0], op.qubits[1]);
    else if (op.num_qubits() == 2) noisy.unitary(op.qubits[0], op.qubits[1], matrix2(op.kind));
    else noisy.unitary(op.qubits[0], matrix1(op.kind, angle_values(op, parameters)));
  }
  return noisy;
}

}  // namespace qgen::sim
