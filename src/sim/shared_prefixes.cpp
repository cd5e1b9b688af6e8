#include "qgen/sim/shared_prefixes.hpp"

#include <algorithm>
#include <numeric>
#include <stdexcept>
#include <string>

namespace qgen::sim {
namespace {

/// Length of the common prefix of a and b, and the three-way order of a and b.
std::pair<std::size_t, int> common_prefix(const NoisyCircuit& a, const NoisyCircuit& b) {
  const std::size_t n = std::min(a.size(), b.size());
  for (std::size_t i = 0; i < n; ++i)
    if (int c = a.compare(i, b, i)) return {i, c};
  return {n, a.size() < b.size() ? -1 : (a.size() > b.size() ? 1 : 0)};
}

}  // namespace

SharingPlan plan_shared_prefixes(std::span<const NoisyCircuit> circuits) {
  for (const NoisyCircuit& c : circuits)
    if (c.num_qubits() != circuits.front().num_qubits())
      throw std::invalid_argument("batch of noisy circuits: " + std::to_string(c.num_qubits()) +
                                  " and " + std::to_string(circuits.front().num_qubits()) +
                                  " qubits mixed");
  SharingPlan plan;
  plan.order.resize(circuits.size());
  std::iota(plan.order.begin(), plan.order.end(), 0);
  // Stable, so that identical circuits keep their order and the walk is deterministic.
  std::stable_sort(plan.order.begin(), plan.order.end(), [&](int a, int b) {
    return common_prefix(circuits[a], circuits[b]).second < 0;
  });
  plan.shared.assign(circuits.size(), 0);
  for (std::size_t k = 1; k < plan.order.size(); ++k)
    plan.shared[k] = common_prefix(circuits[plan.order[k - 1]], circuits[plan.order[k]]).first;
  return plan;
}

}  // namespace qgen::sim
