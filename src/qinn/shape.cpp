#include "qgen/qinn/shape.hpp"

#include <string>

#include "qgen/core/errors.hpp"

namespace qgen::qinn {
namespace {

void require(bool ok, const std::string& key, int value, const std::string& what) {
  if (!ok) throw core::InputError(key + " = " + std::to_string(value) + ": " + what);
}

}  // namespace

void check_shape(const QinnShape& s) {
  // Up to 20 feature qubits: with the events of a chunk in more qubits, states stay small.
  require(s.features >= 1 && s.features <= 20, "features", s.features,
          "the QINN needs 1 to 20 features (one qubit each)");
  require(s.layers >= 1 && s.layers <= 1000, "model.layers", s.layers,
          "the model circuit needs 1 to 1000 layers");
  require(s.isp_layers >= 0 && s.isp_layers <= 1000, "model.isp-layers", s.isp_layers,
          "the ISP's quantum network takes 0 to 1000 layers");
  require(s.network_layers >= 1 && s.network_layers <= 100, "model.network-layers",
          s.network_layers, "the ISP's classical network needs 1 to 100 dense layers");
  require(s.network_hidden >= 1 && s.network_hidden <= 100000, "model.network-hidden",
          s.network_hidden, "the hidden width must be 1 to 100000");
}

int network_parameter_count(const QinnShape& s) {
  int count = 0, in = s.features;
  for (int k = 0; k < s.network_layers; ++k) {
    const int out = k + 1 == s.network_layers ? 3 * s.features : s.network_hidden;
    count += (in + 1) * out;
    in = out;
  }
  return count;
}

ParameterLayout::ParameterLayout(const QinnShape& s) {
  const int n = s.features;
  model = 0;
  isp = model + 3 * n * s.layers;
  quantum = isp + 3 * n * s.isp_layers;
  input = quantum;
  output = input + 2 * n;
  network = output + 2 * n;
  size = network + network_parameter_count(s);
}

}  // namespace qgen::qinn
