// qgen circuit: build a QCBM circuit (paper 000, Fig. 2) with seeded random parameters,
// simulate it and summarise its output distribution; optionally export it as OpenQASM 2.0.
// This is the simulator on its own, without data or training.
//
// --group-size S (docs/groups.md): the ranks form groups of S that each hold the state
// distributed (sim/distributed_simulator.hpp, 2^Q / S amplitudes per rank); group 0 runs the
// circuit (one is all the command needs) and its lead prints. The summary is reduced from the local slices
// (sums over the ranks, the top states merged from each rank's own top ones), so no rank ever
// holds the whole distribution; ties in the top list go to the lower index, whatever S.
#include <algorithm>
#include <array>
#include <bit>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <span>
#include <tuple>
#include <utility>
#include <vector>

#include <mpi.h>

#include "qgen/app/circuit_options.hpp"
#include "qgen/app/command.hpp"
#include "qgen/app/options.hpp"
#include "qgen/app/run_files.hpp"
#include "qgen/circuits/ansatz.hpp"
#include "qgen/circuits/initial_parameters.hpp"
#include "qgen/core/atomic_file.hpp"
#include "qgen/core/parallel.hpp"
#include "qgen/core/text.hpp"
#include "qgen/hw/qasm_export.hpp"
#include "qgen/sim/distributed_simulator.hpp"

