#include "qgen/sim/adjoint_gates.hpp"

#include <algorithm>
#include <stdexcept>

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

void multiply_by_weights(StateVector& state, std::span<const double> weights) {
  if (weights.size() != state.size())
    throw std::invalid_argument("adjoint: the weights need one entry per amplitude");
  double* re = state.real();
  double* im = state.imag();
  for (std::size_t x = 0; x < state.size(); ++x) {
    re[x] *= weights[x];
    im[x] *= weights[x];
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

void AdjointGates::step_back(int g, const BoundGate& undo, StateVector& lambda, StateVector& phi,
                             bool recover_phi, std::span<double> gradient) const {
  if (sites_of_group_[g].empty()) {
    if (recover_phi) apply(undo, phi);
    apply(undo, lambda);
    return;
  }
  // R of lambda and phi on the gate's qubits, lambda moved back through the gate (and phi,
  // when recovering), in one pass.
  const int dim = undo.qubits[1] < 0 ? 2 : 4;
  const Small u = dense_matrix(undo, dim);
  if (dim == 4) {
    const Matrix4 r = adjoint_step(lambda, phi, recover_phi, undo.qubits[0], undo.qubits[1], Matrix4{u});
    add_gate_derivatives(g, r.m, gradient);
  } else {
    Matrix2 u2;
    std::copy_n(u.begin(), 4, u2.m.begin());
    const Matrix2 r = adjoint_step(lambda, phi, recover_phi, undo.qubits[0], u2);
    add_gate_derivatives(g, r.m, gradient);
  }
}

}  // namespace qgen::sim
