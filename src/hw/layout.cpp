#include "qgen/hw/layout.hpp"

#include <algorithm>
#include <deque>
#include <functional>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <tuple>

#include "qgen/core/errors.hpp"
#include "qgen/hw/transpile.hpp"

namespace qgen::hw {
namespace {

constexpr double kInfinity = std::numeric_limits<double>::infinity();

/// The circuit's interaction graph with gate counts.
struct Interaction {
  std::vector<std::vector<int>> adjacent;        // ascending
  std::map<std::pair<int, int>, int> two_qubit;  // (low, high) -> cx count
  std::vector<int> pulses;                       // sx/x pulses per qubit

  explicit Interaction(const sim::Circuit& c) : adjacent(c.num_qubits()), pulses(c.num_qubits(), 0) {
    for (const sim::Operation& op : c.operations()) {
      if (op.num_qubits() == 1) {
        pulses[op.qubits[0]] += pulses_of(op.kind);
        continue;
      }
      const int a = std::min(op.qubits[0], op.qubits[1]), b = std::max(op.qubits[0], op.qubits[1]);
      two_qubit[{a, b}] += op.kind == sim::GateKind::SWAP ? 3 : 1;
    }
    link();
  }
  /// The same graph without `pair` (its qubits' pulses kept).
  Interaction without(std::pair<int, int> pair) const {
    Interaction g = *this;
    g.two_qubit.erase(pair);
    for (auto& list : g.adjacent) list.clear();
    g.link();
    return g;
  }
  void link() {
    for (const auto& [pair, count] : two_qubit) {
      adjacent[pair.first].push_back(pair.second);
      adjacent[pair.second].push_back(pair.first);
    }
    for (auto& list : adjacent) std::sort(list.begin(), list.end());
  }
  int count(int a, int b) const { return two_qubit.at({std::min(a, b), std::max(a, b)}); }
  int degree(int q) const { return static_cast<int>(adjacent[q].size()); }
};

double qubit_cost(const DeviceModel& d, int pulses, int p) {
  return pulses * d.gate(BasisGate::sx, p).error + d.qubit(p).readout_error();
}

/// The better direction's cx error of a coupled pair; infinity when uncoupled.
double coupler_error(const DeviceModel& d, int a, int b) {
  double e = kInfinity;
  if (d.has_cx(a, b)) e = d.cx(a, b).error;
  if (d.has_cx(b, a)) e = std::min(e, d.cx(b, a).error);
  return e;
}

/// Placement order: components largest first; inside one, breadth first from its
/// highest-degree qubit. back[u]: u's neighbours placed before u (back[u][0] its parent).
struct Order {
  std::vector<int> order;
  std::vector<std::vector<int>> back;

  explicit Order(const Interaction& g) : back(g.adjacent.size()) {
    const int n = static_cast<int>(g.adjacent.size());
    std::vector<std::vector<int>> components;
    std::vector<char> seen(n, 0);
    for (int s = 0; s < n; ++s) {
      if (seen[s]) continue;
      std::vector<int> members{s};
      seen[s] = 1;
      for (std::size_t k = 0; k < members.size(); ++k)
        for (int v : g.adjacent[members[k]])
          if (!seen[v]) {
            seen[v] = 1;
            members.push_back(v);
          }
      components.push_back(members);
    }
    std::stable_sort(components.begin(), components.end(),
                     [](const auto& a, const auto& b) { return a.size() > b.size(); });
    std::vector<int> position(n, -1);
    for (const auto& members : components) {
      int root = members[0];
      for (int v : members)
        if (g.degree(v) > g.degree(root) || (g.degree(v) == g.degree(root) && v < root)) root = v;
      std::deque<int> queue{root};
      position[root] = static_cast<int>(order.size());
      order.push_back(root);
      while (!queue.empty()) {
        const int u = queue.front();
        queue.pop_front();
        for (int v : g.adjacent[u])
          if (position[v] < 0) {
            position[v] = static_cast<int>(order.size());
            order.push_back(v);
            queue.push_back(v);
          }
      }
    }
    for (int u = 0; u < n; ++u) {
      for (int v : g.adjacent[u])
        if (position[v] < position[u]) back[u].push_back(v);
      // The parent (earliest placed neighbour) first: candidates are its device neighbours.
      std::sort(back[u].begin(), back[u].end(), [&](int a, int b) { return position[a] < position[b]; });
    }
  }
};

/// Branch and bound over embeddings; best placement or empty.
class Embedder {
public:
  Embedder(const Interaction& g, const Order& o, const DeviceModel& d, std::int64_t limit)
      : g_(g), o_(o), d_(d), limit_(limit), placed_(g.adjacent.size(), -1), used_(d.num_qubits(), 0) {
    double min_cx = kInfinity;
    for (const auto& [a, b] : d.coupling_map()) min_cx = std::min(min_cx, coupler_error(d, a, b));
    const std::size_t n = o.order.size();
    bound_.assign(n + 1, 0.0);
    for (std::size_t i = n; i-- > 0;) {
      const int u = o.order[i];
      double best_qubit = kInfinity;
      for (int p = 0; p < d.num_qubits(); ++p) best_qubit = std::min(best_qubit, qubit_cost(d, g.pulses[u], p));
      double edges = 0.0;
      for (int v : o.back[u]) edges += g.count(u, v) * min_cx;
      bound_[i] = bound_[i + 1] + best_qubit + edges;
    }
  }

