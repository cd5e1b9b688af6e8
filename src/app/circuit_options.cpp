#include "qgen/app/circuit_options.hpp"

namespace qgen::app {

void add_circuit_options(po::options_description& o) {
  o.add_options()
      ("circuit.ansatz", po::value<int>()->default_value(1), "1 (brick layer) or 2 (disconnected tree)")
      ("circuit.qubits", po::value<int>()->default_value(8), "qubits Q: each of N features gets Q/N")
      ("circuit.depth", po::value<int>()->default_value(6), "layers d")
      ("circuit.initial-state", enum_option(circuits::InitialState::zero),
       ("initial state: " + core::enum_choices<circuits::InitialState>()).c_str())
      ("circuit.fusion", enum_option(sim::FusionLevel::two_qubit),
       ("gate fusion: " + core::enum_choices<sim::FusionLevel>()).c_str());
}

CircuitOptions circuit_options_from(const po::variables_map& v) {
  CircuitOptions c;
  c.spec.ansatz = v["circuit.ansatz"].as<int>();
  c.spec.num_qubits = v["circuit.qubits"].as<int>();
  c.spec.depth = v["circuit.depth"].as<int>();
  c.spec.initial_state = enum_from<circuits::InitialState>(v, "circuit.initial-state");
  c.fusion = enum_from<sim::FusionLevel>(v, "circuit.fusion");
  circuits::check_ansatz(c.spec);
  return c;
}

}  // namespace qgen::app
