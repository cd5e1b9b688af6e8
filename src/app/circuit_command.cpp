// qgen circuit: build a QCBM circuit (paper 000, Fig. 2) with seeded random parameters,
// simulate it and summarise its output distribution; optionally export it as OpenQASM 2.0.
// This is the simulator on its own, without data or training.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>

#include "qgen/app/circuit_options.hpp"
#include "qgen/app/command.hpp"
#include "qgen/app/options.hpp"
#include "qgen/app/run_files.hpp"
#include "qgen/circuits/ansatz.hpp"
#include "qgen/circuits/initial_parameters.hpp"
#include "qgen/core/atomic_file.hpp"
#include "qgen/hw/qasm_export.hpp"
#include "qgen/sim/simulator.hpp"

namespace qgen::app {
namespace {

po::options_description circuit_options() {
  po::options_description o("qgen circuit options");
  add_circuit_options(o);
  o.add_options()
      ("circuit.features", po::value<int>()->default_value(2), "features N: each uses Q/N qubits (ansatz 2 blocks)")
      ("seed", count_option(1), "seed of the parameters, uniform in [0, 2 pi) (>= 0)")
      ("top", count_option(5), "how many most likely basis states to list (>= 0)")
      ("qasm", po::value<std::string>(), "also write the bound circuit as OpenQASM 2.0 to this file");
  return o;
}

std::string bits(std::size_t index, int n) {
  std::string s(n, '0');
  for (int q = 0; q < n; ++q)
    if ((index >> (n - 1 - q)) & 1) s[q] = '1';
  return s;
}

// The circuit's summary, on the lead rank.
void summarise_circuit(const po::variables_map& v, const CircuitOptions& chosen, int features) {
  print_cleaned(check_run_files({{"--config", option_text(v, "config")}}, {{"qasm", option_text(v, "qasm")}}));
  const circuits::AnsatzSpec& spec = chosen.spec;
  const sim::FusionLevel fusion = chosen.fusion;
  const sim::Circuit circuit = circuits::build_qcbm_circuit(spec);
  circuits::ParameterInitOptions init;
  init.seed = count_from(v, "seed", 0, kMaxSeed);
  const std::vector<double> theta = circuits::initial_parameters(circuit.num_parameters(), init);

  const sim::Simulator simulator(circuit, fusion);
  const std::vector<double> p = simulator.probabilities(theta);

  // Gate counts of the ansatz proper, after the initial-state preparation.
  sim::Circuit preparation(spec.num_qubits);
  circuits::prepare_initial_state(preparation, spec.initial_state);
  int rots = 0, cnots = 0;
  for (std::size_t i = preparation.size(); i < circuit.size(); ++i) {
    rots += circuit[i].kind == sim::GateKind::Rot;
    cnots += circuit[i].kind == sim::GateKind::CNOT;
  }
  double entropy = 0.0, purity = 0.0;
  for (double x : p) {
    if (x > 0) entropy -= x * std::log(x);
    purity += x * x;
  }
  const int n = spec.num_qubits;
  std::printf("qgen circuit: ansatz %d (%s), %d qubits, depth %d, initial state %s\n", spec.ansatz,
              spec.ansatz == 1 ? "brick layer" : "disconnected tree", n, spec.depth,
              core::name_of(spec.initial_state).c_str());
  std::printf("  parameters     %d\n", circuit.num_parameters());
  std::printf("  gates          %d Rot and %d CNOT after %zu preparing the initial state; "
              "%zu fused gates (%s)\n", rots, cnots, preparation.size(),
              simulator.plan().groups.size(), core::name_of(fusion).c_str());
  std::printf("  distribution   %zu basis states; parameters uniform in [0, 2 pi), seed %lu\n",
              p.size(), static_cast<unsigned long>(init.seed));
  std::printf("    total        %.15f\n", std::accumulate(p.begin(), p.end(), 0.0));
  std::printf("    entropy      %.4f nats (uniform: %.4f)\n", entropy, n * std::log(2.0));
  std::printf("    effective    %.1f states (1 / sum p^2)\n", 1.0 / purity);
  std::vector<std::size_t> order(p.size());
  std::iota(order.begin(), order.end(), 0);
  const std::size_t top =
      std::min(static_cast<std::size_t>(count_from(v, "top", 0, kMaxEvents)), p.size());
  std::partial_sort(order.begin(), order.begin() + top, order.end(),
                    [&](std::size_t a, std::size_t b) { return p[a] > p[b]; });
  for (std::size_t k = 0; k < top; ++k)
    std::printf("    %s |%s>  p = %.6f\n", k == 0 ? "most likely" : "           ",
                bits(order[k], n).c_str(), p[order[k]]);
  // Marginal mean bin of each feature (qubits [f q, (f+1) q), MSB first).
  const int q = n / features;
  for (int f = 0; n % features == 0 && f < features; ++f) {
    const std::size_t mask = (std::size_t{1} << q) - 1;
    double mean = 0.0;
    for (std::size_t x = 0; x < p.size(); ++x)
      mean += p[x] * static_cast<double>((x >> (n - (f + 1) * q)) & mask);
    std::printf("    feature %d    qubits [%d, %d), mean bin %.3f of %zu\n", f, f * q,
                (f + 1) * q, mean, mask + 1);
  }
  if (v.count("qasm")) {
    const std::string file = v["qasm"].as<std::string>();
    core::write_text_atomically(file, hw::to_openqasm2(circuit, theta));
    std::printf("  OpenQASM 2.0   written to %s\n", file.c_str());
  }
}

}  // namespace

int run_circuit_command(const core::Ranks& ranks, const Words& words) {
  const po::options_description options = circuit_options();
  ParsedOptions parsed;
  CircuitOptions chosen;
  int features = 0;
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
  });
  if (parsed.help) {
    print_help("qgen circuit [--config FILE] [options]", options, ranks.lead());
    return 0;
  }
  core::on_lead(ranks, [&] { summarise_circuit(parsed.values, chosen, features); });
  return 0;
}

}  // namespace qgen::app