  void search() { place(0, 0.0); }
  bool complete() const { return steps_ <= limit_; }
  const std::vector<int>& best() const { return best_; }
  double best_cost() const { return best_cost_; }

private:
  void place(std::size_t i, double cost) {
    if (++steps_ > limit_) return;
    if (i == o_.order.size()) {
      if (cost < best_cost_) {
        best_cost_ = cost;
        best_ = placed_;
      }
      return;
    }
    const int u = o_.order[i];
    const auto try_on = [&](int p) {
      if (used_[p] || static_cast<int>(d_.neighbours(p).size()) < g_.degree(u)) return;
      double c = cost + qubit_cost(d_, g_.pulses[u], p);
      for (int v : o_.back[u]) c += g_.count(u, v) * coupler_error(d_, p, placed_[v]);
      if (!(c + bound_[i + 1] < best_cost_)) return;  // also drops uncoupled pairs (infinite)
      placed_[u] = p;
      used_[p] = 1;
      place(i + 1, c);
      placed_[u] = -1;
      used_[p] = 0;
    };
    if (o_.back[u].empty()) {
      // Lone qubits with equal pulse counts are interchangeable: place them in ascending order.
      int first = 0;
      if (i > 0 && g_.degree(u) == 0) {
        const int previous = o_.order[i - 1];
        if (g_.degree(previous) == 0 && g_.pulses[previous] == g_.pulses[u]) first = placed_[previous] + 1;
      }
      for (int p = first; p < d_.num_qubits() && steps_ <= limit_; ++p) try_on(p);
    } else {
      for (int p : d_.neighbours(placed_[o_.back[u][0]])) {
        if (steps_ > limit_) break;
        try_on(p);
      }
    }
  }

