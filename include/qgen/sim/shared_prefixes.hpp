// Running a batch of circuits that share prefixes (an LCD sweep: the same circuit with one angle
// shifted) with each common prefix simulated once.
//
// The circuits are sorted lexicographically by their operations, so that circuits with a common
// prefix are neighbours and the prefix a circuit shares with any later one is at most what it
// shares with the next. Walking them in that order with a stack of saved states (each at a
// depth the next circuits start from) visits the trie of the batch depth first: every
// operation of the trie is applied once, and every circuit's state is produced by exactly the
// operations, in the same order, as when it runs alone. A method whose step depends only on its
// state and the operation (the density matrix; trajectories, whose random number for a noise
// site is fixed by the site's number) therefore gives every circuit bit for bit its own result.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include "qgen/sim/noisy_circuit.hpp"

namespace qgen::sim {

struct SharingPlan {
  std::vector<int> order;           // circuit indices in lexicographic order of their operations
  std::vector<std::size_t> shared;  // shared[k]: operations order[k] has in common with order[k-1]
};

/// std::invalid_argument when the circuits differ in their number of qubits.
SharingPlan plan_shared_prefixes(std::span<const NoisyCircuit> circuits);

/// The saved states of a walk; reused from call to call so that states are not reallocated.
template <typename State>
struct PrefixStack {
  std::vector<State> states;
  std::vector<std::size_t> depths;
  std::size_t used = 0;
};

/// Runs every circuit of the plan from `initial`: `advance(state, circuit, begin, end)` applies
/// operations [begin, end) of `circuit` to `state`; `finish(index, state)` receives the state
/// after all of circuit `index`'s operations (and may change it). `work` is the scratch state.
template <typename State, typename Advance, typename Finish>
void run_shared_prefixes(std::span<const NoisyCircuit> circuits, const SharingPlan& plan,
                         const State& initial, State& work, PrefixStack<State>& stack,
                         Advance&& advance, Finish&& finish) {
  const std::size_t n = plan.order.size();
  stack.used = 0;
  for (std::size_t k = 0; k < n; ++k) {
    const int index = plan.order[k];
    const NoisyCircuit& circuit = circuits[index];
    const std::size_t shared_before = plan.shared[k];
    const std::size_t shared_after = k + 1 < n ? plan.shared[k + 1] : 0;
    // Saved states deeper than what this circuit shares with the previous one belong to
    // branches that are finished (the sort puts every later circuit further away).
    while (stack.used > 0 && stack.depths[stack.used - 1] > shared_before) --stack.used;
    std::size_t depth = 0;
    if (stack.used > 0) {
      work = stack.states[stack.used - 1];
      depth = stack.depths[stack.used - 1];
    } else {
      work = initial;
    }
    if (shared_after > depth) {
      advance(work, circuit, depth, shared_after);
      depth = shared_after;
      if (stack.used == stack.states.size()) {
        stack.states.push_back(work);
        stack.depths.push_back(depth);
      } else {
        stack.states[stack.used] = work;
        stack.depths[stack.used] = depth;
      }
      ++stack.used;
    }
    advance(work, circuit, depth, circuit.size());
    finish(index, work);
  }
}

}  // namespace qgen::sim
