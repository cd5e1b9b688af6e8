// A bound circuit with noise: gates (as matrices) and noise channels in the order they act,
// what both noisy methods run (density_matrix.hpp, trajectories.hpp).
//
// Noise sites. Each channel1 and depolarizing2 operation is a noise site, numbered in circuit
// order from 0. A trajectory draws exactly one random number per site, word `site` of its
// stream, so that two circuits with the same operations up to some point draw the same noise
// there: which is what lets a batch share prefixes (shared_prefixes.hpp) and still give every
// circuit exactly the result it gets alone.
//
// Qubit 0 is the most significant bit of a basis index (DESIGN.md).
#pragma once

#include <array>
#include <memory>
#include <span>
#include <vector>

#include "qgen/sim/circuit.hpp"
#include "qgen/sim/gate_matrix.hpp"
#include "qgen/sim/noise_channel.hpp"

namespace qgen::sim {

enum class NoisyOpKind { unitary1, unitary2, cnot, channel1, depolarizing2 };

struct NoisyOp {
  NoisyOpKind kind;
  std::array<int, 2> qubits{-1, -1};  // cnot: (control, target)
  int index = -1;  // into the circuit's table of its kind (not used by cnot)
};

class NoisyCircuit {
public:
  explicit NoisyCircuit(int num_qubits);

  int num_qubits() const { return num_qubits_; }
  const std::vector<NoisyOp>& operations() const { return operations_; }
  std::size_t size() const { return operations_.size(); }
  int num_noise_sites() const { return num_noise_sites_; }

  void unitary(int qubit, const Matrix2& u);
  /// A two-qubit gate on (a, b), a the more significant bit of the matrix index.
  void unitary(int a, int b, const Matrix4& u);
  void cnot(int control, int target);
  /// Channels are shared: a noise model builds each once and hands it to many circuits.
  void channel(int qubit, std::shared_ptr<const KrausChannel> channel);
  /// The two-qubit depolarising channel (1 - p) rho + p I/4 (x) tr_ab rho, 0 <= p <= 16/15.
  void depolarize(int a, int b, double p);

  const Matrix2& matrix1(const NoisyOp& op) const { return matrices1_[op.index]; }
  const Matrix4& matrix2(const NoisyOp& op) const { return matrices2_[op.index]; }
  const KrausChannel& channel(const NoisyOp& op) const { return *channels_[op.index]; }
  double depolarizing(const NoisyOp& op) const { return depolarizing_[op.index]; }

  /// Three-way comparison of operation i of this circuit with operation j of `other`: kind,
  /// qubits, then matrix entries, channel or parameter. 0 means the two act identically.
  int compare(std::size_t i, const NoisyCircuit& other, std::size_t j) const;

  /// The operations on `qubits` only (every operation must act on those qubits alone or on
  /// none of them), with qubit qubits[k] renumbered k.
  NoisyCircuit restricted_to(std::span<const int> qubits) const;

private:
  void check_qubit(int qubit) const;

  int num_qubits_;
  int num_noise_sites_ = 0;
  std::vector<NoisyOp> operations_;
  std::vector<Matrix2> matrices1_;
  std::vector<Matrix4> matrices2_;
  std::vector<std::shared_ptr<const KrausChannel>> channels_;
  std::vector<double> depolarizing_;
};

/// `circuit` bound to `parameters`, without noise: one operation per gate (CNOT as cnot).
NoisyCircuit bind_noiseless(const Circuit& circuit, std::span<const double> parameters);

}  // namespace qgen::sim
