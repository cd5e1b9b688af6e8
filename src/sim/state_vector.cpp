#include "qgen/sim/state_vector.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <new>
#include <stdexcept>
#include <string>

#include "qgen/core/memory.hpp"

namespace qgen::sim {
namespace {

constexpr std::size_t kAlignment = 64;  // one cache line, one AVX-512 register

double* allocate_aligned(std::size_t count) {
  const std::size_t bytes = std::max<std::size_t>(kAlignment, count * sizeof(double));
  const std::size_t rounded = (bytes + kAlignment - 1) / kAlignment * kAlignment;
  void* p = std::aligned_alloc(kAlignment, rounded);
  if (p == nullptr) throw std::bad_alloc();
  return static_cast<double*>(p);
}

// Pairwise summation of |amp|^2 over [begin, end): error grows as log(n) rather than n.
double pairwise_norm(const double* re, const double* im, std::size_t begin, std::size_t end) {
  if (end - begin <= 256) {
    double sum = 0.0;
    for (std::size_t i = begin; i < end; ++i) sum += re[i] * re[i] + im[i] * im[i];
    return sum;
  }
  const std::size_t middle = begin + (end - begin) / 2;
  return pairwise_norm(re, im, begin, middle) + pairwise_norm(re, im, middle, end);
}

}  // namespace

void detail::FreeAligned::operator()(double* p) const {
  if (owned) std::free(p);
}

namespace {

void check_qubit_count(int num_qubits) {
  if (num_qubits < 1 || num_qubits > 40)
    throw std::invalid_argument("state vector: number of qubits must be in [1, 40], got " +
                                std::to_string(num_qubits));
}

}  // namespace

StateVector::StateVector(int num_qubits, std::span<double> storage) : num_qubits_(num_qubits) {
  check_qubit_count(num_qubits);
  size_ = std::size_t{1} << num_qubits;
  if (storage.size() < 2 * size_ || reinterpret_cast<std::uintptr_t>(storage.data()) % kAlignment != 0)
    throw std::invalid_argument("state vector: lent storage too small or not 64-byte aligned");
  storage_ = {storage.data(), detail::FreeAligned{false}};
  set_basis_state(0);
}

StateVector::StateVector(int num_qubits) : num_qubits_(num_qubits) {
  check_qubit_count(num_qubits);
  size_ = std::size_t{1} << num_qubits;
  core::check_memory(16.0 * static_cast<double>(size_),
                     "a " + std::to_string(num_qubits) + "-qubit state vector");
  storage_.reset(allocate_aligned(2 * size_));
  set_basis_state(0);
}

StateVector::StateVector(StateVector&& other) noexcept
    : num_qubits_(other.num_qubits_), size_(other.size_), storage_(std::move(other.storage_)) {
  other.num_qubits_ = 0;
  other.size_ = 0;
}

StateVector& StateVector::operator=(StateVector&& other) noexcept {
  if (this != &other) {
    num_qubits_ = other.num_qubits_;
    size_ = other.size_;
    storage_ = std::move(other.storage_);
    other.num_qubits_ = 0;
    other.size_ = 0;
  }
  return *this;
}

StateVector::StateVector(const StateVector& other)
    : num_qubits_(other.num_qubits_), size_(other.size_),
      storage_(other.size_ ? allocate_aligned(2 * other.size_) : nullptr) {
  if (size_) copy_from(other);
}

StateVector& StateVector::operator=(const StateVector& other) {
  if (this == &other) return *this;
  if (size_ != other.size_ || !storage_) {
    storage_ = {allocate_aligned(2 * other.size_), detail::FreeAligned{true}};
    size_ = other.size_;
    num_qubits_ = other.num_qubits_;
  }
  copy_from(other);
  return *this;
}

void StateVector::set_amplitude(std::size_t index, Complex value) {
  real()[index] = value.real();
  imag()[index] = value.imag();
}

void StateVector::set_basis_state(std::size_t index) {
  if (index >= size_) throw std::out_of_range("state vector: basis index out of range");
  std::fill_n(storage_.get(), 2 * size_, 0.0);
  real()[index] = 1.0;
}

void StateVector::copy_from(const StateVector& other) {
  if (other.size_ != size_ || !storage_)
    throw std::invalid_argument("state vector: copy between different sizes");
  std::copy_n(other.storage_.get(), 2 * size_, storage_.get());
}

double StateVector::norm_squared() const { return pairwise_norm(real(), imag(), 0, size_); }

}  // namespace qgen::sim
