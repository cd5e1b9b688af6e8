#include "qgen/sim/density_matrix.hpp"

#include <algorithm>
#include <string>

#include "qgen/core/errors.hpp"
#include "qgen/sim/kernels.hpp"
#include "qgen/sim/shared_prefixes.hpp"

namespace qgen::sim {
namespace {

int checked_qubits(int num_qubits) {
  if (num_qubits < 1 || num_qubits > DensityMatrix::kMaxQubits)
    throw core::InputError("density matrix: " + std::to_string(num_qubits) +
                           " qubits (1 to " + std::to_string(DensityMatrix::kMaxQubits) +
                           " supported; use trajectories for more)");
  return num_qubits;
}

Matrix2 conjugate(const Matrix2& u) {
  Matrix2 c;
  for (int k = 0; k < 4; ++k) c.m[k] = std::conj(u.m[k]);
  return c;
}

Matrix4 conjugate(const Matrix4& u) {
  Matrix4 c;
  for (int k = 0; k < 16; ++k) c.m[k] = std::conj(u.m[k]);
  return c;
}

/// `compact` with a zero bit inserted at each of `positions` (ascending).
std::size_t insert_zero_bits(std::size_t compact, std::span<const int> positions) {
  for (int p : positions) {
    const std::size_t low = compact & ((std::size_t{1} << p) - 1);
    compact = ((compact >> p) << (p + 1)) | low;
  }
  return compact;
}

/// A density matrix with the one-qubit superoperators not yet applied (DESIGN: fusion).
struct FusedDensity {
  DensityMatrix rho;
  std::vector<Matrix4> pending;
  std::vector<char> has_pending;

  explicit FusedDensity(int n) : rho(n), pending(n), has_pending(n, 0) {}

  void add(int q, const Matrix4& s) {
    pending[q] = has_pending[q] ? s * pending[q] : s;
    has_pending[q] = 1;
  }
  void flush(int q) {
    if (!has_pending[q]) return;
    rho.apply_superoperator(q, pending[q]);
    has_pending[q] = 0;
  }
  void flush_all() {
    for (int q = 0; q < rho.num_qubits(); ++q) flush(q);
  }

  void advance(const NoisyCircuit& circuit, std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) {
      const NoisyOp& op = circuit.operations()[i];
      const int a = op.qubits[0], b = op.qubits[1];
      switch (op.kind) {
        case NoisyOpKind::unitary1: {
          const Matrix2& u = circuit.matrix1(op);
          add(a, kron(u, conjugate(u)));
          break;
        }
        case NoisyOpKind::channel1: add(a, circuit.channel(op).superoperator()); break;
        case NoisyOpKind::unitary2:
          flush(a);
          flush(b);
          rho.apply(a, b, circuit.matrix2(op));
          break;
        case NoisyOpKind::cnot:
          flush(a);
          flush(b);
          rho.apply_cnot(a, b);
          break;
        case NoisyOpKind::depolarizing2:
          flush(a);
          flush(b);
          rho.depolarize(a, b, circuit.depolarizing(op));
          break;
      }
    }
  }
};

}  // namespace

DensityMatrix::DensityMatrix(int num_qubits)
    : num_qubits_(checked_qubits(num_qubits)), vec_(2 * num_qubits) {}

DensityMatrix::DensityMatrix(const StateVector& psi)
    : num_qubits_(checked_qubits(psi.num_qubits())), vec_(2 * psi.num_qubits()) {
  const std::size_t d = dimension();
  for (std::size_t r = 0; r < d; ++r)
    for (std::size_t c = 0; c < d; ++c)
      vec_.set_amplitude((r << num_qubits_) | c, psi.amplitude(r) * std::conj(psi.amplitude(c)));
}

void DensityMatrix::apply(int qubit, const Matrix2& u) {
  apply_matrix(vec_, qubit, u);
  apply_matrix(vec_, num_qubits_ + qubit, conjugate(u));
}

void DensityMatrix::apply(int qubit_a, int qubit_b, const Matrix4& u) {
  apply_matrix(vec_, qubit_a, qubit_b, u);
  apply_matrix(vec_, num_qubits_ + qubit_a, num_qubits_ + qubit_b, conjugate(u));
}

