// The exact noisy method: a density matrix over Q qubits, and noisy circuits run on it.
//
// Storage. rho is kept as the vector vec(rho) of 4^Q amplitudes in a StateVector of 2Q qubits,
// vec index (row << Q) | column, so qubit q's row bit is qubit q of that register and its column
// bit is qubit Q + q (both still "qubit 0 most significant"). Then
//     U rho U^+             = U on qubit q (rows) and conj(U) on qubit Q + q (columns),
//     sum_k K_k rho K_k^+   = sum_k K_k (x) conj(K_k) on the pair (q, Q + q),
// so the state vector's own kernels (kernels.hpp) apply gates and one-qubit channels: a channel
// costs one 4x4 pass, a gate two 2x2 passes. Memory 16 * 4^Q bytes: 268 MB at Q = 12, the
// practical limit (kMaxQubits = 14 is 4.3 GB).
//
// Running a NoisyCircuit fuses everything that acts on one qubit between two-qubit gates (its
// gates and channels) into one 4x4 superoperator, applied once: channels on one qubit compose
// exactly and commute with anything on other qubits.
#pragma once

#include <functional>
#include <span>
#include <vector>

#include "qgen/sim/gate_matrix.hpp"
#include "qgen/sim/noise_channel.hpp"
#include "qgen/sim/noisy_circuit.hpp"
#include "qgen/sim/state_vector.hpp"

namespace qgen::sim {

class DensityMatrix {
public:
  static constexpr int kMaxQubits = 14;

  /// |0...0><0...0| on `num_qubits` (1 .. kMaxQubits; core::InputError otherwise).
  explicit DensityMatrix(int num_qubits);
  /// |psi><psi|.
  explicit DensityMatrix(const StateVector& psi);

  int num_qubits() const { return num_qubits_; }
  std::size_t dimension() const { return std::size_t{1} << num_qubits_; }
  Complex element(std::size_t row, std::size_t column) const {
    return vec_.amplitude((row << num_qubits_) | column);
  }
  /// Sets one entry (callers keep rho Hermitian, positive and of unit trace).
  void set_element(std::size_t row, std::size_t column, Complex value) {
    vec_.set_amplitude((row << num_qubits_) | column, value);
  }

  /// U rho U^+.
  void apply(int qubit, const Matrix2& u);
  void apply(int qubit_a, int qubit_b, const Matrix4& u);
  void apply_cnot(int control, int target);
  /// A one-qubit map given by its superoperator on (row bit, column bit) (KrausChannel).
  void apply_superoperator(int qubit, const Matrix4& superoperator);
  void apply(int qubit, const KrausChannel& channel) {
    apply_superoperator(qubit, channel.superoperator());
  }
  /// (1 - p) rho + p I/4 (x) tr_ab(rho) on qubits a, b.
  void depolarize(int qubit_a, int qubit_b, double p);

  double trace() const;
  /// tr(rho^2) = sum |rho_ij|^2 (rho Hermitian).
  double purity() const { return vec_.norm_squared(); }
  /// The diagonal: the distribution of a measurement in the computational basis.
  std::vector<double> probabilities() const;
  void probabilities(std::span<double> out) const;

private:
  int num_qubits_;
  StateVector vec_;
};

/// The exact distribution of each circuit (all on the same number of qubits), prefixes shared
/// (shared_prefixes.hpp); result[i] belongs to circuits[i].
std::vector<std::vector<double>> density_matrix_probabilities(std::span<const NoisyCircuit> circuits);

}  // namespace qgen::sim
