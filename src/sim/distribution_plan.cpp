#include "qgen/sim/distribution_plan.hpp"

#include <limits>
#include <stdexcept>
#include <string>
#include <tuple>
#include <utility>

namespace qgen::sim {
namespace {

// The qubit layout while planning: logical qubit -> physical position and back.
class Layout {
public:
  explicit Layout(int num_qubits) : position_(num_qubits), qubit_(num_qubits) {
    for (int q = 0; q < num_qubits; ++q) position_[q] = qubit_[q] = q;
  }
  int position(int qubit) const { return position_[qubit]; }
  int qubit(int position) const { return qubit_[position]; }
  void swap_positions(int a, int b) {
    std::swap(qubit_[a], qubit_[b]);
    position_[qubit_[a]] = a;
    position_[qubit_[b]] = b;
  }

private:
  std::vector<int> position_, qubit_;
};

class Planner {
public:
  Planner(const FusionPlan& fusion, int global_qubits)
      : fusion_(fusion), num_qubits_(fusion.num_qubits), global_(global_qubits),
        layout_(num_qubits_), uses_(num_qubits_), next_(num_qubits_, 0) {
    for (int i = 0; i < static_cast<int>(fusion.groups.size()); ++i)
      for (int q : fusion.groups[i].qubits)
        if (q >= 0) uses_[q].push_back(i);
  }

  DistributionPlan run() {
    plan_.num_qubits = num_qubits_;
    plan_.global_qubits = global_;
    // The state starts as |0...0>: any qubits may start global at no cost.
    for (int s = 0; s < global_; ++s) {
      const int p = best_for_slot(s, s, {-1, -1});
      if (p != s) layout_.swap_positions(s, p);
    }
    for (int q = 0; q < num_qubits_; ++q) plan_.initial_positions.push_back(layout_.position(q));
    for (int i = 0; i < static_cast<int>(fusion_.groups.size()); ++i) {
      const auto& qubits = fusion_.groups[i].qubits;
      for (int q : qubits)
        if (q >= 0 && layout_.position(q) < global_) bring_in(q, qubits);
      plan_.steps.push_back({DistributedStep::Kind::gate, i, {-1, -1}});
      for (int q : qubits)
        if (q >= 0) ++next_[q];
    }
    restore();
    return plan_;
  }

private:
  static constexpr int kNever = std::numeric_limits<int>::max();

  int next_use(int qubit) const {
    return next_[qubit] < static_cast<int>(uses_[qubit].size()) ? uses_[qubit][next_[qubit]] : kNever;
  }

  // Exchanges global `qubit` with the local qubit that is best to send out.
  void bring_in(int qubit, const std::array<int, 2>& needed) {
    const int slot = layout_.position(qubit);
    exchange(slot, best_for_slot(slot, global_, needed));
  }

  // The position in [first, Q) of the qubit to put into global position `slot` (header
  // comment: furthest next use, then at home there, then the highest position), skipping the
  // `needed` ones.
  int best_for_slot(int slot, int first, const std::array<int, 2>& needed) const {
    int best = -1;
    std::tuple<int, bool, int> best_key{-1, false, 0};
    for (int p = first; p < num_qubits_; ++p) {
      const int r = layout_.qubit(p);
      if (r == needed[0] || r == needed[1]) continue;
      const std::tuple<int, bool, int> key{next_use(r), r == slot, -p};
      if (best < 0 || key > best_key) {
        best = p;
        best_key = key;
      }
    }
    return best;
  }

  void exchange(int global_position, int local_position) {
    plan_.steps.push_back({DistributedStep::Kind::exchange, -1, {global_position, local_position}});
    ++plan_.exchanges;
    layout_.swap_positions(global_position, local_position);
  }

  void restore() {
    for (int s = 0; s < global_; ++s) {
      while (layout_.qubit(s) != s) {
        const int p = layout_.position(s);
        if (p >= global_) {
          exchange(s, p);
        } else {
          // Qubit s sits in another global position: first out to a local one.
          exchange(p, global_);
        }
      }
    }
    for (int p = global_; p < num_qubits_; ++p) {
      while (layout_.qubit(p) != p) {
        const int from = layout_.position(p);
        plan_.steps.push_back({DistributedStep::Kind::local_swap, -1, {p, from}});
        ++plan_.local_swaps;
        layout_.swap_positions(p, from);
      }
    }
  }

  const FusionPlan& fusion_;
  int num_qubits_, global_;
  Layout layout_;
  std::vector<std::vector<int>> uses_;  // per qubit, the groups acting on it, in order
  std::vector<int> next_;               // per qubit, its next entry in uses_
  DistributionPlan plan_;
};

}  // namespace

DistributionPlan plan_distribution(const FusionPlan& fusion, int global_qubits) {
  const int local = fusion.num_qubits - global_qubits;
  if (global_qubits < 0 || (global_qubits > 0 && local < 2))
    throw std::invalid_argument("distribution plan: " + std::to_string(global_qubits) +
                                " global qubits of " + std::to_string(fusion.num_qubits) +
                                " leave fewer than 2 local ones");
  return Planner(fusion, global_qubits).run();
}

}  // namespace qgen::sim
