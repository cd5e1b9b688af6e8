// Noise channels: Kraus maps on one qubit, the two-qubit depolarising channel, coherent
// over-rotations and readout assignment errors. Physics only: no device, no file format (the
// hw layer turns calibrations into these).
//
// Conventions. A channel acts on a density matrix as rho -> sum_k K_k rho K_k^+ (Kraus form),
// trace preserving: sum_k K_k^+ K_k = I. Times in seconds. Matrices as in gate_matrix.hpp.
//
// Formulas used (and why):
//  - Depolarising on n qubits (d = 2^n) with parameter p:
//        rho -> (1 - p) rho + p tr(rho) I/d,                         0 <= p <= 4^n/(4^n - 1).
//    One qubit: Kraus sqrt(1 - 3p/4) I, sqrt(p/4) X, sqrt(p/4) Y, sqrt(p/4) Z.
//    Two qubits: the identity with weight 1 - 15p/16 and each of the 15 other Pauli pairs with
//    p/16 (the channel is applied in that form by trajectories, and as the partial-trace
//    formula above by the density matrix).
//  - Gate error -> depolarising parameter (Qiskit Aer's basic device model, so that qgen's
//    emulation of a calibration means what Qiskit's does). A device reports for each gate
//    e = 1 - F_avg, F_avg the average gate fidelity of the whole error of the gate. The error
//    is modelled as depolarising composed with the thermal relaxation of the gate's duration;
//    F_avg is affine in p: F_avg = F_r - p (d F_r - 1)/d, F_r the relaxation's own average
//    fidelity. Hence
//        p = d (e - (1 - F_r)) / (d F_r - 1)    if e > 1 - F_r,   0 otherwise,
//    clamped to 4^n/(4^n - 1), with e first clamped to d/(d+1). Without relaxation (F_r = 1)
//    this is p = d e/(d - 1): p = 2e for one qubit, 4e/3 for two.
//  - Average gate fidelity from the process (entanglement) fidelity F_pro = sum_k |tr K_k|^2/d^2:
//    F_avg = (d F_pro + 1)/(d + 1) (Horodecki, Nielsen). F_pro of a product channel A (x) B is
//    F_pro(A) F_pro(B): a two-qubit gate's relaxation on both qubits.
//  - Thermal relaxation for a time t (zero temperature): populations relax to |0> with
//    gamma = 1 - exp(-t/T1), coherences decay as exp(-t/T2):
//        rho00 -> rho00 + gamma rho11,  rho11 -> (1 - gamma) rho11,  rho01 -> exp(-t/T2) rho01.
//    Physical iff c^2 <= 1 - gamma, i.e. T2 <= 2 T1 (amplitude damping followed by pure
//    dephasing). Its process fidelity is (2 + 2c - gamma)/4. qgen writes it as
//        rho -> (1 - w) rho + w (L0 rho L0^+ + L1 rho L1^+),
//        w = (1 - c)^2 / (2 (1 - c) - gamma),  L0 = diag(1, gamma/(1 - c) - 1),
//        L1 = sqrt(gamma/w) |0><1|
//    (w is the least weight any remainder can have: the Choi matrix minus (1 - w) times the
//    identity's is then singular; L0, L1 follow from its rank-one block). For gate durations
//    t << T1, T2 < 2 T1 this is w ~ (t/T1) (T1/T2)^2 / (2 T1/T2 - 1): a trajectory leaves the
//    state alone with probability 1 - w without reading it, and only otherwise computes branch
//    probabilities. At T2 = 2 T1 (pure amplitude damping) w = 1: there is no identity part.
//  - Coherent over-rotation: a pulse meant to rotate by a about X rotates by a (1 + eps);
//    RX(a (1 + eps)) = RX(a eps) RX(a), so the error is the unitary RX(a eps) after the ideal
//    gate (eps < 0: under-rotation). A systematic eps is a time-independent error that
//    re-tuning the parameters on the device can absorb (paper 000, IV.B).
//  - Readout: qubit q prepared in t is read as m with probability A_q(m, t),
//        A_q = [[1 - P(1|0), P(0|1)], [P(1|0), 1 - P(0|1)]]
//    (Qiskit's prob_meas1_prep0 = P(1|0), prob_meas0_prep1 = P(0|1)); independent per qubit, so
//    the measured distribution is (A_0 (x) A_1 (x) ... ) p, applied one qubit at a time.
#pragma once

#include <span>
#include <vector>

#include "qgen/sim/gate_matrix.hpp"

