#include "qgen/qinn/event_chunk.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <stdexcept>

namespace qgen::qinn {

Factor ry_factor(double alpha) { return {std::cos(alpha / 2), std::sin(alpha / 2)}; }

Factor ry_factor_derivative(double alpha) {
  return {-0.5 * std::sin(alpha / 2), 0.5 * std::cos(alpha / 2)};
}

Factor rot_factor(double phi, double theta, double omega) {
  return {std::polar(std::cos(theta / 2), -(phi + omega) / 2),
          std::polar(std::sin(theta / 2), -(phi - omega) / 2)};
}

std::array<Factor, 3> rot_factor_derivatives(double phi, double theta, double omega) {
  const Factor f = rot_factor(phi, theta, omega);
  const Complex half_i(0.0, 0.5);
  return {Factor{-half_i * f[0], -half_i * f[1]},
          Factor{std::polar(-0.5 * std::sin(theta / 2), -(phi + omega) / 2),
                 std::polar(0.5 * std::cos(theta / 2), -(phi - omega) / 2)},
          Factor{-half_i * f[0], half_i * f[1]}};
}

EventChunk::EventChunk(int features, int capacity)
    : n_(features), capacity_(capacity), k_(std::countr_zero(static_cast<unsigned>(capacity))),
      scratch_(std::size_t{1} << features) {
  if (capacity < 1 || !std::has_single_bit(static_cast<unsigned>(capacity)))
    throw std::invalid_argument("EventChunk: the capacity must be a power of two");
}

void EventChunk::expand(std::span<const Factor> f, std::vector<Complex>& out) const {
  out.assign(1, Complex(1.0));
  for (int q = 0; q < n_; ++q) {
    std::vector<Complex> next(out.size() * 2);
    for (std::size_t i = 0; i < out.size(); ++i) {
      next[2 * i] = out[i] * f[q][0];
      next[2 * i + 1] = out[i] * f[q][1];
    }
    out.swap(next);
  }
}

void EventChunk::prepare(std::span<const Factor> factors, int events, sim::StateVector& state) const {
  if (state.num_qubits() != num_qubits() || events > capacity_)
    throw std::invalid_argument("EventChunk::prepare: wrong state size or too many events");
  std::fill_n(state.real(), state.size(), 0.0);
  std::fill_n(state.imag(), state.size(), 0.0);
  const std::size_t dim = std::size_t{1} << n_;
  for (int e = 0; e < events; ++e) {
    expand(factors.subspan(static_cast<std::size_t>(e) * n_, n_), scratch_);
    for (std::size_t x = 0; x < dim; ++x) {
      state.real()[x * capacity_ + e] = scratch_[x].real();
      state.imag()[x * capacity_ + e] = scratch_[x].imag();
    }
  }
}

void EventChunk::expectations(std::span<const double> p, int events, std::span<double> out) const {
  std::fill_n(out.begin(), static_cast<std::size_t>(events) * n_, 0.0);
  const std::size_t dim = std::size_t{1} << n_;
  for (std::size_t x = 0; x < dim; ++x)
    for (int q = 0; q < n_; ++q) {
      if (((x >> (n_ - 1 - q)) & 1) == 0) continue;
      for (int e = 0; e < events; ++e) out[static_cast<std::size_t>(e) * n_ + q] += p[x * capacity_ + e];
    }
}

void EventChunk::weights(std::span<const double> d, int events, std::span<double> w) const {
  const std::size_t dim = std::size_t{1} << n_;
  for (std::size_t x = 0; x < dim; ++x)
    for (int e = 0; e < capacity_; ++e) {
      double sum = 0.0;
      if (e < events)
        for (int q = 0; q < n_; ++q)
          if ((x >> (n_ - 1 - q)) & 1) sum += d[static_cast<std::size_t>(e) * n_ + q];
      w[x * capacity_ + e] = sum;
    }
}

void EventChunk::environments(const sim::StateVector& lambda, std::span<const Factor> factors,
                              int events, std::span<Factor> env) const {
  const std::size_t dim = std::size_t{1} << n_;
  std::vector<Complex> prefix(n_ + 1), suffix(n_ + 1);
  for (int e = 0; e < events; ++e) {
    const auto f = factors.subspan(static_cast<std::size_t>(e) * n_, n_);
    auto out = env.subspan(static_cast<std::size_t>(e) * n_, n_);
    for (Factor& v : out) v = {0.0, 0.0};
    for (std::size_t x = 0; x < dim; ++x) {
      const std::size_t i = x * capacity_ + e;
      const Complex l(lambda.real()[i], -lambda.imag()[i]);  // conj(lambda)
      // prefix[q] = prod of the factors of qubits < q, suffix[q] = of qubits >= q.
      prefix[0] = 1.0;
      for (int q = 0; q < n_; ++q) prefix[q + 1] = prefix[q] * f[q][(x >> (n_ - 1 - q)) & 1];
      suffix[n_] = 1.0;
      for (int q = n_; q-- > 0;) suffix[q] = suffix[q + 1] * f[q][(x >> (n_ - 1 - q)) & 1];
      for (int q = 0; q < n_; ++q) out[q][(x >> (n_ - 1 - q)) & 1] += l * prefix[q] * suffix[q + 1];
    }
  }
}

void EventChunk::overlaps(const sim::StateVector& state, std::span<const Factor> factors,
                          int events, std::span<Complex> out) const {
  const std::size_t dim = std::size_t{1} << n_;
  for (int e = 0; e < events; ++e) {
    expand(factors.subspan(static_cast<std::size_t>(e) * n_, n_), scratch_);
    Complex sum = 0.0;
    for (std::size_t x = 0; x < dim; ++x)
      sum += std::conj(scratch_[x]) * state.amplitude(x * capacity_ + e);
    out[e] = sum;
  }
}

}  // namespace qgen::qinn
