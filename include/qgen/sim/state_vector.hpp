// A pure state of Q qubits: 2^Q complex double amplitudes.
//
// Conventions (DESIGN.md): qubit 0 is the most significant bit of a basis index, so qubit q is
// bit (Q-1-q) and its partner amplitudes sit 2^(Q-1-q) apart.
//
// Storage is split, "structure of arrays" as in QuEST: all real parts, then all imaginary parts,
// in one 64-byte aligned allocation (so both halves are aligned from Q = 3 on; kernels load
// through memcpy and do not rely on it). A gate kernel then works on whole cache lines of real
// and of imaginary parts and vectorises into plain multiply-adds with no shuffling of pairs.
#pragma once

#include <complex>
#include <cstddef>
#include <memory>
#include <span>

namespace qgen::sim {

using Complex = std::complex<double>;

namespace detail {
/// Frees a state's aligned storage, unless the state was lent it.
struct FreeAligned {
  bool owned = true;
  void operator()(double* p) const;
};
}  // namespace detail

class StateVector {
public:
  /// |0...0> on `num_qubits` qubits (1 <= num_qubits <= 40). std::length_error, with the bytes
  /// needed, when the state would not fit in this machine's memory.
  explicit StateVector(int num_qubits);
  /// |0...0> in `storage` (2 x 2^num_qubits doubles, 64-byte aligned), which the state uses
  /// but does not own: a distributed state's shared-memory segment. Copies of it own their
  /// storage.
  StateVector(int num_qubits, std::span<double> storage);

  StateVector(const StateVector& other);
  StateVector& operator=(const StateVector& other);
  /// A moved-from state is empty (size 0) until assigned to.
  StateVector(StateVector&& other) noexcept;
  StateVector& operator=(StateVector&& other) noexcept;

  int num_qubits() const { return num_qubits_; }
  std::size_t size() const { return size_; }

  double* real() { return storage_.get(); }
  double* imag() { return storage_.get() + size_; }
  const double* real() const { return storage_.get(); }
  const double* imag() const { return storage_.get() + size_; }

  Complex amplitude(std::size_t index) const { return {real()[index], imag()[index]}; }
  void set_amplitude(std::size_t index, Complex value);

  /// Sets the state to the computational basis state |index>.
  void set_basis_state(std::size_t index);

  /// Copies the amplitudes of a state of the same size without reallocating.
  void copy_from(const StateVector& other);

  /// sum |amp|^2, accumulated pairwise so that it stays accurate for 2^30 amplitudes.
  double norm_squared() const;

  /// Bit position of `qubit` inside a basis index.
  int bit_of(int qubit) const { return num_qubits_ - 1 - qubit; }

private:
  int num_qubits_;
  std::size_t size_;
  std::unique_ptr<double[], detail::FreeAligned> storage_;
};

}  // namespace qgen::sim
