#include "qgen/sim/adjoint.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "qgen/sim/kernels.hpp"
#include "qgen/sim/simulator.hpp"

namespace qgen::sim {
namespace {

using Small = AdjointDifferentiator::Small;

Small identity(int dim) {
  Small s{dim, {}};
  for (int k = 0; k < dim; ++k) s.m[k * dim + k] = 1.0;
  return s;
}

Small product(const Small& a, const Small& b) {
  Small c{a.dim, {}};
  const int n = a.dim;
  for (int i = 0; i < n; ++i)
    for (int k = 0; k < n; ++k) {
      const Complex aik = a.m[i * n + k];
      for (int j = 0; j < n; ++j) c.m[i * n + j] += aik * b.m[k * n + j];
    }
  return c;
}

Small transpose(const Small& a) {
  Small t{a.dim, {}};
  for (int i = 0; i < a.dim; ++i)
    for (int j = 0; j < a.dim; ++j) t.m[i * a.dim + j] = a.m[j * a.dim + i];
  return t;
}

}  // namespace

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

AdjointDifferentiator::AdjointDifferentiator(const Circuit& circuit, FusionLevel level,
                                             std::size_t memory_budget_bytes)
    : circuit_(circuit), plan_(plan_fusion(circuit, level)), sites_(angle_sites(circuit_, plan_)),
      sites_of_group_(plan_.groups.size()), calculus_(plan_.groups.size()),
      final_(circuit.num_qubits()),
      phi_(circuit.num_qubits()), lambda_(circuit.num_qubits()) {
  for (int s = 0; s < static_cast<int>(sites_.size()); ++s)
    sites_of_group_[sites_[s].group].push_back(s);
  const double state_bytes = 16.0 * static_cast<double>(final_.size());
  keep_states_ = state_bytes * static_cast<double>(plan_.groups.size()) <=
                 static_cast<double>(memory_budget_bytes);
}

void AdjointDifferentiator::prepare_calculus(int g) {
  const FusedGroup& group = plan_.groups[g];
  const int dim = group.qubits[1] < 0 ? 2 : 4;
  GateCalculus& c = calculus_[g];
  c = GateCalculus{};
  std::vector<Small> matrices;
  for (int op : group.operations)
    matrices.push_back({dim, operation_in_group(group, circuit_, op, parameters_)});
  // Prefix and suffix products over the gate's operations (later operations on the left).
  const std::size_t n = matrices.size();
  std::vector<Small> prefix(n + 1, identity(dim)), suffix(n + 1, identity(dim));
  for (std::size_t k = 0; k < n; ++k) prefix[k + 1] = product(matrices[k], prefix[k]);
  for (std::size_t k = n; k-- > 0;) suffix[k] = product(suffix[k + 1], matrices[k]);
  for (int s : sites_of_group_[g]) {
    const AngleSite& site = sites_[s];
    const auto at = std::find(group.operations.begin(), group.operations.end(), site.operation);
    const std::size_t k = static_cast<std::size_t>(at - group.operations.begin());
    const auto known = std::find(c.operations.begin(), c.operations.end(), site.operation);
    if (known == c.operations.end()) {
      c.operations.push_back(site.operation);
      c.before.push_back(prefix[k]);
      c.after.push_back(suffix[k + 1]);
    }
    c.operation_of.push_back(static_cast<int>(
        std::find(c.operations.begin(), c.operations.end(), site.operation) - c.operations.begin()));
    c.generator.push_back({dim, operation_in_group(group, circuit_, site.operation, parameters_,
                                                   {site.operation, site.angle, 0.0, true})});
  }
}

void AdjointDifferentiator::forward(std::span<const double> parameters,
                                    std::span<double> probabilities) {
  if (probabilities.size() != final_.size())
    throw std::invalid_argument("adjoint: probabilities need 2^Q entries");
  parameters_.assign(parameters.begin(), parameters.end());
  gates_ = bind_gates(plan_, circuit_, parameters_);
  for (int g = 0; g < static_cast<int>(plan_.groups.size()); ++g)
    if (!sites_of_group_[g].empty()) prepare_calculus(g);
  final_.set_basis_state(0);
  if (keep_states_) {
    // Each gate runs out of place from the state before it into the next: the states are kept
    // at no extra cost.
    if (before_.size() != gates_.size())
      before_.assign(gates_.size(), StateVector(circuit_.num_qubits()));
    if (gates_.empty()) compute_probabilities(final_, probabilities);
    for (std::size_t g = 0; g < gates_.size(); ++g) {
      const bool last = g + 1 == gates_.size();
      if (g == 0) before_[0].set_basis_state(0);
      apply(gates_[g], before_[g], last ? final_ : before_[g + 1],
            last ? probabilities.data() : nullptr);
    }
  } else {
    apply_range(gates_, final_, probabilities.data());
  }
}

void AdjointDifferentiator::backward(std::span<const double> weights, std::span<double> gradient) {
  if (weights.size() != final_.size())
    throw std::invalid_argument("adjoint: weights need 2^Q entries");
  if (static_cast<int>(gradient.size()) != circuit_.num_parameters())
    throw std::invalid_argument("adjoint: the gradient needs " +
                                std::to_string(circuit_.num_parameters()) + " entries");
  if (gates_.empty() && !plan_.groups.empty()) throw std::logic_error("adjoint: backward before forward");
  std::fill(gradient.begin(), gradient.end(), 0.0);

  // lambda = W psi, phi = psi.
  lambda_.copy_from(final_);
  double* lr = lambda_.real();
  double* li = lambda_.imag();
  for (std::size_t x = 0; x < lambda_.size(); ++x) {
    lr[x] *= weights[x];
    li[x] *= weights[x];
  }
  if (!keep_states_) phi_.copy_from(final_);

  for (int g = static_cast<int>(gates_.size()) - 1; g >= 0; --g) {
    const BoundGate undo = adjoint(gates_[g]);
    const StateVector* before = &phi_;
    if (keep_states_) before = &before_[g];
    else apply(undo, phi_);  // phi_ is now the state before gate g
    const auto& sites = sites_of_group_[g];
    if (!sites.empty()) {
      const FusedGroup& group = plan_.groups[g];
      const GateCalculus& c = calculus_[g];
      Small r;  // the reduced overlap of lambda and phi on the gate's qubits
      if (group.qubits[1] >= 0) r = {4, reduced_overlap(lambda_, *before, group.qubits[0], group.qubits[1]).m};
      else std::copy_n(reduced_overlap(lambda_, *before, group.qubits[0]).m.begin(), 4, r.m.begin());
      const Small rt = transpose(r);
      // E = B R^T A per operation; then each angle's <lambda|G_P|phi> = tr(g E).
      std::vector<Small> environment;
      for (std::size_t k = 0; k < c.operations.size(); ++k)
        environment.push_back(product(product(c.before[k], rt), c.after[k]));
      for (std::size_t k = 0; k < sites.size(); ++k) {
        const AngleSite& site = sites_[sites[k]];
        const Small& e = environment[c.operation_of[k]];
        const Small& gp = c.generator[k];
        Complex trace = 0.0;
        for (int p = 0; p < r.dim; ++p)
          for (int q = 0; q < r.dim; ++q) trace += gp.m[p * r.dim + q] * e.m[q * r.dim + p];
        gradient[site.parameter] += site.scale * trace.imag();
      }
    }
    apply(undo, lambda_);
  }
}

}  // namespace qgen::sim
