#include "qgen/sim/fusion.hpp"

#include <algorithm>
#include <memory>
#include <stdexcept>

namespace qgen::sim {

namespace {

// Groups under construction. A group is "open" on a qubit while no operation outside it has
// touched that qubit since; operations on its qubits alone may still join it. A group is
// emitted when it closes. Two groups sharing a qubit are never open together, so emitting in
// closing order keeps every qubit's operations in circuit order.
class Planner {
public:
  Planner(const Circuit& circuit, FusionLevel level)
      : circuit_(circuit), level_(level), open_(circuit.num_qubits()) {}

  FusionPlan run() {
    for (int i = 0; i < static_cast<int>(circuit_.size()); ++i) add(i);
    // Whatever is still open acts on disjoint qubits: emit in creation order.
    std::vector<Open*> remaining;
    for (auto& g : storage_)
      if (!g->closed) remaining.push_back(g.get());
    std::sort(remaining.begin(), remaining.end(),
              [](const Open* a, const Open* b) { return a->created < b->created; });
    for (Open* g : remaining) close(g);

    FusionPlan plan;
    plan.num_qubits = circuit_.num_qubits();
    plan.group_of_operation.assign(circuit_.size(), -1);
    for (Open* g : emitted_) {
      FusedGroup group{classify(*g), g->qubits, g->operations};
      for (int op : group.operations)
        plan.group_of_operation[op] = static_cast<int>(plan.groups.size());
      plan.groups.push_back(std::move(group));
    }
    return plan;
  }

private:
  struct Open {
    std::array<int, 2> qubits{-1, -1};
    std::vector<int> operations;
    int created = 0;
    bool closed = false;
    int width() const { return qubits[1] < 0 ? 1 : 2; }
  };

  Open* create(std::array<int, 2> qubits) {
    storage_.push_back(std::make_unique<Open>());
    Open* g = storage_.back().get();
    g->qubits = qubits;
    g->created = counter_++;
    for (int q : qubits)
      if (q >= 0) open_[q] = g;
    return g;
  }

  void close(Open* g) {
    if (g == nullptr || g->closed) return;
    g->closed = true;
    for (int q : g->qubits)
      if (q >= 0 && open_[q] == g) open_[q] = nullptr;
    emitted_.push_back(g);
  }

  void add(int index) {
    const Operation& op = circuit_[index];
    if (op.num_qubits() == 1) {
      const int q = op.qubits[0];
      Open* g = open_[q];
      const bool joins = g != nullptr && level_ != FusionLevel::none &&
                         (g->width() == 1 || level_ == FusionLevel::two_qubit);
      if (!joins) {
        close(g);
        g = create({q, -1});
      }
      g->operations.push_back(index);
      return;
    }

    const int a = op.qubits[0], b = op.qubits[1];
    Open* ga = open_[a];
    Open* gb = open_[b];
    if (level_ == FusionLevel::two_qubit) {
      // Same pair: merge into it.
      if (ga != nullptr && ga == gb) {
        ga->operations.push_back(index);
        return;
      }
      // Pending one-qubit runs on a and b are absorbed into the new two-qubit group.
      std::vector<int> absorbed;
      for (Open* g : {ga, gb}) {
        if (g == nullptr) continue;
        if (g->width() == 1) {
          absorbed.insert(absorbed.end(), g->operations.begin(), g->operations.end());
          g->closed = true;  // consumed, never emitted
          for (int q : g->qubits)
            if (q >= 0 && open_[q] == g) open_[q] = nullptr;
        } else {
          close(g);
        }
      }
      std::sort(absorbed.begin(), absorbed.end());
      Open* g = create({a, b});
      g->operations = std::move(absorbed);
      g->operations.push_back(index);
      return;
    }
    close(ga);
    close(gb);
    Open* g = create({a, b});
    g->operations.push_back(index);
    close(g);  // below two_qubit fusion nothing joins a two-qubit gate
  }

  FusedKind classify(const Open& g) const {
    const bool diagonal = std::all_of(g.operations.begin(), g.operations.end(),
                                      [&](int i) { return is_diagonal(circuit_[i].kind); });
    if (g.width() == 1) return diagonal ? FusedKind::Diagonal1 : FusedKind::Matrix1;
    if (g.operations.size() == 1 && circuit_[g.operations[0]].kind == GateKind::CNOT)
      return FusedKind::CNOT;
    return diagonal ? FusedKind::Diagonal2 : FusedKind::Matrix2;
  }

