#include "qgen/hw/readout_mitigation.hpp"

#include <petsctao.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <numeric>
#include <sstream>
#include <string>

#include "qgen/core/errors.hpp"
#include "qgen/train/petsc_error.hpp"

namespace qgen::hw {
namespace {

constexpr int kMaxQubits = 30;  // 2^30 doubles: 8 GiB per vector

std::string number(double x) {
  std::ostringstream s;
  s.precision(6);
  s << x;
  return s.str();
}

/// v <- (M_0 (x) ... (x) M_{Q-1}) v for 2x2 matrices m(k) = {a, b, c, d} = [[a, b], [c, d]].
template <typename PerQubit>
void apply_tensored(std::span<double> v, int num_qubits, PerQubit m) {
  for (int k = 0; k < num_qubits; ++k) {
    const auto [a, b, c, d] = m(k);
    const std::size_t stride = std::size_t{1} << (num_qubits - 1 - k);  // qubit 0 the top bit
    for (std::size_t block = 0; block < v.size(); block += 2 * stride)
      for (std::size_t i = block; i < block + stride; ++i) {
        const double v0 = v[i], v1 = v[i + stride];
        v[i] = a * v0 + b * v1;
        v[i + stride] = c * v0 + d * v1;
      }
  }
}

/// Q with 2^Q = n, or -1 when n is not a power of two >= 2.
int qubits_of_length(std::size_t n) {
  if (n < 2 || (n & (n - 1)) != 0) return -1;
  int q = 0;
  while ((std::size_t{1} << q) < n) ++q;
  return q;
}

/// p10 + p01 < 1 (and both in [0, 1]).
bool invertible(const sim::ReadoutError& e) { return e.p1_given_0 + e.p0_given_1 < 1.0; }

std::string describe(const sim::ReadoutError& e) {
  return "prob_meas1_prep0 = " + number(e.p1_given_0) + ", prob_meas0_prep1 = " + number(e.p0_given_1);
}

// PETSc objects that destroy themselves.
struct VecHandle {
  Vec v = nullptr;
  ~VecHandle() { VecDestroy(&v); }
};
struct MatHandle {
  Mat m = nullptr;
  ~MatHandle() { MatDestroy(&m); }
};
struct TaoHandle {
  Tao t = nullptr;
  ~TaoHandle() { TaoDestroy(&t); }
};

struct Problem {
  const ReadoutCalibration& calibration;
  std::span<const double> f;
  std::vector<double> residual;  // A p - f, workspace
};

/// F(p) = ||A p - f||^2, gradient 2 A^T (A p - f).
PetscErrorCode objective_and_gradient(Tao, Vec x, PetscReal* value, Vec gradient, void* context) {
  PetscFunctionBeginUser;
  auto& problem = *static_cast<Problem*>(context);
  const PetscScalar* p = nullptr;
  PetscCall(VecGetArrayRead(x, &p));
  std::copy(p, p + problem.f.size(), problem.residual.begin());
  PetscCall(VecRestoreArrayRead(x, &p));
  problem.calibration.apply(problem.residual);
  double sum = 0.0;
  for (std::size_t i = 0; i < problem.f.size(); ++i) {
    problem.residual[i] -= problem.f[i];
    sum += problem.residual[i] * problem.residual[i];
  }
  *value = sum;
  PetscScalar* g = nullptr;
  PetscCall(VecGetArray(gradient, &g));
  std::span<double> gs(g, problem.f.size());
  std::copy(problem.residual.begin(), problem.residual.end(), gs.begin());
  problem.calibration.apply_transpose(gs);
  for (double& gi : gs) gi *= 2.0;
  PetscCall(VecRestoreArray(gradient, &g));
  PetscFunctionReturn(0);
}

/// y = H x with the constant Hessian H = 2 A^T A (for TAO's Newton types).
PetscErrorCode hessian_multiply(Mat h, Vec x, Vec y) {
  PetscFunctionBeginUser;
  Problem* problem = nullptr;
  PetscCall(MatShellGetContext(h, &problem));
  const PetscScalar* xs = nullptr;
  PetscScalar* ys = nullptr;
  PetscCall(VecGetArrayRead(x, &xs));
  PetscCall(VecGetArray(y, &ys));
  std::span<double> v(ys, problem->f.size());
  std::copy(xs, xs + v.size(), v.begin());
  problem->calibration.apply(v);
  problem->calibration.apply_transpose(v);
  for (double& vi : v) vi *= 2.0;
  PetscCall(VecRestoreArray(y, &ys));
  PetscCall(VecRestoreArrayRead(x, &xs));
  PetscFunctionReturn(0);
}

PetscErrorCode constant_hessian(Tao, Vec, Mat, Mat, void*) { return 0; }

void check_distribution(const ReadoutCalibration& calibration, std::span<const double> f) {
  if (f.size() != calibration.num_outcomes())
    throw core::InputError("readout mitigation: a distribution of " + std::to_string(f.size()) +
                           " outcomes for a calibration of " +
                           std::to_string(calibration.num_qubits()) + " qubits (" +
                           std::to_string(calibration.num_outcomes()) + " outcomes)");
  double sum = 0.0;
  for (std::size_t i = 0; i < f.size(); ++i) {
    if (!(f[i] >= 0.0) || !std::isfinite(f[i]))
      throw core::InputError("readout mitigation: measured probability of outcome " +
                             std::to_string(i) + " is " + number(f[i]) + " (must be >= 0)");
    sum += f[i];
  }
  if (std::abs(sum - 1.0) > 1e-9)
    throw core::InputError("readout mitigation: the measured distribution sums to " +
                           number(sum) + ", not 1");
}

void renormalise(std::vector<double>& p, const char* what) {
  for (double& x : p) x = std::max(x, 0.0);
  const double sum = std::accumulate(p.begin(), p.end(), 0.0);
  if (!(sum > 0.0))
    throw core::InternalError(std::string("readout mitigation: ") + what + " is all zero");
  for (double& x : p) x /= sum;
}

}  // namespace

ReadoutCalibration::ReadoutCalibration(std::vector<sim::ReadoutError> per_qubit)
    : per_qubit_(std::move(per_qubit)) {
  if (per_qubit_.empty() || per_qubit_.size() > kMaxQubits)
    throw core::InputError("readout calibration: " + std::to_string(per_qubit_.size()) +
                           " qubits (1 to " + std::to_string(kMaxQubits) + ")");
  for (int k = 0; k < num_qubits(); ++k) {
    const sim::ReadoutError& e = per_qubit_[k];
    const bool in_range = e.p1_given_0 >= 0.0 && e.p1_given_0 <= 1.0 && e.p0_given_1 >= 0.0 &&
                          e.p0_given_1 <= 1.0;
    if (!in_range)
      throw core::InputError("readout calibration: qubit " + std::to_string(k) + " has " +
                             describe(e) + " (probabilities in [0, 1])");
    if (!invertible(e))
      throw core::InputError("readout calibration: qubit " + std::to_string(k) + " has " +
                             describe(e) + ": their sum must be < 1 for an invertible " +
                             "assignment matrix");
  }
}

void ReadoutCalibration::apply(std::span<double> v) const {
  if (v.size() != num_outcomes())
    throw core::InputError("readout calibration: a vector of " + std::to_string(v.size()) +
                           " entries for " + std::to_string(num_qubits()) + " qubits");
  apply_tensored(v, num_qubits(), [this](int k) {
    const sim::ReadoutError& e = per_qubit_[k];
    return std::array{1 - e.p1_given_0, e.p0_given_1, e.p1_given_0, 1 - e.p0_given_1};
  });
}

void ReadoutCalibration::apply_transpose(std::span<double> v) const {
  if (v.size() != num_outcomes())
    throw core::InputError("readout calibration: a vector of " + std::to_string(v.size()) +
                           " entries for " + std::to_string(num_qubits()) + " qubits");
  apply_tensored(v, num_qubits(), [this](int k) {
    const sim::ReadoutError& e = per_qubit_[k];
    return std::array{1 - e.p1_given_0, e.p1_given_0, e.p0_given_1, 1 - e.p0_given_1};
  });
}

void ReadoutCalibration::apply_inverse(std::span<double> v) const {
  if (v.size() != num_outcomes())
    throw core::InputError("readout calibration: a vector of " + std::to_string(v.size()) +
                           " entries for " + std::to_string(num_qubits()) + " qubits");
  apply_tensored(v, num_qubits(), [this](int k) {
    const sim::ReadoutError& e = per_qubit_[k];
    const double det = 1 - e.p1_given_0 - e.p0_given_1;
    return std::array{(1 - e.p0_given_1) / det, -e.p0_given_1 / det, -e.p1_given_0 / det,
                      (1 - e.p1_given_0) / det};
  });
}

ReadoutCalibration from_device(const DeviceModel& device, const Layout& layout) {
  std::vector<sim::ReadoutError> per_qubit(layout.final.size());
  for (std::size_t k = 0; k < per_qubit.size(); ++k) {
    const int compact = layout.final[k];
    if (compact < 0 || compact >= static_cast<int>(layout.physical.size()))
      throw core::InputError("readout calibration: circuit qubit " + std::to_string(k) +
                             " is measured on compact qubit " + std::to_string(compact) +
                             " of a layout of " + std::to_string(layout.physical.size()));
    const int device_qubit = layout.physical[compact];
    if (device_qubit < 0 || device_qubit >= device.num_qubits())
      throw core::InputError("readout calibration: circuit qubit " + std::to_string(k) +
                             " is measured on device qubit " + std::to_string(device_qubit) +
                             "; " + device.name() + " has " + std::to_string(device.num_qubits()));
    const QubitCalibration& c = device.qubit(device_qubit);
    per_qubit[k] = {c.prob_meas1_prep0, c.prob_meas0_prep1};
    if (!invertible(per_qubit[k]))
      throw core::DataError("readout calibration: " + device.name() + " qubit " +
                            std::to_string(device_qubit) + " has " + describe(per_qubit[k]) +
                            ": their sum must be < 1 for readout mitigation");
  }
  return ReadoutCalibration(std::move(per_qubit));
}

ReadoutCalibration from_calibration_counts(std::span<const std::uint64_t> counts_all0,
                                           std::span<const std::uint64_t> counts_all1) {
  if (counts_all0.size() != counts_all1.size())
    throw core::InputError("readout calibration: counts of the |0...0> circuit have " +
                           std::to_string(counts_all0.size()) + " outcomes, of the |1...1> circuit " +
                           std::to_string(counts_all1.size()));
  const int q = qubits_of_length(counts_all0.size());
  if (q < 1 || q > kMaxQubits)
    throw core::InputError("readout calibration: counts of " + std::to_string(counts_all0.size()) +
                           " outcomes (a power of two, 2 to 2^" + std::to_string(kMaxQubits) + ")");
  const auto shots0 = std::accumulate(counts_all0.begin(), counts_all0.end(), std::uint64_t{0});
  const auto shots1 = std::accumulate(counts_all1.begin(), counts_all1.end(), std::uint64_t{0});
  if (shots0 == 0 || shots1 == 0)
    throw core::InputError(std::string("readout calibration: the |") + (shots0 == 0 ? "0...0" : "1...1") +
                           "> circuit has zero shots");
  std::vector<std::uint64_t> read1_of_0(q, 0), read0_of_1(q, 0);
  for (std::size_t x = 0; x < counts_all0.size(); ++x)
    for (int k = 0; k < q; ++k) {
      const bool bit = (x >> (q - 1 - k)) & 1;  // qubit 0 the most significant bit
      if (bit) read1_of_0[k] += counts_all0[x];
      if (!bit) read0_of_1[k] += counts_all1[x];
    }
  std::vector<sim::ReadoutError> per_qubit(q);
  for (int k = 0; k < q; ++k) {
    per_qubit[k] = {static_cast<double>(read1_of_0[k]) / static_cast<double>(shots0),
                    static_cast<double>(read0_of_1[k]) / static_cast<double>(shots1)};
    if (!invertible(per_qubit[k]))
      throw core::DataError("readout calibration: the calibration counts give qubit " +
                            std::to_string(k) + " " + describe(per_qubit[k]) +
                            ": their sum must be < 1 for readout mitigation");
  }
  return ReadoutCalibration(std::move(per_qubit));
}

std::vector<double> inverse_estimate(const ReadoutCalibration& calibration, std::span<const double> f) {
  check_distribution(calibration, f);
  std::vector<double> p(f.begin(), f.end());
  calibration.apply_inverse(p);
  return p;
}

std::vector<double> clipped_inverse_estimate(const ReadoutCalibration& calibration,
                                             std::span<const double> f) {
  std::vector<double> p = inverse_estimate(calibration, f);
  renormalise(p, "the clipped inverse");  // sum(A^-1 f) = 1, so some entry is positive
  return p;
}

MitigationResult solve_mitigation(const ReadoutCalibration& calibration, std::span<const double> f,
                                  const MitigationOptions& options) {
  check_distribution(calibration, f);
  if (!(options.gradient_tolerance >= 0.0) || !(options.stall_tolerance >= 0.0) ||
      options.max_iterations < 1)
    throw core::InputError("readout mitigation: gradient tolerance " +
                           number(options.gradient_tolerance) + ", stall tolerance " +
                           number(options.stall_tolerance) + ", max iterations " +
                           std::to_string(options.max_iterations) + " (>= 0, >= 0, >= 1)");
  PetscBool initialised = PETSC_FALSE;
  PetscInitialized(&initialised);
  if (!initialised) throw core::InternalError("readout mitigation: PETSc is not initialised");

  using train::check_petsc;
  const auto n = static_cast<PetscInt>(f.size());
  Problem problem{calibration, f, std::vector<double>(f.size())};

  VecHandle x, lower, upper;
  check_petsc(VecCreateSeq(PETSC_COMM_SELF, n, &x.v), "VecCreateSeq");
  check_petsc(VecDuplicate(x.v, &lower.v), "VecDuplicate");
  check_petsc(VecDuplicate(x.v, &upper.v), "VecDuplicate");
  check_petsc(VecSet(lower.v, 0.0), "VecSet");
  check_petsc(VecSet(upper.v, PETSC_INFINITY), "VecSet");
  {
    std::vector<double> start(f.size(), 1.0 / static_cast<double>(f.size()));
    if (options.start_from_inverse) start = clipped_inverse_estimate(calibration, f);
    PetscScalar* a = nullptr;
    check_petsc(VecGetArray(x.v, &a), "VecGetArray");
    std::copy(start.begin(), start.end(), a);
    check_petsc(VecRestoreArray(x.v, &a), "VecRestoreArray");
  }

  TaoHandle tao;
  check_petsc(TaoCreate(PETSC_COMM_SELF, &tao.t), "TaoCreate");
  check_petsc(TaoSetOptionsPrefix(tao.t, "readout_mitigation_"), "TaoSetOptionsPrefix");
  train::check_petsc_options(TaoSetType(tao.t, options.tao_type.c_str()),
                             "readout mitigation: TAO type");
  check_petsc(TaoSetSolution(tao.t, x.v), "TaoSetSolution");
  check_petsc(TaoSetVariableBounds(tao.t, lower.v, upper.v), "TaoSetVariableBounds");
  check_petsc(TaoSetObjectiveAndGradient(tao.t, nullptr, &objective_and_gradient, &problem),
              "TaoSetObjectiveAndGradient");
  MatHandle hessian;
  check_petsc(MatCreateShell(PETSC_COMM_SELF, n, n, n, n, &problem, &hessian.m), "MatCreateShell");
  check_petsc(MatShellSetOperation(hessian.m, MATOP_MULT,
                                   reinterpret_cast<void (*)(void)>(&hessian_multiply)),
              "MatShellSetOperation");
  check_petsc(MatSetOption(hessian.m, MAT_SYMMETRIC, PETSC_TRUE), "MatSetOption");
  check_petsc(TaoSetHessian(tao.t, hessian.m, hessian.m, &constant_hessian, nullptr), "TaoSetHessian");
  check_petsc(TaoSetTolerances(tao.t, options.gradient_tolerance, 0.0, 0.0), "TaoSetTolerances");
  check_petsc(TaoSetMaximumIterations(tao.t, options.max_iterations), "TaoSetMaximumIterations");
  check_petsc(TaoSetMaximumFunctionEvaluations(tao.t, PETSC_MAX_INT),
              "TaoSetMaximumFunctionEvaluations");
  train::check_petsc_options(TaoSetFromOptions(tao.t),
                             "readout mitigation: TaoSetFromOptions (-readout_mitigation_tao_*)");
  check_petsc(TaoSolve(tao.t), "readout mitigation: TaoSolve");

  MitigationResult result;
  TaoConvergedReason reason;
  check_petsc(TaoGetConvergedReason(tao.t, &reason), "TaoGetConvergedReason");
  result.tao_reason = TaoConvergedReasons[reason];
  PetscInt iterations = 0;
  PetscReal value = 0, gradient_norm = 0, constraint_norm = 0, step = 0;
  check_petsc(TaoGetSolutionStatus(tao.t, &iterations, &value, &gradient_norm, &constraint_norm,
                                   &step, nullptr),
              "TaoGetSolutionStatus");
  result.iterations = static_cast<int>(iterations);
  result.gradient_norm = gradient_norm;
  // A line search that finds no decrease near the minimum has reached the rounding of F.
  const bool at_rounding_floor =
      reason == TAO_DIVERGED_LS_FAILURE && gradient_norm <= options.stall_tolerance;
  result.converged = reason > 0 || at_rounding_floor;
  if (reason < 0 && reason != TAO_DIVERGED_MAXITS && !at_rounding_floor)
    throw core::PetscError("readout mitigation: TAO (" + options.tao_type + ") stopped with " +
                           result.tao_reason + " after " + std::to_string(iterations) +
                           " iterations, projected gradient norm " + number(gradient_norm));

  const PetscScalar* a = nullptr;
  check_petsc(VecGetArrayRead(x.v, &a), "VecGetArrayRead");
  result.probabilities.assign(a, a + f.size());
  check_petsc(VecRestoreArrayRead(x.v, &a), "VecRestoreArrayRead");
  std::vector<double> r = result.probabilities;
  calibration.apply(r);
  double square = 0.0;
  for (std::size_t i = 0; i < r.size(); ++i) square += (r[i] - f[i]) * (r[i] - f[i]);
  result.residual = std::sqrt(square);
  renormalise(result.probabilities, "the least-squares solution");
  return result;
}

std::vector<double> mitigate_distribution(const ReadoutCalibration& calibration,
                                          std::span<const double> f,
                                          const MitigationOptions& options) {
  return solve_mitigation(calibration, f, options).probabilities;
}

std::vector<double> mitigate(const ReadoutCalibration& calibration,
                             std::span<const std::uint64_t> counts,
                             const MitigationOptions& options) {
  if (counts.size() != calibration.num_outcomes())
    throw core::InputError("readout mitigation: counts of " + std::to_string(counts.size()) +
                           " outcomes for a calibration of " +
                           std::to_string(calibration.num_qubits()) + " qubits (" +
                           std::to_string(calibration.num_outcomes()) + " outcomes)");
  const auto shots = std::accumulate(counts.begin(), counts.end(), std::uint64_t{0});
  if (shots == 0) throw core::InputError("readout mitigation: counts with zero shots");
  std::vector<double> f(counts.size());
  for (std::size_t i = 0; i < counts.size(); ++i)
    f[i] = static_cast<double>(counts[i]) / static_cast<double>(shots);
  return mitigate_distribution(calibration, f, options);
}

}  // namespace qgen::hw
