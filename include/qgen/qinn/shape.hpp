// The QINN's architecture (paper 004, section 3 and Table 1) and where every trainable parameter
// lives in the model's one flat parameter vector.
//
// Blocks, in this order (so that the inverse circuit's parameters, model then ISP, are one
// contiguous stretch):
//   model     3 n L    Rot angles of the model circuit (circuits/qinn_ansatz.hpp), radians
//   isp       3 n Li   Rot angles of the ISP's quantum network
//   input     2 n      u then v of the input map (qinn/affine_maps.hpp)
//   output    2 n      c then d of the output map
//   network   ...      the ISP's classical network (qinn/isp_network.hpp)
// For the paper's n = 5, L = 12, Li = 8, 3 network layers of width 32: 180 + 120 + 10 + 10 +
// 1743 = 2063 parameters ("2k: QNN ~300, NN ~1.7k", Table 1).
#pragma once

namespace qgen::qinn {

struct QinnShape {
  int features = 5;         // n: one qubit per feature
  int layers = 12;          // L: model-circuit layers
  int isp_layers = 8;       // Li: layers of the ISP's quantum network (0: none)
  int network_layers = 3;   // dense layers of the ISP's classical network
  int network_hidden = 32;  // their width (the last layer has 3n outputs)
};

/// core::InputError naming the option (model.layers, ...) for an impossible architecture.
void check_shape(const QinnShape& shape);

struct ParameterLayout {
  explicit ParameterLayout(const QinnShape& shape);
  int model = 0, isp = 0, input = 0, output = 0, network = 0;  // first index of each block
  int quantum = 0;  // model and isp angles together: 3 n (L + Li), from 0
  int size = 0;
};

/// Parameters of the ISP's classical network: sum over its dense layers of (in + 1) out.
int network_parameter_count(const QinnShape& shape);

}  // namespace qgen::qinn