  const Circuit& circuit_;
  FusionLevel level_;
  std::vector<Open*> open_;
  std::vector<std::unique_ptr<Open>> storage_;
  std::vector<Open*> emitted_;
  int counter_ = 0;
};

}  // namespace

FusionPlan plan_fusion(const Circuit& circuit, FusionLevel level) {
  return Planner(circuit, level).run();
}

namespace {

Matrix2 operation_matrix1(const Circuit& circuit, int i, std::span<const double> parameters,
                          const AngleEdit& edit) {
  const Operation& op = circuit[i];
  const auto angles = angle_values(op, parameters, edit, i);
  if (edit.generator && edit.applies_to(i)) return matrix1_with_generator(op.kind, angles, edit.angle);
  return matrix1(op.kind, angles);
}

}  // namespace

std::array<Complex, 16> embed_in_group(const FusedGroup& group, int qubit, const Matrix2& u) {
  if (group.qubits[1] < 0) {
    std::array<Complex, 16> out{};
    std::copy(u.m.begin(), u.m.end(), out.begin());
    return out;
  }
  return (qubit == group.qubits[0] ? kron(u, gates::identity2()) : kron(gates::identity2(), u)).m;
}

std::array<Complex, 16> operation_in_group(const FusedGroup& group, const Circuit& circuit, int i,
                                           std::span<const double> parameters,
                                           const AngleEdit& edit) {
  const Operation& op = circuit[i];
  if (op.num_qubits() == 1)
    return embed_in_group(group, op.qubits[0], operation_matrix1(circuit, i, parameters, edit));
  Matrix4 g = matrix2(op.kind);
  if (op.qubits[0] != group.qubits[0]) g = swap_qubit_order(g);
  return g.m;
}

namespace {

// The fused matrix built up operation by operation: later operations on the left.
class FusedProduct {
public:
  explicit FusedProduct(const FusedGroup& group) : group_(group) {}

  void multiply(const std::array<Complex, 16>& g) {
    if (first_) {
      m_ = g;
      first_ = false;
    } else if (group_.qubits[1] < 0) {
      Matrix2 a, b;
      std::copy_n(g.begin(), 4, a.m.begin());
      std::copy_n(m_.begin(), 4, b.m.begin());
      const Matrix2 c = a * b;
      std::copy(c.m.begin(), c.m.end(), m_.begin());
    } else {
      m_ = (Matrix4{g} * Matrix4{m_}).m;
    }
  }

  BoundGate gate() const {
    // A generator insertion keeps a diagonal group diagonal: such groups hold only Z, RZ and
    // CZ, and RZ's generator is Z.
    BoundGate gate{group_.kind, group_.qubits, {}};
    if (group_.kind == FusedKind::CNOT) return gate;
    if (group_.kind == FusedKind::Diagonal1) {
      gate.matrix[0] = m_[0];
      gate.matrix[1] = m_[3];
    } else if (group_.kind == FusedKind::Diagonal2) {
      for (int k = 0; k < 4; ++k) gate.matrix[k] = m_[5 * k];
    } else {
      gate.matrix = m_;
    }
    return gate;
  }

private:
  const FusedGroup& group_;
  std::array<Complex, 16> m_{};
  bool first_ = true;
};

}  // namespace

BoundGate bind_gate(const FusedGroup& group, const Circuit& circuit,
                    std::span<const double> parameters, const AngleEdit& edit) {
  if (group.kind == FusedKind::CNOT) return {group.kind, group.qubits, {}};
  FusedProduct product(group);
  for (int i : group.operations) product.multiply(operation_in_group(group, circuit, i, parameters, edit));
  return product.gate();
}

BoundGate fuse(const FusedGroup& group, std::span<const std::array<Complex, 16>> operation_matrices) {
  if (operation_matrices.size() != group.operations.size())
    throw std::invalid_argument("fuse: one matrix per operation of the group");
  FusedProduct product(group);
  for (const auto& g : operation_matrices) product.multiply(g);
  return product.gate();
}

std::vector<BoundGate> bind_gates(const FusionPlan& plan, const Circuit& circuit,
                                std::span<const double> parameters) {
  check_parameter_count(circuit, parameters, "bind");
  std::vector<BoundGate> gates;
  gates.reserve(plan.groups.size());
  for (const FusedGroup& group : plan.groups) gates.push_back(bind_gate(group, circuit, parameters));
  return gates;
}

}  // namespace qgen::sim
