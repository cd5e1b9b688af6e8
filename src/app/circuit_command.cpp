// qgen circuit: build a QCBM circuit (paper 000, Fig. 2) with seeded random parameters,
// simulate it and summarise its output distribution; optionally export it as OpenQASM 2.0.
// This is the simulator on its own, without data or training.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <numeric>
#include <random>

#include "qgen/app/command.hpp"
#include "qgen/app/options.hpp"
#include "qgen/circuits/ansatz.hpp"
#include "qgen/data/atomic_file.hpp"
#include "qgen/hw/qasm_export.hpp"
#include "qgen/sim/simulator.hpp"

namespace qgen::app {
namespace {

po::options_description circuit_options() {
  po::options_description o("qgen circuit options");
  o.add_options()
      ("circuit.ansatz", po::value<int>()->default_value(1), "1 (brick layer) or 2 (disconnected tree)")
      ("circuit.qubits", po::value<int>()->default_value(8), "number of qubits Q")
      ("circuit.depth", po::value<int>()->default_value(6), "number of layers d")
      ("circuit.initial_state", po::value<std::string>()->default_value("zero"), "zero, bell, ghz or plus")
      ("circuit.features", po::value<int>()->default_value(2), "features N: each uses Q/N qubits (ansatz 2 blocks)")
      ("circuit.fusion", po::value<std::string>()->default_value("two_qubit"), "gate fusion: none, one_qubit, two_qubit")
      ("seed", po::value<unsigned long>()->default_value(1), "seed of the parameters, uniform in [0, 2 pi)")
      ("top", po::value<int>()->default_value(5), "how many most likely basis states to list")
      ("qasm", po::value<std::string>(), "also write the bound circuit as OpenQASM 2.0 to this file");
  return o;
}

std::string bits(std::size_t index, int n) {
  std::string s(n, '0');
  for (int q = 0; q < n; ++q)
    if ((index >> (n - 1 - q)) & 1) s[q] = '1';
  return s;
}

}  // namespace

int run_circuit_command(const Context& context, const Words& words) {
  const po::options_description options = circuit_options();
  const ParsedOptions parsed = parse_options("circuit", options, words);
  if (parsed.help) {
    if (context.lead()) {
      std::printf("usage: qgen circuit [--config FILE] [options]\n\n");
      std::fflush(stdout);
      std::cout << options << std::endl;
    }
    return 0;
  }
  const auto& v = parsed.values;
  circuits::AnsatzSpec spec;
  spec.ansatz = v["circuit.ansatz"].as<int>();
  spec.num_qubits = v["circuit.qubits"].as<int>();
  spec.depth = v["circuit.depth"].as<int>();
  const int features = v["circuit.features"].as<int>();
  sim::FusionLevel fusion;
  try {
    spec.initial_state = circuits::parse_initial_state(v["circuit.initial_state"].as<std::string>());
    fusion = sim::parse_fusion_level(v["circuit.fusion"].as<std::string>());
    if (features < 1 || spec.num_qubits % features != 0)
      throw std::invalid_argument("circuit.features = " + std::to_string(features) +
                                  " does not divide circuit.qubits = " +
                                  std::to_string(spec.num_qubits));
    spec.block_size = spec.num_qubits / features;
    circuits::check_ansatz(spec);
  } catch (const std::invalid_argument& e) {
    throw InputError(e.what());
  }
  if (!context.lead()) return 0;  // a serial command: the other ranks have nothing to do

  const sim::Circuit circuit = circuits::build_qcbm_circuit(spec);
  std::mt19937_64 rng(v["seed"].as<unsigned long>());
  std::uniform_real_distribution<double> angle(0.0, 2.0 * M_PI);
  std::vector<double> theta(circuit.num_parameters());
  for (double& t : theta) t = angle(rng);

  const sim::Simulator simulator(circuit, fusion);
  const std::vector<double> p = simulator.probabilities(theta);

  int rots = 0, cnots = 0;
  for (const auto& op : circuit.operations()) {
    rots += op.kind == sim::GateKind::Rot;
    cnots += op.kind == sim::GateKind::CNOT;
  }
  double entropy = 0.0, purity = 0.0;
  for (double x : p) {
    if (x > 0) entropy -= x * std::log(x);
    purity += x * x;
  }
  const int n = spec.num_qubits;
  std::printf("qgen circuit: ansatz %d (%s), %d qubits, depth %d, initial state %s\n", spec.ansatz,
              spec.ansatz == 1 ? "brick layer" : "disconnected tree", n, spec.depth,
              circuits::to_string(spec.initial_state).c_str());
  std::printf("  parameters     %d\n", circuit.num_parameters());
  std::printf("  gates          %zu (%d Rot, %d CNOT, %zu preparing the initial state); "
              "%zu after %s fusion\n", circuit.size(), rots, cnots,
              circuit.size() - rots - cnots, simulator.plan().groups.size(),
              sim::to_string(fusion).c_str());
  std::printf("  distribution   %zu basis states; parameters uniform in [0, 2 pi), seed %lu\n",
              p.size(), v["seed"].as<unsigned long>());
  std::printf("    total        %.15f\n", std::accumulate(p.begin(), p.end(), 0.0));
  std::printf("    entropy      %.4f nats (uniform: %.4f)\n", entropy, n * std::log(2.0));
  std::printf("    effective    %.1f states (1 / sum p^2)\n", 1.0 / purity);
  std::vector<std::size_t> order(p.size());
  std::iota(order.begin(), order.end(), 0);
  const int top = std::clamp(v["top"].as<int>(), 0, static_cast<int>(p.size()));
  std::partial_sort(order.begin(), order.begin() + top, order.end(),
                    [&](std::size_t a, std::size_t b) { return p[a] > p[b]; });
  for (int k = 0; k < top; ++k)
    std::printf("    %s |%s>  p = %.6f\n", k == 0 ? "most likely" : "           ",
                bits(order[k], n).c_str(), p[order[k]]);
  // Marginal mean bin of each feature (qubits [f q, (f+1) q), MSB first).
  const int q = n / features;
  for (int f = 0; f < features; ++f) {
    double mean = 0.0;
    for (std::size_t x = 0; x < p.size(); ++x)
      mean += p[x] * static_cast<double>((x >> (n - (f + 1) * q)) & ((1u << q) - 1));
    std::printf("    feature %d    qubits [%d, %d), mean bin %.3f of %d\n", f, f * q, (f + 1) * q,
                mean, 1 << q);
  }
  if (v.count("qasm")) {
    const std::string file = v["qasm"].as<std::string>();
    try {
      data::write_text_atomically(file, hw::to_openqasm2(circuit, theta));
    } catch (const std::runtime_error& e) {
      throw InputError(e.what());
    }
    std::printf("  OpenQASM 2.0   written to %s\n", file.c_str());
  }
  return 0;
}

}  // namespace qgen::app