namespace qgen::sim {

/// A trace-preserving channel on one qubit in Kraus form.
class KrausChannel {
public:
  /// core::InputError unless sum_k K_k^+ K_k = I (to 1e-10) and there is at least one K_k.
  explicit KrausChannel(std::vector<Matrix2> operators);
  /// rho -> a rho + (1 - a) sum_k L_k rho L_k^+ (a = identity_weight in [0, 1], the L_k a
  /// trace-preserving set): Kraus operators sqrt(a) I and sqrt(1 - a) L_k.
  static KrausChannel with_identity_part(double identity_weight, std::vector<Matrix2> remainder);

  const std::vector<Matrix2>& operators() const { return operators_; }
  /// E_k = K_k^+ K_k: a trajectory takes branch k with probability tr(E_k rho).
  const std::vector<Matrix2>& effects() const { return effects_; }

  /// Whether every K_k is sqrt(w_k) U_k with U_k unitary: then branch k has probability w_k
  /// whatever the state (depolarising, Pauli channels), and no state is read to choose it.
  bool is_mixed_unitary() const { return mixed_unitary_; }
  /// w_k and U_k of a mixed-unitary channel (empty otherwise; branches with w_k = 0 dropped).
  const std::vector<double>& weights() const { return weights_; }
  const std::vector<Matrix2>& unitaries() const { return unitaries_; }

  /// The weight a of an identity part (with_identity_part; 0 otherwise) and the remainder L_k
  /// with their effects L_k^+ L_k: a trajectory takes the identity with probability a without
  /// reading the state, and otherwise branch k with probability tr(L_k^+ L_k rho).
  double identity_weight() const { return identity_weight_; }
  const std::vector<Matrix2>& remainder() const { return remainder_; }
  const std::vector<Matrix2>& remainder_effects() const { return remainder_effects_; }

  /// The channel on vec(rho) of one qubit, indexed (row bit, column bit) with the row bit the
  /// more significant: S = sum_k K_k (x) conj(K_k).
  const Matrix4& superoperator() const { return superoperator_; }

  bool operator==(const KrausChannel& other) const;

private:
  std::vector<Matrix2> operators_;
  std::vector<Matrix2> effects_;
  bool mixed_unitary_ = false;
  std::vector<double> weights_;
  std::vector<Matrix2> unitaries_;
  double identity_weight_ = 0.0;
  std::vector<Matrix2> remainder_;
  std::vector<Matrix2> remainder_effects_;
  Matrix4 superoperator_;
};

/// (1 - p) rho + p I/2; core::InputError unless 0 <= p <= 4/3.
KrausChannel depolarizing_channel(double p);

/// Thermal relaxation for `duration` seconds of a qubit with relaxation time t1 and dephasing
/// time t2 (seconds; either may be +infinity). core::InputError unless t1, t2 > 0,
/// duration >= 0 and t2 <= 2 t1 (to a relative 1e-12).
KrausChannel thermal_relaxation_channel(double t1, double t2, double duration);

/// sum_k |tr K_k|^2 / 4.
double process_fidelity(const KrausChannel& channel);
/// (d F_pro + 1)/(d + 1), d = 2^num_qubits.
double average_gate_fidelity(double process_fidelity, int num_qubits);

/// The depolarising parameter p of an n-qubit gate with reported error `gate_error`
/// (1 - average gate fidelity), given the average gate fidelity of the relaxation applied with
/// it (1 without). See the header comment.
double depolarizing_parameter(double gate_error, int num_qubits,
                              double relaxation_average_fidelity = 1.0);

/// RX(angle * relative_error): the coherent error of an X pulse of `angle` radians that
/// over-rotates by `relative_error` (applied after the ideal gate).
Matrix2 x_over_rotation(double angle, double relative_error);

/// Readout assignment error of one qubit.
struct ReadoutError {
  double p1_given_0 = 0.0;  // P(read 1 | prepared 0), Qiskit's prob_meas1_prep0
  double p0_given_1 = 0.0;  // P(read 0 | prepared 1), Qiskit's prob_meas0_prep1
};

/// Replaces the distribution `probabilities` over 2^Q outcomes (qubit 0 the most significant
/// bit) by the distribution of what is read, per_qubit[q] acting on qubit q. core::InputError
/// unless per_qubit has Q entries with probabilities in [0, 1].
void apply_readout_errors(std::span<double> probabilities, std::span<const ReadoutError> per_qubit);

}  // namespace qgen::sim
