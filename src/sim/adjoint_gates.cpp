#include "qgen/sim/adjoint_gates.hpp"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <new>
#include <stdexcept>
#include <string>

#include "qgen/sim/adjoint_step.hpp"
#include "qgen/sim/simulator.hpp"

namespace qgen::sim {
namespace {

// Matrices of one fused gate in its own basis: dim x dim (2 or 4), row-major in 16 entries.
using Small = std::array<Complex, 16>;

Small product(const Small& a, const Small& b, int dim) {
  Small c{};
  for (int i = 0; i < dim; ++i)
    for (int k = 0; k < dim; ++k) {
      const Complex aik = a[i * dim + k];
      if (aik == Complex{}) continue;  // operation matrices (Kronecker products, permutations)
      for (int j = 0; j < dim; ++j) c[i * dim + j] += aik * b[k * dim + j];
    }
  return c;
}

// a b^+, b an operation's matrix (mostly zeros)
Small product_adjoint(const Small& a, const Small& b, int dim) {
  Small c{};
  for (int j = 0; j < dim; ++j)
    for (int k = 0; k < dim; ++k) {
      const Complex bjk = std::conj(b[j * dim + k]);
      if (bjk == Complex{}) continue;
      for (int i = 0; i < dim; ++i) c[i * dim + j] += a[i * dim + k] * bjk;
    }
  return c;
}

// The gate's full matrix (diagonal kinds keep only their diagonal).
Small dense_matrix(const BoundGate& gate, int dim) {
  if (gate.kind != FusedKind::Diagonal1 && gate.kind != FusedKind::Diagonal2) return gate.matrix;
  Small m{};
  for (int k = 0; k < dim; ++k) m[k * dim + k] = gate.matrix[k];
  return m;
}

}  // namespace

namespace {

// Where the second state of a StatePair starts: 5 cache lines (40 doubles) after the first
// state's 64-byte-rounded end.
std::size_t second_offset(int num_qubits) {
  return ((std::size_t{2} << num_qubits) + 7) / 8 * 8 + 40;
}

std::shared_ptr<double> allocate_pair(int num_qubits) {
  const std::size_t doubles = second_offset(num_qubits) + (std::size_t{2} << num_qubits);
  void* p = std::aligned_alloc(64, (doubles * sizeof(double) + 63) / 64 * 64);
  if (p == nullptr) throw std::bad_alloc();
  return std::shared_ptr<double>(static_cast<double*>(p), [](double* q) { std::free(q); });
}

}  // namespace

StatePair::StatePair(int num_qubits)
    : storage(allocate_pair(num_qubits)),
      first(num_qubits, std::span<double>(storage.get(), std::size_t{2} << num_qubits)),
      second(num_qubits, std::span<double>(storage.get() + second_offset(num_qubits),
                                           std::size_t{2} << num_qubits)) {}

int block_bits_for(int requested, int num_qubits) {
  if (requested < kAutomaticBlocks || requested == 1 || requested == 2)
    throw std::invalid_argument("adjoint: blocks of " + std::to_string(requested) +
                                " bits (0 for none, 3 and up, or automatic)");
  int bits = requested;
  if (requested == kAutomaticBlocks) {
    // lambda and phi: 32 bytes per amplitude.
    const bool beyond_cache = num_qubits >= 40 || (std::size_t{32} << num_qubits) >= (std::size_t{16} << 20);
    bits = beyond_cache ? 14 : 0;
  }
  return bits > 0 && num_qubits > bits ? bits : 0;
}

void multiply_by_weights(StateVector& state, std::span<const double> weights) {
  multiply_by_weights(state, state, weights);
}

void multiply_by_weights(const StateVector& source, StateVector& state,
                         std::span<const double> weights) {
  if (weights.size() != state.size())
    throw std::invalid_argument("adjoint: the weights need one entry per amplitude");
  if (source.size() != state.size())
    throw std::invalid_argument("adjoint: the weighted states differ in size");
  const double* src_re = source.real();
  const double* src_im = source.imag();
  double* re = state.real();
  double* im = state.imag();
  for (std::size_t x = 0; x < state.size(); ++x) {
    re[x] = src_re[x] * weights[x];
    im[x] = src_im[x] * weights[x];
  }
}

BoundGate adjoint(const BoundGate& gate) {
  BoundGate out = gate;
  switch (gate.kind) {
    case FusedKind::Matrix1:
      for (int r = 0; r < 2; ++r)
        for (int c = 0; c < 2; ++c) out.matrix[2 * r + c] = std::conj(gate.matrix[2 * c + r]);
      break;
    case FusedKind::Matrix2:
      for (int r = 0; r < 4; ++r)
        for (int c = 0; c < 4; ++c) out.matrix[4 * r + c] = std::conj(gate.matrix[4 * c + r]);
      break;
    case FusedKind::Diagonal1:
    case FusedKind::Diagonal2:
      for (Complex& d : out.matrix) d = std::conj(d);
      break;
    case FusedKind::CNOT: break;  // its own inverse
  }
  return out;
}

AdjointGates::AdjointGates(const Circuit& circuit, FusionLevel level)
    : circuit_(circuit), plan_(plan_fusion(circuit, level)), sites_(angle_sites(circuit_, plan_)),
      sites_of_group_(plan_.groups.size()), last_operation_with_sites_(plan_.groups.size(), -1) {
  for (const FusedGroup& group : plan_.groups) {
    first_slot_.push_back(static_cast<int>(operation_matrix_.size()));
    operation_matrix_.resize(operation_matrix_.size() + group.operations.size());
  }
  one_qubit_matrix_.resize(operation_matrix_.size());
  for (int s = 0; s < static_cast<int>(sites_.size()); ++s) {
    const int g = sites_[s].group;
    sites_of_group_[g].push_back(s);
    const auto& ops = plan_.groups[g].operations;
    const int k = static_cast<int>(std::find(ops.begin(), ops.end(), sites_[s].operation) - ops.begin());
    last_operation_with_sites_[g] = std::max(last_operation_with_sites_[g], k);
  }
  // The factored form: a dense two-qubit gate with angles, none of them between its first and
  // last two-qubit operations.
  form_.resize(plan_.groups.size());
  for (std::size_t g = 0; g < plan_.groups.size(); ++g) {
    const FusedGroup& group = plan_.groups[g];
    StepForm& form = form_[g];
    const auto& ops = group.operations;
    for (int k = 0; k < static_cast<int>(ops.size()); ++k)
      if (circuit_[ops[k]].num_qubits() == 2) {
        if (form.first_two < 0) form.first_two = k;
        form.last_two = k;
      }
    if (group.kind != FusedKind::Matrix2 || form.first_two < 0 || sites_of_group_[g].empty())
      continue;
    form.factored = true;
    for (int s : sites_of_group_[g]) {
      const int k = static_cast<int>(std::find(ops.begin(), ops.end(), sites_[s].operation) - ops.begin());
      if (k < form.first_two) form.before = true;
      else if (k > form.last_two) form.after = true;
      else form.factored = false;
    }
  }
}

void AdjointGates::bind(std::span<const double> parameters) {
  check_parameter_count(circuit_, parameters, "adjoint");
  parameters_.assign(parameters.begin(), parameters.end());
  // The gates bound as in bind_gates, keeping each operation's matrix for the backward steps.
  gates_.clear();
  for (std::size_t g = 0; g < plan_.groups.size(); ++g) {
    const FusedGroup& group = plan_.groups[g];
    for (std::size_t k = 0; k < group.operations.size(); ++k) {
      const int slot = first_slot_[g] + static_cast<int>(k);
      const int i = group.operations[k];
      const Operation& op = circuit_[i];
      if (op.num_qubits() == 1) {
        one_qubit_matrix_[slot] = matrix1(op.kind, angle_values(op, parameters_));
        operation_matrix_[slot] = embed_in_group(group, op.qubits[0], one_qubit_matrix_[slot]);
      } else {
        operation_matrix_[slot] = operation_in_group(group, circuit_, i, parameters_);
      }
    }
    gates_.push_back(fuse(group, std::span(operation_matrix_).subspan(first_slot_[g], group.operations.size())));
  }
}

void AdjointGates::add_gate_derivatives(int g, std::span<const Complex> r,
                                        std::span<double> gradient) const {
  const FusedGroup& group = plan_.groups[g];
  const int dim = group.qubits[1] < 0 ? 2 : 4;
  // S_1 = R^T U M_1^+
  Small s{};
  for (int a = 0; a < dim; ++a)
    for (int b = 0; b < dim; ++b) s[a * dim + b] = r[b * dim + a];
  const int first = first_slot_[g];
  Small m = operation_matrix_[first];
  s = product_adjoint(product(s, dense_matrix(gates_[g], dim), dim), m, dim);
  for (int k = 0;; ++k) {
    const int op_index = group.operations[k];
    const Operation& op = circuit_[op_index];
    const Small t = product(m, s, dim);  // M_k S_k
    if (op.num_angles() > 0) {
      // Angle a's generator is P_a M_k: its term is tr(P_a M_k S_k) = tr(P_a T).
      const auto angles = angle_values(op, parameters_);
      const auto frames = generator_frames(op.kind, angles, one_qubit_matrix_[first + k]);
      for (int site_index : sites_of_group_[g]) {
        const AngleSite& site = sites_[site_index];
        if (site.operation != op_index) continue;
        const Small p = embed_in_group(group, op.qubits[0], frames[site.angle]);
        Complex trace = 0.0;
        for (int i = 0; i < dim; ++i)
          for (int j = 0; j < dim; ++j)
            if (p[i * dim + j] != Complex{}) trace += p[i * dim + j] * t[j * dim + i];
        gradient[site.parameter] += site.scale * trace.imag();
      }
    }
    if (k == last_operation_with_sites_[g]) break;
    // S_{k+1} = M_k S_k M_{k+1}^+
    const Small& next = operation_matrix_[first + k + 1];
    s = product_adjoint(t, next, dim);
    m = next;
  }
}

namespace {

// Im <lambda|Q_q|phi> for a traceless Hermitian 2x2 Q on qubit slot j, from the Pauli
// overlaps: Q = c_x X + c_y Y + c_z Z with c = tr(Q P) / 2.
double pauli_combination(const Matrix2& q, const std::array<double, 6>& overlaps, int j) {
  const double cx = 0.5 * (q(0, 1).real() + q(1, 0).real());
  const double cy = 0.5 * (q(1, 0).imag() - q(0, 1).imag());
  const double cz = 0.5 * (q(0, 0).real() - q(1, 1).real());
  return cx * overlaps[3 * j] + cy * overlaps[3 * j + 1] + cz * overlaps[3 * j + 2];
}

}  // namespace

void AdjointGates::add_factored_derivatives(int g, const std::array<double, 6>& before,
                                            const std::array<double, 6>& after,
                                            std::span<double> gradient) const {
  const FusedGroup& group = plan_.groups[g];
  const StepForm& form = form_[g];
  const int first = first_slot_[g];
  const int num_ops = static_cast<int>(group.operations.size());
  // The derivatives of operation k's angles (k one-qubit, on slot j), from its generator
  // frames turned into operators at the boundary by `to_boundary`.
  auto add_operation = [&](int k, const auto& to_boundary, const std::array<double, 6>& overlaps,
                           int j) {
    const int op_index = group.operations[k];
    const Operation& op = circuit_[op_index];
    if (op.num_angles() == 0) return;
    bool any = false;
    for (int site_index : sites_of_group_[g]) any = any || sites_[site_index].operation == op_index;
    if (!any) return;
    const auto frames = generator_frames(op.kind, angle_values(op, parameters_), one_qubit_matrix_[first + k]);
    for (int site_index : sites_of_group_[g]) {
      const AngleSite& site = sites_[site_index];
      if (site.operation != op_index) continue;
      gradient[site.parameter] += site.scale * pauli_combination(to_boundary(frames[site.angle]), overlaps, j);
    }
  };
  auto slot_of = [&](int k) { return circuit_[group.operations[k]].qubits[0] == group.qubits[0] ? 0 : 1; };
  if (form.before) {
    // W_j = the operations on slot j so far, operation k included: Q = W^+ P W.
    Matrix2 w[2] = {gates::identity2(), gates::identity2()};
    for (int k = 0; k < form.first_two; ++k) {
      const int j = slot_of(k);
      w[j] = one_qubit_matrix_[first + k] * w[j];
      add_operation(k, [&](const Matrix2& p) { return adjoint(w[j]) * p * w[j]; }, before, j);
    }
  }
  if (form.after) {
    // A_j = the operations on slot j after k: Q = A P A^+.
    Matrix2 a[2] = {gates::identity2(), gates::identity2()};
    for (int k = num_ops - 1; k > form.last_two; --k) {
      const int j = slot_of(k);
      add_operation(k, [&](const Matrix2& p) { return a[j] * p * adjoint(a[j]); }, after, j);
      a[j] = a[j] * one_qubit_matrix_[first + k];
    }
  }
}

void AdjointGates::step_back(int g, const BoundGate& undo, StateVector& lambda, StateVector& phi,
                             bool recover_phi, std::span<double> gradient) const {
  GateOverlaps overlaps;
  step_back_overlaps(g, undo, lambda, phi, recover_phi, overlaps);
  add_derivatives(g, overlaps, gradient);
}

void AdjointGates::step_back_overlaps(int g, const BoundGate& undo, StateVector& lambda,
                                      StateVector& phi, bool recover_phi,
                                      GateOverlaps& overlaps) const {
  if (sites_of_group_[g].empty()) {
    if (recover_phi) apply(undo, phi);
    apply(undo, lambda);
    return;
  }
  // The overlaps of lambda and phi on the gate's qubits, lambda moved back through the gate
  // (and phi, when recovering), in one pass.
  const int dim = undo.qubits[1] < 0 ? 2 : 4;
  const Small u = dense_matrix(undo, dim);
  const StepForm& form = form_[g];
  overlaps.factored = factored_steps_ && form.factored && (recover_phi || !form.after);
  if (overlaps.factored) {
    PauliOverlaps before{}, after{};
    adjoint_step_paulis(lambda, phi, recover_phi, undo.qubits[0], undo.qubits[1], Matrix4{u},
                        form.after ? &after : nullptr, form.before ? &before : nullptr);
    for (int e = 0; e < 6; ++e) {
      overlaps.before[e] += before[e];
      overlaps.after[e] += after[e];
    }
  } else if (dim == 4) {
    const Matrix4 r = adjoint_step(lambda, phi, recover_phi, undo.qubits[0], undo.qubits[1], Matrix4{u});
    for (int e = 0; e < 16; ++e) overlaps.r[e] += r.m[e];
  } else {
    Matrix2 u2;
    std::copy_n(u.begin(), 4, u2.m.begin());
    const Matrix2 r = adjoint_step(lambda, phi, recover_phi, undo.qubits[0], u2);
    for (int e = 0; e < 4; ++e) overlaps.r[e] += r.m[e];
  }
}

void AdjointGates::step_back_blocked(std::span<const int> gates, std::span<const BoundGate> undo,
                                     int block_bits, StateVector& lambda, StateVector& phi,
                                     BlockScratch& scratch, std::span<double> gradient) const {
  if (gates.size() != undo.size())
    throw std::invalid_argument("adjoint: one adjoint gate per gate of a blocked run");
  if (block_bits < 3 || block_bits > lambda.num_qubits() || phi.size() != lambda.size())
    throw std::invalid_argument("adjoint: blocks of " + std::to_string(block_bits) + " bits of " +
                                std::to_string(lambda.num_qubits()) + "-qubit states");
  if (scratch.states.first.num_qubits() != block_bits) scratch.states = StatePair(block_bits);
  StateVector& block_lambda = scratch.states.first;
  StateVector& block_phi = scratch.states.second;
  // Qubit q of the states is qubit q - shift of a block.
  const int shift = lambda.num_qubits() - block_bits;
  const std::size_t count = gates.size();
  scratch.undo.assign(undo.begin(), undo.end());
  scratch.overlaps.assign(count, {});
  for (BoundGate& u : scratch.undo)
    for (int& q : u.qubits) {
      if (q < 0) continue;
      if (q < shift) throw std::invalid_argument("adjoint: a gate of a blocked run acts outside the block");
      q -= shift;
    }
  const std::size_t block = block_lambda.size(), bytes = block * sizeof(double);
  auto copy = [bytes](double* to_re, double* to_im, const double* re, const double* im) {
    std::memcpy(to_re, re, bytes);
    std::memcpy(to_im, im, bytes);
  };
  for (std::size_t start = 0; start < lambda.size(); start += block) {
    copy(block_lambda.real(), block_lambda.imag(), lambda.real() + start, lambda.imag() + start);
    copy(block_phi.real(), block_phi.imag(), phi.real() + start, phi.imag() + start);
    for (std::size_t k = 0; k < count; ++k)
      step_back_overlaps(gates[k], scratch.undo[k], block_lambda, block_phi,
                         /*recover_phi=*/true, scratch.overlaps[k]);
    copy(lambda.real() + start, lambda.imag() + start, block_lambda.real(), block_lambda.imag());
    copy(phi.real() + start, phi.imag() + start, block_phi.real(), block_phi.imag());
  }
  for (std::size_t k = 0; k < count; ++k) add_derivatives(gates[k], scratch.overlaps[k], gradient);
}

void AdjointGates::add_derivatives(int g, const GateOverlaps& overlaps,
                                   std::span<double> gradient) const {
  if (sites_of_group_[g].empty()) return;
  if (overlaps.factored) add_factored_derivatives(g, overlaps.before, overlaps.after, gradient);
  else add_gate_derivatives(g, overlaps.r, gradient);
}

}  // namespace qgen::sim
