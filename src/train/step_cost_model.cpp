#include "qgen/train/step_cost_model.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "qgen/core/errors.hpp"
#include "qgen/sim/distribution_plan.hpp"
#include "qgen/sim/parameter_shift.hpp"
#include "qgen/sim/sampling.hpp"
#include "qgen/train/group_gradient_engine.hpp"

namespace qgen::train {
namespace {

int log2_ceil(int ranks) { return ranks <= 1 ? 0 : std::bit_width(static_cast<unsigned>(ranks - 1)); }

// The bandwidth factor f(R) of each collective's textbook algorithm (see the header).
double bandwidth_factor(Collective kind, int ranks) {
  const double r = ranks;
  switch (kind) {
    case Collective::allreduce: return 2.0 * (r - 1) / r;
    case Collective::allgather:
    case Collective::reduce_scatter:
    case Collective::gather: return (r - 1) / r;
    case Collective::broadcast: return log2_ceil(ranks);
  }
  return 0;
}

const LinkFigures& figures_of(const CostCalibration& c, Collective kind) {
  switch (kind) {
    case Collective::allreduce: return c.allreduce;
    case Collective::allgather: return c.allgather;
    case Collective::reduce_scatter: return c.reduce_scatter;
    case Collective::gather: return c.gather;
    case Collective::broadcast: return c.broadcast;
  }
  return c.allreduce;
}

bool is_power_of_two(int n) { return n > 0 && (n & (n - 1)) == 0; }

}  // namespace

CostCalibration builtin_calibration() {
  // Measured by `mpiexec -n 2 qgen-bench-cost` on this project's development machine
  // (docs/cost-model.md, "Calibration"): AMD EPYC, 2 ranks, qgen-bench-cost, 2026-12-04 16:33 UTC,
  // load average about 1 (validated in the same window: docs/cost-model.md, "Validation").
  CostCalibration c;
  c.machine = "built in: AMD EPYC, 2 ranks (qgen's development machine; docs/cost-model.md)";
  c.measured = "qgen-bench-cost, 2026-12-04 16:33 UTC";
  c.pass_seconds_per_amplitude = {{8, 7.402e-10}, {10, 4.287e-10}, {12, 3.538e-10}, {14, 3.345e-10}, {16, 3.488e-10}, {18, 4.055e-10}, {20, 4.910e-10}, {22, 5.933e-10}, {24, 5.937e-10}};
  c.estimate_seconds_per_state = 1.089e-08;
  c.estimate_seconds_per_shot = 1.962e-09;
  c.loss_seconds_per_state = 2.189e-08;
  c.allreduce = {5.410e-07, 7.941e-10};
  c.allgather = {5.310e-07, 1.767e-10};
  c.reduce_scatter = {6.410e-07, 4.539e-10};
  c.gather = {6.210e-07, 8.573e-11};
  c.broadcast = {2.300e-07, 1.073e-10};
  c.exchange = {4.710e-07, 1.446e-10};
  return c;
}

namespace {
nlohmann::json link_json(const LinkFigures& l) {
  return {{"latency_s", l.latency}, {"seconds_per_byte", l.seconds_per_byte}};
}
}  // namespace

std::string to_json(const CostCalibration& c) {
  nlohmann::json j;
  j["machine"] = c.machine;
  j["measured"] = c.measured;
  nlohmann::json passes = nlohmann::json::array();
  for (const auto& [q, s] : c.pass_seconds_per_amplitude)
    passes.push_back({{"qubits", q}, {"seconds_per_amplitude", s}});
  j["pass_seconds_per_amplitude"] = passes;
  j["estimate_seconds_per_state"] = c.estimate_seconds_per_state;
  j["estimate_seconds_per_shot"] = c.estimate_seconds_per_shot;
  j["loss_seconds_per_state"] = c.loss_seconds_per_state;
  j["allreduce"] = link_json(c.allreduce);
  j["allgather"] = link_json(c.allgather);
  j["reduce_scatter"] = link_json(c.reduce_scatter);
  j["gather"] = link_json(c.gather);
  j["broadcast"] = link_json(c.broadcast);
  j["exchange"] = link_json(c.exchange);
  return j.dump(2) + "\n";
}

CostCalibration calibration_from_json(const std::string& text, const std::string& where) {
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {
    throw core::DataError(where + ": not JSON (" + e.what() + ")");
  }
  const auto need = [&](const nlohmann::json& o, const char* key, const std::string& path) -> const nlohmann::json& {
    if (!o.is_object() || !o.contains(key))
      throw core::DataError(where + ": missing \"" + path + key + "\"");
    return o.at(key);
  };
  const auto number = [&](const nlohmann::json& o, const char* key, const std::string& path) {
    const auto& v = need(o, key, path);
    if (!v.is_number() || !(v.get<double>() >= 0) || !std::isfinite(v.get<double>()))
      throw core::DataError(where + ": \"" + path + key + "\" must be a number >= 0");
    return v.get<double>();
  };
  const auto link = [&](const char* key) {
    const auto& o = need(j, key, "");
    return LinkFigures{number(o, "latency_s", std::string(key) + "."),
                       number(o, "seconds_per_byte", std::string(key) + ".")};
  };
  CostCalibration c;
  if (j.contains("machine") && j["machine"].is_string()) c.machine = j["machine"];
  if (j.contains("measured") && j["measured"].is_string()) c.measured = j["measured"];
  const auto& passes = need(j, "pass_seconds_per_amplitude", "");
  if (!passes.is_array() || passes.empty())
    throw core::DataError(where + ": \"pass_seconds_per_amplitude\" must be a non-empty list");
  for (const auto& p : passes) {
    const double q = number(p, "qubits", "pass_seconds_per_amplitude[].");
    c.pass_seconds_per_amplitude.emplace_back(static_cast<int>(q),
                                              number(p, "seconds_per_amplitude", "pass_seconds_per_amplitude[]."));
  }
  std::sort(c.pass_seconds_per_amplitude.begin(), c.pass_seconds_per_amplitude.end());
  c.estimate_seconds_per_state = number(j, "estimate_seconds_per_state", "");
  c.estimate_seconds_per_shot = number(j, "estimate_seconds_per_shot", "");
  c.loss_seconds_per_state = number(j, "loss_seconds_per_state", "");
  c.allreduce = link("allreduce");
  c.allgather = link("allgather");
  c.reduce_scatter = link("reduce_scatter");
  c.gather = link("gather");
  c.broadcast = link("broadcast");
  c.exchange = link("exchange");
  return c;
}

double pass_seconds(const CostCalibration& c, int local_qubits) {
  const auto& t = c.pass_seconds_per_amplitude;
  if (t.empty()) throw std::invalid_argument("cost model: the calibration has no pass timings");
  double per_amplitude = t.front().second;
  if (local_qubits >= t.back().first) {
    per_amplitude = t.back().second;
  } else if (local_qubits > t.front().first) {
    for (std::size_t k = 1; k < t.size(); ++k)
      if (local_qubits <= t[k].first) {
        const double w = double(local_qubits - t[k - 1].first) / double(t[k].first - t[k - 1].first);
        per_amplitude = (1 - w) * t[k - 1].second + w * t[k].second;
        break;
      }
  }
  return per_amplitude * std::ldexp(1.0, local_qubits);
}

double estimate_seconds(const CostCalibration& c, int num_qubits, std::uint64_t shots, int group_size) {
  if (shots == 0) return 0;
  const double states = std::ldexp(1.0, num_qubits);
  const double per_rank = states > static_cast<double>(sim::kLargestAliasTable) ? states / group_size : states;
  return c.estimate_seconds_per_state * per_rank + c.estimate_seconds_per_shot * static_cast<double>(shots);
}

double collective_seconds(const CostCalibration& c, Collective kind, int ranks, double bytes) {
  if (ranks <= 1) return 0;
  const LinkFigures& f = figures_of(c, kind);
  // Normalised so that R = 2 gives the 2-rank measurement: latency x log2 R, bandwidth x f(R)/f(2).
  return f.latency * log2_ceil(ranks) +
         f.seconds_per_byte * bytes * bandwidth_factor(kind, ranks) / bandwidth_factor(kind, 2);
}

double exchange_seconds(const CostCalibration& c, double exchanges, double bytes) {
  return exchanges * (c.exchange.latency + c.exchange.seconds_per_byte * bytes);
}

StepShape describe_step(const sim::Circuit& circuit, const EngineOptions& options) {
  if (options.method != GradientMethod::parameter_shift)
    throw std::invalid_argument("cost model: only the parameter-shift gradient is modelled");
  const sim::ParameterShift shift(circuit, options.fusion, options.shift_evaluation);
  StepShape s;
  s.num_qubits = circuit.num_qubits();
  s.num_parameters = circuit.num_parameters();
  s.shots = options.shots;
  s.paired = options.shift_evaluation == sim::ShiftEvaluation::paired;
  s.fusion = shift.plan();
  s.sites = shift.sites();
  s.site_costs = shift.site_costs();
  for (const auto& g : s.fusion.groups) s.forward_passes += sim::pass_cost(g.kind);
  return s;
}

int MachineShape::ranks_per_node_for(double memory_per_rank, int ranks) const {
  if (ranks_per_node > 0) {
    const int placed = std::min(ranks_per_node, ranks);
    return placed * memory_per_rank <= node_memory ? placed : 0;
  }
  const double fit = std::floor(node_memory / memory_per_rank);
  return static_cast<int>(std::min<double>(std::min(cores_per_node, ranks), fit));
}

StepPrediction predict_step(const StepShape& step, const CostCalibration& c,
                            const MachineShape& machine, int ranks, int group_size) {
  if (ranks < 1 || !is_power_of_two(group_size) || ranks % group_size != 0)
    throw std::invalid_argument("cost model: the group size must be a power of two dividing the ranks");
  const int g = std::countr_zero(static_cast<unsigned>(group_size));
  const int q = step.num_qubits;
  const int local = q - g;
  if (g > 0 && local < 2)
    throw std::invalid_argument("cost model: a group that large leaves fewer than two local qubits");
  const int groups = ranks / group_size;
  const int P = step.num_parameters;
  const double simulations = step.paired ? 1 : 2;
  const double states = std::ldexp(1.0, q);

  StepPrediction p;
  p.ranks = ranks;
  p.groups = groups;
  p.group_size = group_size;
  EngineOptions options;
  options.shots = step.shots;
  options.shift_evaluation = step.paired ? sim::ShiftEvaluation::paired : sim::ShiftEvaluation::direct;
  p.memory_per_rank = training_memory_per_rank(q, group_size, options);
  p.ranks_per_node = machine.ranks_per_node_for(p.memory_per_rank, ranks);
  p.fits = p.ranks_per_node > 0;
  p.nodes = p.fits ? (ranks + p.ranks_per_node - 1) / p.ranks_per_node : 0;

  // Inside a group: exchanges of the distribution plan, each moving half of the 2^L amplitudes.
  std::vector<int> exchanges_before_gate(step.fusion.groups.size() + 1, 0);
  int plan_exchanges = 0;
  if (g > 0) {
    const sim::DistributionPlan plan = sim::plan_distribution(step.fusion, g);
    plan_exchanges = plan.exchanges;
    int seen = 0;
    for (const auto& st : plan.steps) {
      if (st.kind == sim::DistributedStep::Kind::exchange) ++seen;
      if (st.kind == sim::DistributedStep::Kind::gate) exchanges_before_gate[st.gate] = seen;
    }
    exchanges_before_gate.back() = seen;
  }
  const double exchange_bytes = 16.0 * std::ldexp(1.0, local - 1);
  const double one_exchange = g > 0 ? exchange_seconds(c, 1, exchange_bytes) : 0.0;
  const double pass = pass_seconds(c, local);
  const double forward_compute = step.forward_passes * pass;
  const double forward = forward_compute + plan_exchanges * one_exchange;

  // Group collectives on 2^Q vectors: the model gathered on every rank of the group (a gather
  // to the lead and a broadcast), and with shots (sim/distributed_sampling.hpp), up to 2^24
  // states, every circuit's distribution gathered on the lead and its counts (4 B each) sent
  // back, plus two small MPI_Allreduce calls agreeing on the lead's memory check and its draw;
  // beyond, no 2^Q vector moves: three agreements (the slices' sums, the scale, the draw), the
  // slices' sums allgathered, the integer offsets (MPI_Exscan, counted as an allreduce) and
  // total.
  const double model_gather = collective_seconds(c, Collective::gather, group_size, 8 * states) +
                              collective_seconds(c, Collective::broadcast, group_size, 8 * states);
  const bool gathered_shots = states <= static_cast<double>(sim::kLargestAliasTable);
  double shot_traffic = 0.0;
  if (step.shots > 0 && gathered_shots)
    shot_traffic = collective_seconds(c, Collective::gather, group_size, 8 * states) +
                   collective_seconds(c, Collective::gather, group_size, 4 * states) +
                   2 * collective_seconds(c, Collective::allreduce, group_size, 4);
  else if (step.shots > 0)
    shot_traffic = 3 * collective_seconds(c, Collective::allreduce, group_size, 4) +
                   collective_seconds(c, Collective::allgather, group_size, 8 * group_size) +
                   2 * collective_seconds(c, Collective::allreduce, group_size, 8);
  const double estimate = estimate_seconds(c, q, step.shots, group_size);
  const double group_estimate = estimate + shot_traffic;

  // The split, as the trainer makes it: train::shift_work_cost with the seconds per pass group 0
  // measures (its forward, exchanges included, over its passes) and its shot estimate.
  const double measured_pass = forward / std::max(1.0, step.forward_passes);
  const std::vector<double> split_cost =
      shift_work_cost(P, step.sites, step.site_costs, simulations, measured_pass, group_estimate);
  const auto work = assign_work(split_cost, groups);

  // The time of each site in its group: its suffix passes and the exchanges after its gate.
  std::vector<double> site_seconds(step.sites.size());
  for (std::size_t s = 0; s < step.sites.size(); ++s) {
    const int gate = step.sites[s].group;
    const double after = plan_exchanges - exchanges_before_gate[gate];
    site_seconds[s] = simulations * (step.site_costs[s] * pass + after * one_exchange) + 2 * group_estimate;
  }
  // Every group: the unshifted circuit, its estimate, the model gathered, the loss.
  const double base = forward + group_estimate + model_gather + c.loss_seconds_per_state * states;
  double slowest = 0, slowest_replicated = base, slowest_work = 0;
  int slowest_group = 0;
  for (int k = 0; k < groups; ++k) {
    const auto mine = sites_of_work(P, step.sites, work[k]);
    if (mine.empty()) {
      if (base > slowest) slowest = base, slowest_replicated = base, slowest_work = 0, slowest_group = k;
      continue;
    }
    ++p.busy_groups;
    // ParameterShift's walk: the paired final state (a forward) and the prefix up to the last site.
    const int last_gate = step.sites[mine.back()].group;
    double prefix_passes = 0;
    for (int f = 0; f < last_gate; ++f) prefix_passes += sim::pass_cost(step.fusion.groups[f].kind);
    const double walk = (step.paired ? forward : 0.0) + prefix_passes * pass +
                        exchanges_before_gate[last_gate] * one_exchange;
    double load = 0;
    for (int s : mine) load += site_seconds[s];
    const double total = base + walk + load;
    if (total > slowest) slowest = total, slowest_replicated = base + walk, slowest_work = load, slowest_group = k;
  }

  // World collectives per step (trainer.cpp, TAO Adam, the monitor), and the group's gradient sum.
  const double pbytes = 8.0 * P;
  double world = collective_seconds(c, Collective::allgather, ranks, pbytes) +       // parameters to all
                 collective_seconds(c, Collective::reduce_scatter, ranks, pbytes) +  // the gradient
                 collective_seconds(c, Collective::gather, ranks, pbytes) +          // gradient to the lead
                 4 * collective_seconds(c, Collective::allreduce, ranks, 8) +        // agree, norm, progress, signals
                 2 * collective_seconds(c, Collective::broadcast, ranks, 8);         // norm, time
  if (group_size > 1) world += collective_seconds(c, Collective::allreduce, group_size, pbytes);

  // Communication on the slowest group's path (for the printout; already in the times above).
  const auto mine = sites_of_work(P, step.sites, work[slowest_group]);
  double exchanges = plan_exchanges;  // the unshifted forward
  if (!mine.empty()) {
    const int last_gate = step.sites[mine.back()].group;
    exchanges += (step.paired ? plan_exchanges : 0) + exchanges_before_gate[last_gate];
    for (int s : mine) exchanges += simulations * (plan_exchanges - exchanges_before_gate[step.sites[s].group]);
  }
  const double circuits_sampled = step.shots > 0 ? 1.0 + 2.0 * mine.size() : 0.0;
  p.communication = world + (g > 0 ? exchanges * one_exchange + model_gather + circuits_sampled * shot_traffic : 0.0);
  p.seconds = slowest + world;
  p.replicated = slowest_replicated;
  p.work = slowest_work;

  StepTraffic& t = p.traffic;
  // The world's four: failure agreement (4 B), the gradient norm (8 B), progress and signal
  // agreement (4 B each); a group's: the gradient sum and per sampled circuit two (4 B each;
  // beyond 2^24 states five: three agreements, 4 B, and the integer CDF's offset (MPI_Exscan)
  // and total, 8 B each; the allgather of the slices' sums is not among the counted calls).
  const double sampled_in_group = g > 0 ? circuits_sampled : 0.0;
  t.allreduce_calls = 4 + (g > 0 ? 1 + (gathered_shots ? 2 : 5) * sampled_in_group : 0);
  t.allreduce_bytes = 20 + (g > 0 ? pbytes + (gathered_shots ? 8 : 28) * sampled_in_group : 0);
  t.reduce_scatter_calls = 1;
  t.reduce_scatter_bytes = pbytes;
  t.broadcast_calls = 2 + (g > 0 ? 1 : 0);  // the norm, the time; the model to the group
  t.parameter_gathers = 2;
  t.exchanges = g > 0 ? exchanges : 0;
  t.exchange_bytes = t.exchanges * exchange_bytes;
  t.distribution_gathers = g > 0 ? 1 + (gathered_shots ? circuits_sampled : 0) : 0;
  t.distribution_bytes = g > 0 ? t.distribution_gathers * 8 * states : 0;
  return p;
}

StepPrediction best_layout(const StepShape& step, const CostCalibration& c,
                           const MachineShape& machine, int ranks) {
  StepPrediction best;
  bool have = false;
  StepPrediction least_memory;
  bool have_any = false;
  for (int s = 1; s <= ranks; s *= 2) {
    if (ranks % s != 0) break;
    if (s > 1 && step.num_qubits - std::countr_zero(static_cast<unsigned>(s)) < 2) break;
    const StepPrediction p = predict_step(step, c, machine, ranks, s);
    if (!have_any || p.memory_per_rank < least_memory.memory_per_rank) least_memory = p, have_any = true;
    if (p.fits && (!have || p.seconds < best.seconds)) best = p, have = true;
  }
  if (!have_any) throw std::invalid_argument("cost model: no layout of these ranks");
  return have ? best : least_memory;
}

std::pair<double, double> speedup_and_efficiency(const StepPrediction& p, double reference_seconds,
                                                 int reference_ranks) {
  const double speedup = reference_seconds / p.seconds;
  return {speedup, speedup * reference_ranks / p.ranks};
}

}  // namespace qgen::train
