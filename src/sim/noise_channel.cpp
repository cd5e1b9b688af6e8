#include "qgen/sim/noise_channel.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "qgen/core/errors.hpp"
#include "qgen/core/text.hpp"

namespace qgen::sim {
namespace {

double max_abs_difference(const Matrix2& a, const Matrix2& b) {
  double d = 0.0;
  for (int k = 0; k < 4; ++k) d = std::max(d, std::abs(a.m[k] - b.m[k]));
  return d;
}

Matrix2 scaled(const Matrix2& a, Complex s) {
  Matrix2 c = a;
  for (auto& x : c.m) x *= s;
  return c;
}

Matrix4 conjugate_kron(const Matrix2& k) {
  Matrix2 conj_k;
  for (int i = 0; i < 4; ++i) conj_k.m[i] = std::conj(k.m[i]);
  return kron(k, conj_k);
}

void check_range(double value, double low, double high, const std::string& what) {
  if (!(value >= low && value <= high))
    throw core::InputError(what + " = " + core::number_text(value) + " is outside [" +
                           core::number_text(low) + ", " + core::number_text(high) + "]");
}

}  // namespace

KrausChannel::KrausChannel(std::vector<Matrix2> operators) : operators_(std::move(operators)) {
  if (operators_.empty()) throw core::InputError("noise channel: no Kraus operators");
  Matrix2 sum{};
  for (const Matrix2& k : operators_) {
    effects_.push_back(adjoint(k) * k);
    for (int i = 0; i < 4; ++i) sum.m[i] += effects_.back().m[i];
  }
  const double defect = max_abs_difference(sum, gates::identity2());
  if (!(defect <= 1e-10))
    throw core::InputError("noise channel: the Kraus operators are not trace preserving "
                           "(sum K^+ K differs from I by " + core::number_text(defect) + ")");

  // K^+ K = w I for every K: a mixture of unitaries with fixed weights.
  mixed_unitary_ = std::all_of(effects_.begin(), effects_.end(), [](const Matrix2& e) {
    const double w = e.m[0].real();
    return std::abs(e.m[1]) < 1e-14 && std::abs(e.m[2]) < 1e-14 && std::abs(e.m[3] - w) < 1e-14;
  });
  if (mixed_unitary_)
    for (std::size_t k = 0; k < operators_.size(); ++k) {
      const double w = effects_[k].m[0].real();
      if (w <= 0.0) continue;
      weights_.push_back(w);
      unitaries_.push_back(scaled(operators_[k], 1.0 / std::sqrt(w)));
    }

  remainder_ = operators_;  // no identity part unless with_identity_part splits one off
  remainder_effects_ = effects_;
  for (const Matrix2& k : operators_) {
    const Matrix4 s = conjugate_kron(k);
    for (int i = 0; i < 16; ++i) superoperator_.m[i] += s.m[i];
  }
}

KrausChannel KrausChannel::with_identity_part(double identity_weight, std::vector<Matrix2> remainder) {
  check_range(identity_weight, 0.0, 1.0, "identity weight of a channel");
  std::vector<Matrix2> operators;
  if (identity_weight > 0.0) operators.push_back(scaled(gates::identity2(), std::sqrt(identity_weight)));
  if (identity_weight < 1.0)
    for (const Matrix2& l : remainder) operators.push_back(scaled(l, std::sqrt(1.0 - identity_weight)));
  KrausChannel channel(std::move(operators));  // checks that the whole set preserves the trace
  if (identity_weight < 1.0) {
    channel.identity_weight_ = identity_weight;
    channel.remainder_ = std::move(remainder);
    channel.remainder_effects_.clear();
    for (const Matrix2& l : channel.remainder_) channel.remainder_effects_.push_back(adjoint(l) * l);
  }
  return channel;
}

bool KrausChannel::operator==(const KrausChannel& other) const {
  if (operators_.size() != other.operators_.size()) return false;
  for (std::size_t k = 0; k < operators_.size(); ++k)
    if (operators_[k].m != other.operators_[k].m) return false;
  return true;
}

KrausChannel depolarizing_channel(double p) {
  check_range(p, 0.0, 4.0 / 3.0, "depolarising parameter");
  const double a = std::sqrt(std::max(0.0, 1.0 - 0.75 * p)), b = std::sqrt(p / 4);
  return KrausChannel({scaled(gates::identity2(), a), scaled(gates::pauli_x(), b),
                       scaled(gates::pauli_y(), b), scaled(gates::pauli_z(), b)});
}

KrausChannel thermal_relaxation_channel(double t1, double t2, double duration) {
  if (!(t1 > 0.0) || !(t2 > 0.0))
    throw core::InputError("thermal relaxation: T1 = " + core::number_text(t1) + " s and T2 = " +
                           core::number_text(t2) + " s must be positive");
  if (!(duration >= 0.0) || !std::isfinite(duration))
    throw core::InputError("thermal relaxation: duration " + core::number_text(duration) +
                           " s must be finite and >= 0");
  if (t2 > 2 * t1 * (1 + 1e-12))
    throw core::InputError("thermal relaxation: T2 = " + core::number_text(t2) +
                           " s exceeds 2 T1 = " + core::number_text(2 * t1) + " s");
  // 1 - exp(-t/T1) and 1 - exp(-t/T2), accurate for t << T1, T2.
  const double gamma = -std::expm1(-duration / t1);
  const double one_minus_c = -std::expm1(-duration / t2);
  if (one_minus_c <= 0.0) return depolarizing_channel(0.0);  // t = 0 (or T1 = T2 = infinity)
  // 2 (1 - c) - gamma >= (1 - c)^2 > 0 for T2 <= 2 T1; clamped against rounding at T2 = 2 T1.
  const double w = std::min(1.0, one_minus_c * one_minus_c / (2 * one_minus_c - gamma));
  const double u = std::min(gamma / one_minus_c, 2.0);
  return KrausChannel::with_identity_part(1.0 - w, {Matrix2{{1.0, 0.0, 0.0, u - 1.0}},
                                      Matrix2{{0.0, std::sqrt(1 - (u - 1) * (u - 1)), 0.0, 0.0}}});
}

double process_fidelity(const KrausChannel& channel) {
  double sum = 0.0;
  for (const Matrix2& k : channel.operators()) sum += std::norm(k.m[0] + k.m[3]);
  return sum / 4.0;
}

double average_gate_fidelity(double process_fidelity, int num_qubits) {
  const double d = std::ldexp(1.0, num_qubits);
  return (d * process_fidelity + 1.0) / (d + 1.0);
}

double depolarizing_parameter(double gate_error, int num_qubits,
                              double relaxation_average_fidelity) {
  if (num_qubits < 1 || num_qubits > 2)
    throw core::InputError("depolarising parameter: " + std::to_string(num_qubits) +
                           " qubits (1 or 2 supported)");
  check_range(gate_error, 0.0, 1.0, "gate error");
  check_range(relaxation_average_fidelity, 0.0, 1.0, "relaxation fidelity");
  const double d = std::ldexp(1.0, num_qubits);
  const double e = std::min(gate_error, d / (d + 1));  // the error of a completely random gate
  const double relaxation_error = 1.0 - relaxation_average_fidelity;
  if (e <= relaxation_error) return 0.0;  // relaxation alone explains the error
  const double p = d * (e - relaxation_error) / (d * relaxation_average_fidelity - 1.0);
  return std::min(p, d * d / (d * d - 1));
}

Matrix2 x_over_rotation(double angle, double relative_error) {
  return gates::rx(angle * relative_error);
}

void apply_readout_errors(std::span<double> probabilities, std::span<const ReadoutError> per_qubit) {
  const int n = static_cast<int>(per_qubit.size());
  if (n < 1 || n > 62 || probabilities.size() != (std::size_t{1} << n))
    throw core::InputError("readout errors: " + std::to_string(per_qubit.size()) +
                           " qubits given for a distribution over " +
                           std::to_string(probabilities.size()) + " outcomes");
  for (int q = 0; q < n; ++q) {
    const ReadoutError& r = per_qubit[q];
    check_range(r.p1_given_0, 0.0, 1.0, "qubit " + std::to_string(q) + " P(1|0)");
    check_range(r.p0_given_1, 0.0, 1.0, "qubit " + std::to_string(q) + " P(0|1)");
    const std::size_t stride = std::size_t{1} << (n - 1 - q);  // qubit 0 is the top bit
    for (std::size_t block = 0; block < probabilities.size(); block += 2 * stride)
      for (std::size_t i = block; i < block + stride; ++i) {
        const double p0 = probabilities[i], p1 = probabilities[i + stride];
        probabilities[i] = (1 - r.p1_given_0) * p0 + r.p0_given_1 * p1;
        probabilities[i + stride] = r.p1_given_0 * p0 + (1 - r.p0_given_1) * p1;
      }
  }
}

}  // namespace qgen::sim
