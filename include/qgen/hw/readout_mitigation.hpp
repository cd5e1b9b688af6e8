// Readout-error mitigation: the distribution a circuit produced, estimated from the counts a
// device read out, by undoing the qubits' assignment errors.
//
// Model (tensored assignment matrix). Each measured circuit qubit k is misread independently of
// the others, with the 2x2 column-stochastic assignment matrix
//     A_k = [[1 - p10, p01],        p10 = P(read 1 | prepared 0)  (Qiskit's prob_meas1_prep0)
//            [p10,     1 - p01]],   p01 = P(read 0 | prepared 1)  (Qiskit's prob_meas0_prep1)
// (column: prepared value, row: read value), and the measured distribution is f = A p with
// A = A_0 (x) A_1 (x) ... (x) A_{Q-1}, circuit qubit 0 the most significant bit of an outcome
// (DESIGN.md). A is never formed: A, A^T and A^-1 are applied qubit by qubit, Q passes over the
// 2^Q entries, O(Q 2^Q) time and no memory beyond the vector. A_k is invertible unless
// p01 + p10 = 1 (a qubit whose reading says nothing about it); qgen requires p01 + p10 < 1.
// Limitation: a tensored calibration neglects correlated readout errors (one qubit's reading
// depending on its neighbours' states, measurement crosstalk); the full 2^Q x 2^Q calibration
// would capture them but needs 2^Q calibration circuits.
//
// Two sources of the p10, p01:
//   from_device              the device's calibration file, each circuit qubit's values from
//                            the device qubit it is measured on (after the layout's SWAPs);
//                            calibration drift (noise_model.hpp) is not known to it
//   from_calibration_counts  two calibration circuits run on the device: every qubit prepared in
//                            |0...0> and in |1...1>; p10_k is the fraction of the first's shots
//                            that read qubit k as 1, p01_k the fraction of the second's that
//                            read it as 0 (per-qubit marginal flip rates)
//
// Solve. The unconstrained estimate A^-1 f (inverse_estimate) is exact for exact f but, with
// shot noise, has negative entries wherever the true probability is small. mitigate returns
// instead the non-negative least-squares solution
//     p = argmin_{p >= 0} ||A p - f||^2,    f = counts / shots,
// found by a bound-constrained PETSc TAO solver (default bnls, bounded Newton line search;
// TaoSetVariableBounds(0, +inf)) on PETSC_COMM_SELF, with objective ||A p - f||^2, gradient
// 2 A^T (A p - f) and the constant Hessian 2 A^T A (a shell matrix), all from the per-qubit
// passes. It starts from the clipped inverse (A^-1 f with negative entries set to 0,
// renormalised: clipped_inverse_estimate, itself a cheap and common estimate, but not the
// least-squares one). The solution is then renormalised to sum 1. Why that is fine: A is
// column-stochastic (1^T A = 1^T, so sum(A p) = sum(p) and sum(A^-1 f) = sum(f) = 1); where no
// bound is active the least-squares solution is A^-1 f and sums to 1 already; where bounds are
// active, sum(p) - 1 = sum(A p - f), at most sqrt(2^Q) times the residual, and the
// renormalisation is a correction of that size (the sum constraint is left out of the solve so
// that the simple bound-constrained solvers apply).
// Tolerances. A is well conditioned for realistic readout errors (singular values between
// about prod_k (1 - p01_k - p10_k) and 1), so an error dp in p shows as a projected gradient of
// about 2 dp. The solve stops when the projected gradient's 2-norm is below gradient_tolerance
// (1e-14: an exact f = A p_true is recovered to ~1e-12). Counts leave a residual r = A p - f of
// ~1/sqrt(shots), and F = |r|^2 is then known only to ~1e-16 F: near the minimum the line search
// finds no decrease (TAO's DIVERGED_LS_FAILURE) once the gradient is ~1e-10. That outcome is
// accepted as converged when the projected gradient is below stall_tolerance (1e-8, so p is
// within ~1e-8 of the minimiser); otherwise, and for any other TAO failure except the iteration
// limit, core::PetscError.
//
// The TAO solver takes the options prefix "readout_mitigation_" (e.g.
// -readout_mitigation_tao_type blmvm, -readout_mitigation_tao_monitor). PETSc must be
// initialised (it is in the qgen executable and the PETSc tests); PETSc failures are
// core::PetscError, bad options core::InputError (train/petsc_error.hpp).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "qgen/hw/device_model.hpp"
#include "qgen/hw/layout.hpp"
#include "qgen/sim/noise_channel.hpp"

