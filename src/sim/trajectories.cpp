#include "qgen/sim/trajectories.hpp"

#include <cmath>
#include <string>

#include "qgen/core/errors.hpp"
#include "qgen/sim/kernels.hpp"
#include "qgen/sim/shared_prefixes.hpp"

namespace qgen::sim {
namespace {

enum Pending : unsigned char { kNone = 0, kUnitary = 1, kGeneral = 2 };

const Matrix2 kPaulis[4] = {gates::identity2(), gates::pauli_x(), gates::pauli_y(),
                            gates::pauli_z()};

/// Index of the branch that a uniform u in [0, 1) selects from weights summing to `total`.
template <typename Weights>
std::size_t choose(const Weights& weights, double total, double u) {
  const double target = u * total;
  double cumulative = 0.0;
  std::size_t last = 0;
  for (std::size_t k = 0; k < weights.size(); ++k) {
    if (weights[k] <= 0.0) continue;
    cumulative += weights[k];
    last = k;
    if (target < cumulative) return k;
  }
  return last;  // u * total at the very top, past the rounded cumulative sum
}

void apply_one(StateVector& psi, int qubit, const Matrix2& m, double* probabilities = nullptr) {
  if (m.m[1] == 0.0 && m.m[2] == 0.0) apply_diagonal(psi, qubit, {m.m[0], m.m[3]}, probabilities);
  else apply_matrix(psi, qubit, m, probabilities);
}

/// A trajectory's state: psi with one pending matrix per qubit still to be applied.
struct Trajectory {
  StateVector psi;
  std::vector<Matrix2> pending;
  std::vector<unsigned char> kind;
  std::uint64_t next_site = 0;
  std::vector<double> branch_weights;  // scratch

  explicit Trajectory(int n) : psi(n), pending(n, gates::identity2()), kind(n, kNone) {}

  void compose(int q, const Matrix2& m, Pending how) {
    pending[q] = kind[q] == kNone ? m : m * pending[q];
    kind[q] = std::max<unsigned char>(kind[q], how);
  }

  void flush(int q, double* probabilities = nullptr) {
    if (kind[q] == kNone) return;
    apply_one(psi, q, pending[q], probabilities);
    kind[q] = kNone;
  }

  void two_qubit(int a, int b, const Matrix4* gate) {  // gate == nullptr: CNOT
    if (!gate && (kind[a] == kNone || kind[b] == kNone)) {
      // One pending matrix: a 2x2 pass and the CNOT's permutation cost less than a 4x4 pass.
      flush(a);
      flush(b);
      apply_cnot(psi, a, b);
      return;
    }
    if (kind[a] == kNone && kind[b] == kNone) return apply_matrix(psi, a, b, *gate);
    const Matrix4 before = kron(kind[a] ? pending[a] : gates::identity2(),
                                kind[b] ? pending[b] : gates::identity2());
    apply_matrix(psi, a, b, (gate ? *gate : gates::cnot()) * before);
    kind[a] = kind[b] = kNone;
  }

  /// A channel whose branch probabilities depend on the state: with probability a (its
  /// identity part) nothing happens; otherwise branch k of the remainder with probability
  /// tr(L_k^+ L_k rho_q), rho_q the qubit's reduced state.
  void branch(int q, const KrausChannel& channel, double u) {
    const double a = channel.identity_weight();
    if (u < a) return;
    u = (u - a) / (1.0 - a);
    // Non-unitary factors pending on other qubits condition qubit q's state: apply them.
    for (int r = 0; r < psi.num_qubits(); ++r)
      if (r != q && kind[r] == kGeneral) flush(r);
    // rho_q(a, b) = R(b, a) (kernels.hpp), then the pending matrix P: rho' = P rho P^+.
    const Matrix2 r = reduced_overlap(psi, psi, q);
    Matrix2 rho{{r.m[0], r.m[2], r.m[1], r.m[3]}};
    if (kind[q] != kNone) rho = pending[q] * rho * adjoint(pending[q]);
    const auto& effects = channel.remainder_effects();
    std::vector<double>& p = branch_weights;
    p.assign(effects.size(), 0.0);
    double total = 0.0;
    for (std::size_t k = 0; k < effects.size(); ++k) {
      const Matrix2& e = effects[k];  // tr(E rho)
      p[k] = std::max(0.0, (e.m[0] * rho.m[0] + e.m[1] * rho.m[2] + e.m[2] * rho.m[1] +
                            e.m[3] * rho.m[3]).real());
      total += p[k];
    }
    const std::size_t k = choose(p, total, u);
    Matrix2 step = channel.remainder()[k];
    const double scale = 1.0 / std::sqrt(p[k] / total);
    for (auto& x : step.m) x *= scale;
    compose(q, step, kGeneral);
  }