namespace qgen::app {
namespace {

po::options_description circuit_options() {
  po::options_description o("qgen circuit options");
  add_circuit_options(o);
  o.add_options()
      ("circuit.features", po::value<int>()->default_value(2), "features N: each uses Q/N qubits (ansatz 2 blocks)")
      ("seed", count_option(1), "seed of the parameters, uniform in [0, 2 pi) (>= 0)")
      ("top", count_option(5), "how many most likely basis states to list (>= 0)")
      ("group-size", count_option(1), "ranks per group sharing one distributed state: a power of two dividing the ranks (docs/groups.md)")
      ("qasm", po::value<std::string>(), "also write the bound circuit as OpenQASM 2.0 to this file");
  return o;
}

std::string bits(std::uint64_t index, int n) {
  std::string s(n, '0');
  for (int q = 0; q < n; ++q)
    if ((index >> (n - 1 - q)) & 1) s[q] = '1';
  return s;
}

// What the summary needs from the distribution, reduced over the group from the local slices
// (rank r holds basis states [first, first + p.size())): on the group's lead.
struct Summary {
  double total = 0, entropy = 0, purity = 0;
  std::vector<double> feature_means;                 // mean bin of each feature
  std::vector<std::pair<double, std::uint64_t>> top;  // (p, index), most likely first
};

// Most likely first; ties to the lower index, so the list does not depend on the partition.
bool more_likely(const std::pair<double, std::uint64_t>& a, const std::pair<double, std::uint64_t>& b) {
  return a.first != b.first ? a.first > b.first : a.second < b.second;
}

Summary summarise_distribution(const core::Ranks& group, std::span<const double> p,
                               std::uint64_t first, int n, int features, std::size_t top) {
  const int q = n / features;
  const int means = n % features == 0 ? features : 0;
  // Local sums: total, entropy, purity, then the feature means.
  std::vector<double> sums(3 + means, 0.0);
  sums[0] = std::accumulate(p.begin(), p.end(), 0.0);
  for (double x : p) {
    if (x > 0) sums[1] -= x * std::log(x);
    sums[2] += x * x;
  }
  const std::uint64_t mask = (std::uint64_t{1} << q) - 1;
  for (int f = 0; f < means; ++f)
    for (std::size_t i = 0; i < p.size(); ++i)
      sums[3 + f] += p[i] * static_cast<double>(((first + i) >> (n - (f + 1) * q)) & mask);
  std::vector<double> all(sums.size() * group.size);
  MPI_Gather(sums.data(), static_cast<int>(sums.size()), MPI_DOUBLE, all.data(),
             static_cast<int>(sums.size()), MPI_DOUBLE, 0, group.comm);
  // Each rank's own top states; the lead merges them.
  std::vector<std::pair<double, std::uint64_t>> mine(p.size());
  for (std::size_t i = 0; i < p.size(); ++i) mine[i] = {p[i], first + i};
  const std::size_t keep = std::min(top, mine.size());
  std::partial_sort(mine.begin(), mine.begin() + keep, mine.end(), more_likely);
  std::vector<double> values(keep), gathered_values(keep * group.size);
  std::vector<std::uint64_t> indices(keep), gathered_indices(keep * group.size);
  for (std::size_t k = 0; k < keep; ++k) std::tie(values[k], indices[k]) = mine[k];
  MPI_Gather(values.data(), static_cast<int>(keep), MPI_DOUBLE, gathered_values.data(),
             static_cast<int>(keep), MPI_DOUBLE, 0, group.comm);
  MPI_Gather(indices.data(), static_cast<int>(keep), MPI_UINT64_T, gathered_indices.data(),
             static_cast<int>(keep), MPI_UINT64_T, 0, group.comm);
  Summary summary;
  if (!group.lead()) return summary;
  // Added in rank order: with one rank, the single sweep's values exactly.
  std::vector<double> total(sums.size(), 0.0);
  for (int r = 0; r < group.size; ++r)
    for (std::size_t k = 0; k < sums.size(); ++k) total[k] += all[r * sums.size() + k];
  summary.total = total[0];
  summary.entropy = total[1];
  summary.purity = total[2];
  summary.feature_means.assign(total.begin() + 3, total.end());
  for (std::size_t k = 0; k < gathered_values.size(); ++k)
    summary.top.emplace_back(gathered_values[k], gathered_indices[k]);
  std::sort(summary.top.begin(), summary.top.end(), more_likely);
  summary.top.resize(std::min(top, summary.top.size()));
  return summary;
}

// The circuit simulated by group 0, summarised by its lead (world rank 0).
void summarise_circuit(const core::Ranks& ranks, const po::variables_map& v,
                       const CircuitOptions& chosen, int features, int group_size) {
  core::on_lead(ranks, [&] {
    print_cleaned(check_run_files({{"--config", option_text(v, "config")}}, {{"qasm", option_text(v, "qasm")}}));
  });
  const circuits::AnsatzSpec& spec = chosen.spec;
  const sim::FusionLevel fusion = chosen.fusion;
  const sim::Circuit circuit = circuits::build_qcbm_circuit(spec);
  circuits::ParameterInitOptions init;
  init.seed = count_from(v, "seed", 0, kMaxSeed);
  const std::vector<double> theta = circuits::initial_parameters(circuit.num_parameters(), init);
  const core::RankGroups groups = core::split_into_groups(ranks, group_size);

  // Group 0 alone simulates: the other groups would repeat it, and their states would share
  // the nodes' memory unchecked. The simulator checks the fit before allocating; its error,
  // agreed in group 0, is agreed over the world here.
  Summary summary;
  std::size_t fused_gates = 0;
  int exchanges = 0;
  std::uint64_t bytes_sent = 0;
  // The slowest rank's seconds: simulating, in exchanges, and of those waiting for a partner.
  std::array<double, 3> seconds{};
  core::collectively(ranks, [&] {
    if (groups.index() != 0) return;
    const sim::DistributedSimulator simulator(groups.group(), circuit, fusion);
    sim::DistributedStateVector state(groups.group(), spec.num_qubits);
    std::vector<double> p(simulator.local_size());
    const auto start = std::chrono::steady_clock::now();
    simulator.run(theta, state, p);
    seconds = {std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(),
               state.traffic().seconds, state.traffic().waiting_seconds};
    MPI_Allreduce(MPI_IN_PLACE, seconds.data(), 3, MPI_DOUBLE, MPI_MAX, groups.group().comm);
    const std::size_t top = static_cast<std::size_t>(count_from(v, "top", 0, kMaxEvents));
    summary = summarise_distribution(groups.group(), p, simulator.first_index(), spec.num_qubits,
                                     features, top);
    fused_gates = simulator.fusion().groups.size();
    exchanges = simulator.exchanges_per_run();
    bytes_sent = simulator.bytes_per_run();
  });
  core::on_lead(ranks, [&] {
    // Gate counts of the ansatz proper, after the initial-state preparation.
    sim::Circuit preparation(spec.num_qubits);
    circuits::prepare_initial_state(preparation, spec.initial_state);
    int rots = 0, cnots = 0;
    for (std::size_t i = preparation.size(); i < circuit.size(); ++i) {
      rots += circuit[i].kind == sim::GateKind::Rot;
      cnots += circuit[i].kind == sim::GateKind::CNOT;
    }
    const int n = spec.num_qubits;
    std::printf("qgen circuit: ansatz %d (%s), %d qubits, depth %d, initial state %s\n", spec.ansatz,
                spec.ansatz == 1 ? "brick layer" : "disconnected tree", n, spec.depth,
                core::name_of(spec.initial_state).c_str());
    std::printf("  parameters     %d\n", circuit.num_parameters());
    std::printf("  gates          %d Rot and %d CNOT after %zu preparing the initial state; "
                "%zu fused gates (%s)\n", rots, cnots, preparation.size(),
                fused_gates, core::name_of(fusion).c_str());
    if (group_size > 1)
      std::printf("  groups         %d of %d ranks (group 0 ran it), 2^%d amplitudes per rank; "
                  "%d exchanges, %s sent per rank\n", groups.count(), group_size,
                  n - std::countr_zero(static_cast<unsigned>(group_size)),
                  exchanges, core::bytes_text(static_cast<double>(bytes_sent)).c_str());
    std::printf("  time           %.3f s to simulate", seconds[0]);
    if (group_size > 1)
      std::printf(" (slowest rank); %.3f s in exchanges, %.3f s of it waiting for the partner",
                  seconds[1], seconds[2]);
    std::printf("\n");
    std::printf("  distribution   %llu basis states; parameters uniform in [0, 2 pi), seed %lu\n",
                1ULL << n, static_cast<unsigned long>(init.seed));
    std::printf("    total        %.15f\n", summary.total);
    std::printf("    entropy      %.4f nats (uniform: %.4f)\n", summary.entropy, n * std::log(2.0));
    std::printf("    effective    %.1f states (1 / sum p^2)\n", 1.0 / summary.purity);
    for (std::size_t k = 0; k < summary.top.size(); ++k)
      std::printf("    %s |%s>  p = %.6f\n", k == 0 ? "most likely" : "           ",
                  bits(summary.top[k].second, n).c_str(), summary.top[k].first);
    // Marginal mean bin of each feature (qubits [f q, (f+1) q), MSB first).
    const int q = n / features;
    for (std::size_t f = 0; f < summary.feature_means.size(); ++f)
      std::printf("    feature %zu    qubits [%zu, %zu), mean bin %.3f of %llu\n", f, f * q,
                  (f + 1) * q, summary.feature_means[f], 1ULL << q);
    if (v.count("qasm")) {
      const std::string file = v["qasm"].as<std::string>();
      core::write_text_atomically(file, hw::to_openqasm2(circuit, theta));
      std::printf("  OpenQASM 2.0   written to %s\n", file.c_str());
    }
  });
}

}  // namespace

int run_circuit_command(const core::Ranks& ranks, const Words& words) {
  const po::options_description options = circuit_options();
  ParsedOptions parsed;
  CircuitOptions chosen;
  int features = 0, group_size = 1;
  core::collectively(ranks, [&] {
    parsed = parse_options("circuit", options, words);
    if (parsed.help) return;
    chosen = circuit_options_from(parsed.values);
    // Features matter to ansatz 2 (its blocks) and to the printed marginals.
    features = parsed.values["circuit.features"].as<int>();
    if (features < 1 || (chosen.spec.ansatz == 2 && chosen.spec.num_qubits % features != 0))
      throw core::InputError("circuit.features = " + std::to_string(features) +
                             " does not divide circuit.qubits = " +
                             std::to_string(chosen.spec.num_qubits) + " (ansatz 2 blocks)");
    if (chosen.spec.ansatz == 2) chosen.spec.block_size = chosen.spec.num_qubits / features;
    circuits::check_ansatz(chosen.spec);
    group_size = static_cast<int>(count_from(parsed.values, "group-size", 1, 1L << 30));
  });
  if (parsed.help) {
    print_help("qgen circuit [--config FILE] [options]", options, ranks.lead());
    return 0;
  }
  summarise_circuit(ranks, parsed.values, chosen, features, group_size);
  return 0;
}

}  // namespace qgen::app
