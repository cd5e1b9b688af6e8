// A chunk of events simulated as one state vector.
//
// Every QINN circuit applies the same unitary to every event; only the input state differs
// (paper 004: angle encoding RY(alpha_i)|0> in the forward direction, the ISP's Rot(psi_i)|0>
// in the inverse one, both product states). A chunk of C = 2^k events is therefore one state of
// n + k qubits: the n feature qubits are the high ones (qubits 0..n-1, as in a single event's
// circuit) and the event index e the low k bits, so amplitude (x, e) sits at index x C + e.
// Each gate then runs once, vectorised over the chunk, instead of once per event over 2^n = 32
// amplitudes, where a state vector's cost is all overhead. Events beyond the chunk's fill have
// zero amplitudes and contribute nothing; the state is not normalised as a whole (each event's
// block is).
//
// A product state is given per event and qubit as the qubit's two amplitudes, the "factor"
// f_{e,q} = (f0, f1). The derivative of a loss with respect to anything a factor depends on
// follows from the adjoint state lambda_0 (sim/adjoint.hpp) through the qubit's environment
//     env_{e,q}(b) = sum over x with bit q = b of conj(lambda_0(x, e)) prod_{q' != q} f_{e,q'}(x_q'),
// as d/dp sum_x w_x p_x = 2 Re sum_b env_{e,q}(b) df_{e,q}(b)/dp.
#pragma once

#include <array>
#include <complex>
#include <span>
#include <vector>

#include "qgen/sim/state_vector.hpp"

namespace qgen::qinn {

using Complex = std::complex<double>;
using Factor = std::array<Complex, 2>;

/// RY(alpha)|0> = (cos(alpha/2), sin(alpha/2)) and its derivative in alpha.
Factor ry_factor(double alpha);
Factor ry_factor_derivative(double alpha);
/// Rot(phi, theta, omega)|0> = RZ(omega) RY(theta) RZ(phi)|0>
///   = (e^{-i(phi+omega)/2} cos(theta/2), e^{-i(phi-omega)/2} sin(theta/2)),
/// and its derivatives in phi, theta and omega.
Factor rot_factor(double phi, double theta, double omega);
std::array<Factor, 3> rot_factor_derivatives(double phi, double theta, double omega);

class EventChunk {
public:
  /// Chunks of `capacity` events (a power of two) on `features` qubits.
  EventChunk(int features, int capacity);

  int features() const { return n_; }
  int capacity() const { return capacity_; }
  /// n + log2(capacity).
  int num_qubits() const { return n_ + k_; }

  /// The product state of `events` <= capacity events, factors[e n + q]; the rest zero.
  void prepare(std::span<const Factor> factors, int events, sim::StateVector& state) const;

  /// E_{e,q} = P(qubit q = 1) of each event, from the chunk's probabilities (2^(n+k)).
  void expectations(std::span<const double> probabilities, int events, std::span<double> e) const;

  /// The weights w(x, e) = sum_q bit_q(x) dL/dE_{e,q}, so that sum_x w_x p_x has the gradient
  /// of L (linear in the expectations) for the adjoint method.
  void weights(std::span<const double> d_expectations, int events, std::span<double> w) const;

  /// env[e n + q] of `lambda` (see above) for the product state of `factors`.
  void environments(const sim::StateVector& lambda, std::span<const Factor> factors, int events,
                    std::span<Factor> env) const;

  /// <product state of `factors` | state> of each event: the overlap of an event's block with
  /// a product state (the fidelity loss).
  void overlaps(const sim::StateVector& state, std::span<const Factor> factors, int events,
                std::span<Complex> out) const;

private:
  // The 2^n amplitudes of one event's product state, into `out`.
  void expand(std::span<const Factor> factors, std::vector<Complex>& out) const;

  int n_, capacity_, k_;
  mutable std::vector<Complex> scratch_;
};

}  // namespace qgen::qinn