  void advance(const NoisyCircuit& circuit, std::size_t begin, std::size_t end,
               core::RandomStream& stream) {
    auto draw = [&] {
      stream.seek(next_site++);
      return stream.next_uniform();
    };
    for (std::size_t i = begin; i < end; ++i) {
      const NoisyOp& op = circuit.operations()[i];
      const int a = op.qubits[0], b = op.qubits[1];
      switch (op.kind) {
        case NoisyOpKind::unitary1: compose(a, circuit.matrix1(op), kUnitary); break;
        case NoisyOpKind::unitary2: two_qubit(a, b, &circuit.matrix2(op)); break;
        case NoisyOpKind::cnot: two_qubit(a, b, nullptr); break;
        case NoisyOpKind::channel1: {
          const KrausChannel& channel = circuit.channel(op);
          const double u = draw();
          if (channel.is_mixed_unitary()) {
            const std::size_t k = choose(channel.weights(), 1.0, u);
            compose(a, channel.unitaries()[k], kUnitary);
          } else {
            branch(a, channel, u);
          }
          break;
        }
        case NoisyOpKind::depolarizing2: {
          // Identity with weight 1 - 15p/16, each other Pauli pair (k = 1..15) with p/16.
          const double p = circuit.depolarizing(op);
          const double u = draw();
          if (u < p * 15.0 / 16.0) {
            const int k = 1 + std::min(14, static_cast<int>(u / (p / 16.0)));
            compose(a, kPaulis[k >> 2], kUnitary);
            compose(b, kPaulis[k & 3], kUnitary);
          }
          break;
        }
      }
    }
  }

  void finish(std::span<double> probabilities) {
    int last = -1;
    for (int q = 0; q < psi.num_qubits(); ++q)
      if (kind[q] != kNone) last = q;
    if (last < 0) return compute_probabilities(psi, probabilities);
    for (int q = 0; q < last; ++q) flush(q);
    flush(last, probabilities.data());
  }
};

}  // namespace

std::vector<TrajectoryEstimate> trajectory_probabilities(std::span<const NoisyCircuit> circuits,
                                                         const TrajectoryOptions& options,
                                                         const TrajectoryObserver& observer) {
  if (options.trajectories < 1 || options.trajectories > kMaxTrajectories)
    throw core::InputError("trajectories: " + std::to_string(options.trajectories) +
                           " trajectories (1 to " + std::to_string(kMaxTrajectories) + ")");
  if (options.part >= static_cast<std::uint32_t>(kMaxParts))
    throw core::InputError("trajectories: register part " + std::to_string(options.part) +
                           " (at most " + std::to_string(kMaxParts - 1) + ")");
  std::vector<TrajectoryEstimate> result(circuits.size());
  if (circuits.empty()) return result;
  const SharingPlan plan = plan_shared_prefixes(circuits);
  const int n = circuits.front().num_qubits();
  const std::size_t dim = std::size_t{1} << n;
  // Sums of the deviations from each circuit's first trajectory (shifted data): numerically
  // stable, and exactly zero spread when every trajectory is the same.
  std::vector<std::vector<double>> first(circuits.size(), std::vector<double>(dim, 0.0));
  std::vector<std::vector<double>> sum = first, sum_squares = first;
  std::vector<double> p(dim);

  const Trajectory initial(n);
  Trajectory work = initial;
  PrefixStack<Trajectory> stack;
  for (int t = 0; t < options.trajectories; ++t) {
    core::RandomStream stream(options.seed, trajectory_stream(options.batch, static_cast<std::uint32_t>(t), options.part));
    run_shared_prefixes(
        circuits, plan, initial, work, stack,
        [&](Trajectory& s, const NoisyCircuit& c, std::size_t begin, std::size_t end) {
          s.advance(c, begin, end, stream);
        },
        [&](int index, Trajectory& s) {
          s.finish(p);
          if (t == 0) first[index] = p;
          const double* shift = first[index].data();
          double* acc = sum[index].data();
          double* acc2 = sum_squares[index].data();
          for (std::size_t x = 0; x < dim; ++x) {
            const double d = p[x] - shift[x];
            acc[x] += d;
            acc2[x] += d * d;
          }
          if (observer) observer(index, t, p);
        });
  }

  const double m = options.trajectories;
  for (std::size_t c = 0; c < circuits.size(); ++c) {
    TrajectoryEstimate& e = result[c];
    e.probabilities.resize(dim);
    e.standard_error.resize(dim);
    for (std::size_t x = 0; x < dim; ++x) {
      e.probabilities[x] = first[c][x] + sum[c][x] / m;
      const double variance =
          m > 1 ? std::max(0.0, (sum_squares[c][x] - sum[c][x] * sum[c][x] / m) / (m - 1)) : 0.0;
      e.standard_error[x] = std::sqrt(variance / m);
    }
  }
  return result;
}

}  // namespace qgen::sim
