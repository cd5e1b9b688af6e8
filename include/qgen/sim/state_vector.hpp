// A pure state of Q qubits: 2^Q complex double amplitudes.
//
// Conventions (DESIGN.md): qubit 0 is the most significant bit of a basis index, so qubit q is
// bit (Q-1-q) and its partner amplitudes sit 2^(Q-1-q) apart.
//
// Storage is split, "structure of arrays" as in QuEST: all real parts, then all imaginary parts,
// each 64-byte aligned. A gate kernel then works on whole cache lines of real and of imaginary
// parts and vectorises into plain multiply-adds with no shuffling of interleaved pairs.
#pragma once

#include <complex>
#include <cstddef>
#include <memory>
#include <span>

namespace qgen::sim {

using Complex = std::complex<double>;

class StateVector {
public:
  /// |0...0> on `num_qubits` qubits (1 <= num_qubits <= 40).
  explicit StateVector(int num_qubits);

  StateVector(const StateVector& other);
  StateVector& operator=(const StateVector& other);
  StateVector(StateVector&&) noexcept = default;
  StateVector& operator=(StateVector&&) noexcept = default;

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
  struct FreeAligned {
    void operator()(double* p) const;
  };

  int num_qubits_;
  std::size_t size_;
  std::unique_ptr<double[], FreeAligned> storage_;
};

}  // namespace qgen::sim