namespace qgen::hw {

class ReadoutCalibration {
public:
  /// per_qubit[k]: the errors of circuit qubit k (sim::ReadoutError: p1_given_0 = p10,
  /// p0_given_1 = p01, the emulator's own type). core::InputError for no qubits, more than 30,
  /// a probability outside [0, 1] or a singular A_k (p01 + p10 >= 1), naming the qubit.
  explicit ReadoutCalibration(std::vector<sim::ReadoutError> per_qubit);

  int num_qubits() const { return static_cast<int>(per_qubit_.size()); }
  std::size_t num_outcomes() const { return std::size_t{1} << per_qubit_.size(); }
  const sim::ReadoutError& qubit(int k) const { return per_qubit_.at(k); }
  std::span<const sim::ReadoutError> per_qubit() const { return per_qubit_; }

  /// v <- A v, v <- A^T v, v <- A^-1 v (2^Q entries; core::InputError otherwise).
  void apply(std::span<double> v) const;
  void apply_transpose(std::span<double> v) const;
  void apply_inverse(std::span<double> v) const;

private:
  std::vector<sim::ReadoutError> per_qubit_;
};

/// The calibration of the device qubits a laid-out circuit is measured on: circuit qubit k from
/// device qubit layout.physical[layout.final[k]] (as the OpenQASM export measures it). The
/// file's values (batch 0, no drift). core::DataError when a qubit's calibration is singular;
/// core::InputError for a layout that does not fit the device.
ReadoutCalibration from_device(const DeviceModel& device, const Layout& layout);

/// From the counts (2^Q entries each, qubit 0 the most significant bit) of the two calibration
/// circuits: all qubits prepared in |0...0> and in |1...1>. core::InputError for lengths that
/// differ or are not a power of two >= 2, zero shots; core::DataError when the counts give a
/// singular A_k (p01 + p10 >= 1), naming the qubit.
ReadoutCalibration from_calibration_counts(std::span<const std::uint64_t> counts_all0,
                                           std::span<const std::uint64_t> counts_all1);

struct MitigationOptions {
  // A bound-constrained TAO type: bnls or bntr (Newton, with the Hessian 2 A^T A), blmvm or
  // bqnls (quasi-Newton). On the 8-qubit bench with active bounds: bnls 2 iterations (~2 ms),
  // bntr 2-4, blmvm ~100 (~4 ms), bqnls ~800 (~70 ms); the same solution.
  std::string tao_type = "bnls";
  double gradient_tolerance = 1e-14;   // TAO gatol: 2-norm of the projected gradient
  double stall_tolerance = 1e-8;       // a failed line search below this is convergence
  int max_iterations = 10000;
  bool start_from_inverse = true;      // start at the clipped inverse; false: the uniform vector
};

struct MitigationResult {
  std::vector<double> probabilities;  // >= 0, sum 1
  double residual = 0.0;              // ||A p - f|| at the solution before renormalising
  double gradient_norm = 0.0;         // 2-norm of the projected gradient at the end
  int iterations = 0;                 // TAO iterations
  std::string tao_reason;             // TaoConvergedReasons text, e.g. "CONVERGED_GATOL"
  bool converged = false;             // TAO converged or stalled below stall_tolerance (not, e.g.,
                                      // stopped at the iteration limit)
};

/// The solve on a measured distribution f (2^Q entries, >= 0, sum 1 within 1e-9; core::InputError
/// otherwise). core::PetscError when TAO fails other than by reaching max_iterations.
MitigationResult solve_mitigation(const ReadoutCalibration& calibration, std::span<const double> f,
                                  const MitigationOptions& options = {});

/// The mitigated distribution from counts (2^Q entries; core::InputError for another length or
/// zero shots).
std::vector<double> mitigate(const ReadoutCalibration& calibration,
                             std::span<const std::uint64_t> counts,
                             const MitigationOptions& options = {});
/// The same from a measured distribution (e.g. an exact one, or counts / shots).
std::vector<double> mitigate_distribution(const ReadoutCalibration& calibration,
                                          std::span<const double> f,
                                          const MitigationOptions& options = {});

/// A^-1 f: exact for exact f, may have negative entries (no PETSc needed).
std::vector<double> inverse_estimate(const ReadoutCalibration& calibration, std::span<const double> f);
/// A^-1 f with negative entries set to 0, renormalised to sum 1.
std::vector<double> clipped_inverse_estimate(const ReadoutCalibration& calibration,
                                             std::span<const double> f);

}  // namespace qgen::hw
