#include "qgen/sim/register_split.hpp"

#include <numeric>
#include <stdexcept>
#include <string>

#include "qgen/sim/shared_prefixes.hpp"

namespace qgen::sim {
namespace {

int find(std::vector<int>& parent, int q) {
  while (parent[q] != q) q = parent[q] = parent[parent[q]];
  return q;
}

}  // namespace

RegisterSplit split_register(std::span<const NoisyCircuit> circuits) {
  RegisterSplit split;
  if (circuits.empty()) return split;
  const int n = circuits.front().num_qubits();
  std::vector<int> parent(n);
  std::iota(parent.begin(), parent.end(), 0);
  for (const NoisyCircuit& c : circuits) {
    if (c.num_qubits() != n) throw std::invalid_argument("split_register: circuits of different sizes");
    for (const NoisyOp& op : c.operations())
      if (op.qubits[1] >= 0) parent[find(parent, op.qubits[0])] = find(parent, op.qubits[1]);
  }
  std::vector<int> part_of_root(n, -1);
  for (int q = 0; q < n; ++q) {  // ascending qubits: parts come out ordered by first qubit
    int& part = part_of_root[find(parent, q)];
    if (part < 0) {
      part = static_cast<int>(split.parts.size());
      split.parts.emplace_back();
    }
    split.parts[part].push_back(q);
  }
  return split;
}

std::vector<double> join_parts(std::span<const std::vector<double>> parts, const RegisterSplit& split,
                               int num_qubits) {
  if (parts.size() != split.parts.size())
    throw std::invalid_argument("join_parts: " + std::to_string(parts.size()) + " distributions for " +
                                std::to_string(split.parts.size()) + " parts");
  if (parts.size() == 1 && static_cast<int>(split.parts[0].size()) == num_qubits) return parts[0];
  std::vector<double> out(std::size_t{1} << num_qubits, 1.0);
  for (std::size_t k = 0; k < parts.size(); ++k) {
    const std::vector<int>& qubits = split.parts[k];
    const int m = static_cast<int>(qubits.size());
    if (parts[k].size() != (std::size_t{1} << m))
      throw std::invalid_argument("join_parts: a distribution of the wrong size");
    for (std::size_t x = 0; x < out.size(); ++x) {
      std::size_t y = 0;  // x restricted to the part, its first qubit the top bit
      for (int j = 0; j < m; ++j) y |= ((x >> (num_qubits - 1 - qubits[j])) & 1) << (m - 1 - j);
      out[x] *= parts[k][y];
    }
  }
  return out;
}

std::vector<std::vector<double>> run_split(std::span<const NoisyCircuit> circuits,
                                           const PartMethod& method) {
  std::vector<std::vector<double>> out(circuits.size());
  if (circuits.empty()) return out;
  const RegisterSplit split = split_register(circuits);
  const int n = circuits.front().num_qubits();
  // per_part[k][i]: circuit i's distribution over part k.
  std::vector<std::vector<std::vector<double>>> per_part(split.parts.size());
  for (std::size_t k = 0; k < split.parts.size(); ++k) {
    std::vector<NoisyCircuit> restricted;
    restricted.reserve(circuits.size());
    for (const NoisyCircuit& c : circuits) restricted.push_back(c.restricted_to(split.parts[k]));
    // Identical circuits (neighbours in the sharing order, sharing all their operations) once.
    const SharingPlan plan = plan_shared_prefixes(restricted);
    std::vector<std::size_t> sizes;
    for (const NoisyCircuit& c : restricted) sizes.push_back(c.size());
    std::vector<int> unique_of(circuits.size());
    std::vector<NoisyCircuit> unique;
    for (std::size_t j = 0; j < plan.order.size(); ++j) {
      const int i = plan.order[j];
      const bool same = j > 0 && plan.shared[j] == sizes[i] && sizes[plan.order[j - 1]] == sizes[i];
      if (!same) unique.push_back(std::move(restricted[i]));
      unique_of[i] = static_cast<int>(unique.size()) - 1;
    }
    const std::vector<std::vector<double>> results = method(unique, static_cast<int>(k));
    per_part[k].resize(circuits.size());
    for (std::size_t i = 0; i < circuits.size(); ++i) per_part[k][i] = results[unique_of[i]];
  }
  std::vector<std::vector<double>> parts(split.parts.size());
  for (std::size_t i = 0; i < circuits.size(); ++i) {
    for (std::size_t k = 0; k < split.parts.size(); ++k) parts[k] = std::move(per_part[k][i]);
    out[i] = join_parts(parts, split, n);
  }
  return out;
}

}  // namespace qgen::sim