void DensityMatrix::apply_cnot(int control, int target) {
  sim::apply_cnot(vec_, control, target);  // CNOT is real: conj(CNOT) = CNOT on the columns
  sim::apply_cnot(vec_, num_qubits_ + control, num_qubits_ + target);
}

void DensityMatrix::apply_superoperator(int qubit, const Matrix4& superoperator) {
  apply_matrix(vec_, qubit, num_qubits_ + qubit, superoperator);
}

void DensityMatrix::depolarize(int qubit_a, int qubit_b, double p) {
  const int n = num_qubits_;
  if (qubit_a < 0 || qubit_a >= n || qubit_b < 0 || qubit_b >= n || qubit_a == qubit_b)
    throw std::invalid_argument("density matrix: depolarising on qubits " +
                                std::to_string(qubit_a) + ", " + std::to_string(qubit_b) +
                                " of " + std::to_string(n));
  // Bit positions inside a vec index: columns low, rows high.
  const int col_a = n - 1 - qubit_a, col_b = n - 1 - qubit_b;
  std::array<int, 4> positions{col_a, col_b, n + col_a, n + col_b};
  std::sort(positions.begin(), positions.end());
  auto pattern = [&](int x, int y) {  // row bits x = (a, b), column bits y = (a, b)
    return (std::size_t(x >> 1) << (n + col_a)) | (std::size_t(x & 1) << (n + col_b)) |
           (std::size_t(y >> 1) << col_a) | (std::size_t(y & 1) << col_b);
  };
  std::array<std::size_t, 16> offset;
  for (int x = 0; x < 4; ++x)
    for (int y = 0; y < 4; ++y) offset[4 * x + y] = pattern(x, y);
  double* re = vec_.real();
  double* im = vec_.imag();
  const std::size_t blocks = vec_.size() >> 4;
  for (std::size_t k = 0; k < blocks; ++k) {
    const std::size_t base = insert_zero_bits(k, positions);
    double t_re = 0.0, t_im = 0.0;  // the partial trace over (a, b) at this (rest row, rest column)
    for (int x = 0; x < 4; ++x) {
      t_re += re[base + offset[5 * x]];
      t_im += im[base + offset[5 * x]];
    }
    for (int j = 0; j < 16; ++j) {
      re[base + offset[j]] *= 1.0 - p;
      im[base + offset[j]] *= 1.0 - p;
    }
    for (int x = 0; x < 4; ++x) {
      re[base + offset[5 * x]] += p * t_re / 4;
      im[base + offset[5 * x]] += p * t_im / 4;
    }
  }
}

double DensityMatrix::trace() const {
  double t = 0.0;
  for (std::size_t i = 0; i < dimension(); ++i) t += element(i, i).real();
  return t;
}

std::vector<double> DensityMatrix::probabilities() const {
  std::vector<double> p(dimension());
  probabilities(p);
  return p;
}

void DensityMatrix::probabilities(std::span<double> out) const {
  if (out.size() != dimension())
    throw std::invalid_argument("density matrix: probabilities need " +
                                std::to_string(dimension()) + " entries");
  // Diagonal entries are real up to rounding; clamp the rounding below zero away.
  for (std::size_t i = 0; i < dimension(); ++i) out[i] = std::max(0.0, element(i, i).real());
}

std::vector<std::vector<double>> density_matrix_probabilities(std::span<const NoisyCircuit> circuits) {
  std::vector<std::vector<double>> result(circuits.size());
  if (circuits.empty()) return result;
  const SharingPlan plan = plan_shared_prefixes(circuits);
  const FusedDensity initial(circuits.front().num_qubits());
  FusedDensity work = initial;
  PrefixStack<FusedDensity> stack;
  run_shared_prefixes(
      circuits, plan, initial, work, stack,
      [](FusedDensity& s, const NoisyCircuit& c, std::size_t begin, std::size_t end) {
        s.advance(c, begin, end);
      },
      [&](int index, FusedDensity& s) {
        s.flush_all();
        result[index] = s.rho.probabilities();
      });
  return result;
}

}  // namespace qgen::sim