  const Interaction& g_;
  const Order& o_;
  const DeviceModel& d_;
  std::int64_t limit_;
  std::int64_t steps_ = 0;
  std::vector<int> placed_;
  std::vector<char> used_;
  std::vector<double> bound_;  // lower bound of the cost of placing order[i..]
  std::vector<int> best_;
  double best_cost_ = kInfinity;
};

/// Hop distances between all device qubits.
std::vector<std::vector<int>> hop_distances(const DeviceModel& d) {
  const int n = d.num_qubits();
  std::vector<std::vector<int>> dist(n, std::vector<int>(n, std::numeric_limits<int>::max()));
  for (int s = 0; s < n; ++s) {
    std::deque<int> queue{s};
    dist[s][s] = 0;
    while (!queue.empty()) {
      const int u = queue.front();
      queue.pop_front();
      for (int v : d.neighbours(u))
        if (dist[s][v] == std::numeric_limits<int>::max()) {
          dist[s][v] = dist[s][u] + 1;
          queue.push_back(v);
        }
    }
  }
  return dist;
}

/// Each qubit as close to its placed neighbours (or, a component's root, to the placed
/// qubits) as possible; ties to the higher degree, then the lower cost, then the lower index.
std::vector<int> greedy_placement(const Interaction& g, const Order& o, const DeviceModel& d,
                                  const std::vector<std::vector<int>>& dist) {
  std::vector<int> placed(g.adjacent.size(), -1);
  std::vector<char> used(d.num_qubits(), 0);
  std::vector<int> taken;
  for (int u : o.order) {
    int best = -1;
    std::tuple<long, int, double> best_key{};
    for (int p = 0; p < d.num_qubits(); ++p) {
      if (used[p]) continue;
      long distance = 0;
      if (!o.back[u].empty())
        for (int v : o.back[u]) distance += dist[p][placed[v]];
      else if (!taken.empty()) {
        distance = std::numeric_limits<long>::max();
        for (int t : taken) distance = std::min<long>(distance, dist[p][t]);
      }
      const std::tuple<long, int, double> key{distance, -static_cast<int>(d.neighbours(p).size()),
                                              qubit_cost(d, g.pulses[u], p)};
      if (best < 0 || key < best_key) {
        best = p;
        best_key = key;
      }
    }
    placed[u] = best;
    used[best] = 1;
    taken.push_back(best);
  }
  return placed;
}

/// A shortest path from a to b (inclusive), inside `allowed` device qubits if that connects
/// them, else anywhere.
std::vector<int> shortest_path(const DeviceModel& d, int a, int b, const std::vector<char>& allowed) {
  for (bool restricted : {true, false}) {
    std::vector<int> previous(d.num_qubits(), -1);
    previous[a] = a;
    std::deque<int> queue{a};
    while (!queue.empty() && previous[b] < 0) {
      const int u = queue.front();
      queue.pop_front();
      for (int v : d.neighbours(u))
        if (previous[v] < 0 && (!restricted || allowed[v] || v == b)) {
          previous[v] = u;
          queue.push_back(v);
        }
    }
    if (previous[b] < 0) continue;
    std::vector<int> path{b};
    while (path.back() != a) path.push_back(previous[path.back()]);
    std::reverse(path.begin(), path.end());
    return path;
  }
  throw core::InputError(d.name() + ": device qubits " + std::to_string(a) + " and " +
                         std::to_string(b) + " are not connected by the coupling map");
}

/// Routes with SWAPs from `placement`. `swap_back`: after a routed gate the SWAPs are undone,
/// so the placement holds for the next gates (good when few gates need routing); otherwise the
/// moved qubit stays where it went.
LaidOutCircuit route(const sim::Circuit& circuit, const DeviceModel& d, std::vector<int> placement,
                     bool swap_back) {
  const int q = circuit.num_qubits();
  const auto dist = hop_distances(d);
  std::vector<int> compact_of(d.num_qubits(), -1);  // device qubit -> compact qubit
  Layout layout;
  layout.physical = placement;
  std::vector<char> region(d.num_qubits(), 0);
  for (int k = 0; k < q; ++k) {
    compact_of[placement[k]] = k;
    region[placement[k]] = 1;
  }
  std::vector<int> device_of(q);  // circuit qubit -> device qubit now
  for (int k = 0; k < q; ++k) device_of[k] = placement[k];
  std::vector<int> occupant(d.num_qubits(), -1);  // device qubit -> circuit qubit now (-1: none)
  for (int k = 0; k < q; ++k) occupant[placement[k]] = k;
  auto compact = [&](int device_qubit) {
    if (compact_of[device_qubit] < 0) {
      compact_of[device_qubit] = static_cast<int>(layout.physical.size());
      layout.physical.push_back(device_qubit);
    }
    return compact_of[device_qubit];
  };

  std::vector<sim::Operation> ops;
  auto swap = [&](int from, int to) {
    ops.push_back({sim::GateKind::SWAP, {compact(from), compact(to)}});
    ++layout.swaps;
    std::swap(occupant[from], occupant[to]);
    for (int device_qubit : {from, to})
      if (occupant[device_qubit] >= 0) device_of[occupant[device_qubit]] = device_qubit;
  };
  for (const sim::Operation& op : circuit.operations()) {
    sim::Operation out = op;
    if (op.num_qubits() == 2) {
      const int a = op.qubits[0], b = op.qubits[1];
      std::vector<std::pair<int, int>> swaps;
      if (!d.coupled(device_of[a], device_of[b])) {
        const std::vector<int> path = shortest_path(d, device_of[a], device_of[b], region);
        for (std::size_t k = 0; k + 2 < path.size(); ++k) swaps.push_back({path[k], path[k + 1]});
      }
      for (const auto& [from, to] : swaps) swap(from, to);  // move a next to b
      out.qubits = {compact(device_of[a]), compact(device_of[b])};
      if (swap_back) {
        ops.push_back(out);
        for (auto it = swaps.rbegin(); it != swaps.rend(); ++it) swap(it->first, it->second);
        continue;
      }
    } else {
      out.qubits[0] = compact(device_of[op.qubits[0]]);
    }
    ops.push_back(out);
  }
  LaidOutCircuit result{sim::Circuit(static_cast<int>(layout.physical.size())), {}};
  for (const sim::Operation& op : ops) result.circuit.add(op);
  layout.final.resize(q);
  for (int k = 0; k < q; ++k) layout.final[k] = compact_of[device_of[k]];
  layout.embedded = layout.swaps == 0;
  layout.expected_errors = placement_score(circuit, d, placement);
  result.layout = std::move(layout);
  return result;
}

}  // namespace

double placement_score(const sim::Circuit& circuit, const DeviceModel& device,
                       std::span<const int> placement) {
  const Interaction g(circuit);
  double score = 0.0;
  for (int u = 0; u < circuit.num_qubits(); ++u) score += qubit_cost(device, g.pulses[u], placement[u]);
  for (const auto& [pair, count] : g.two_qubit) {
    const double e = coupler_error(device, placement[pair.first], placement[pair.second]);
    if (e < kInfinity) score += count * e;  // routed pairs: their SWAPs are not scored
  }
  return score;
}

LaidOutCircuit lay_out(const sim::Circuit& circuit, const DeviceModel& device,
                       const LayoutOptions& options) {
  device.require_qubits(circuit.num_qubits(), "the circuit");
  const Interaction g(circuit);
  const Order order(g);
  Embedder embedder(g, order, device, options.search_limit);
  embedder.search();
  if (!embedder.best().empty()) {
    LaidOutCircuit result{circuit, {}};
    result.layout.physical = embedder.best();
    result.layout.final.resize(circuit.num_qubits());
    for (int k = 0; k < circuit.num_qubits(); ++k) result.layout.final[k] = k;
    result.layout.embedded = true;
    result.layout.expected_errors = embedder.best_cost();
    return result;
  }
  if (options.strict) {
    int max_degree = 0;
    for (int u = 0; u < circuit.num_qubits(); ++u) max_degree = std::max(max_degree, g.degree(u));
    throw core::InputError(
        device.name() + ": the circuit's two-qubit gates (" + std::to_string(g.two_qubit.size()) +
        " interacting pairs, up to " + std::to_string(max_degree) + " per qubit) cannot all be "
        "placed on coupled qubits" +
        (embedder.complete() ? std::string()
                             : " (no placement found within the search limit of " +
                                   std::to_string(options.search_limit) + " steps)") +
        ", and a strict layout (no SWAPs) was asked for");
  }
  // Candidate placements: the heavily used pairs on couplers (the least used pairs dropped one
  // by one, at most 16, until the rest embeds), and the greedy one. Each is routed both ways;
  // the fewest SWAPs win (then the first found).
  std::vector<std::vector<int>> placements{greedy_placement(g, order, device, hop_distances(device))};
  std::vector<std::pair<int, std::pair<int, int>>> by_use;
  for (const auto& [pair, count] : g.two_qubit) by_use.push_back({count, pair});
  std::sort(by_use.begin(), by_use.end());
  Interaction reduced = g;
  for (std::size_t k = 0; k < std::min<std::size_t>(16, by_use.size()); ++k) {
    reduced = reduced.without(by_use[k].second);
    const Order reduced_order(reduced);
    Embedder partial(reduced, reduced_order, device, options.search_limit / 16);
    partial.search();
    if (partial.best().empty()) continue;
    placements.insert(placements.begin(), partial.best());
    break;
  }
  std::optional<LaidOutCircuit> best;
  for (const std::vector<int>& placement : placements)
    for (bool swap_back : {false, true}) {
      LaidOutCircuit routed = route(circuit, device, placement, swap_back);
      if (!best || routed.layout.swaps < best->layout.swaps) best = std::move(routed);
    }
  return std::move(*best);
}

std::vector<double> circuit_distribution(std::span<const double> compact, const Layout& layout,
                                         int num_circuit_qubits) {
  const int c = static_cast<int>(layout.physical.size()), q = num_circuit_qubits;
  if (compact.size() != (std::size_t{1} << c) || static_cast<int>(layout.final.size()) != q)
    throw std::invalid_argument("circuit_distribution: a distribution over " +
                                std::to_string(compact.size()) + " outcomes for a layout of " +
                                std::to_string(c) + " compact and " + std::to_string(q) +
                                " circuit qubits");
  bool identity = c == q;
  for (int k = 0; k < q && identity; ++k) identity = layout.final[k] == k;
  if (identity) return {compact.begin(), compact.end()};
  std::vector<double> out(std::size_t{1} << q, 0.0);
  for (std::size_t i = 0; i < compact.size(); ++i) {
    std::size_t x = 0;
    for (int k = 0; k < q; ++k) x |= ((i >> (c - 1 - layout.final[k])) & 1) << (q - 1 - k);
    out[x] += compact[i];
  }
  return out;
}

}  // namespace qgen::hw
