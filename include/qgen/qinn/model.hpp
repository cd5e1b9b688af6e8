// The quantum invertible neural network of paper 004 (section 3) as a function of its
// parameters (qinn/shape.hpp), evaluated chunk by chunk (qinn/event_chunk.hpp) on one rank.
//
// Forward map f (x -> z):
//   x (physical) -> s in [0, pi] (qinn/feature_scaling.hpp) -> alpha = a s + pi b
//   (qinn/affine_maps.hpp) -> prod_i RY(alpha_i)|0> -> U, the model circuit of L layers
//   (circuits/qinn_ansatz.hpp) -> E_i = P(qubit i = 1), exact -> z_i = c_i E_i + d_i.
// Inverse map g (z -> x), the learned inverse state preparation (section 3.1, Fig. 4):
//   z -> psi = g_C(z), 3n angles (qinn/isp_network.hpp) -> prod_i Rot(psi_i)|0> -> V, the ISP's
//   quantum network of Li layers -> U^+ -> E~_i -> alpha~_i = 2 asin(sqrt(E~_i)) (the RY
//   encoding inverted: P(1) = sin^2(alpha/2)) -> s~ = (alpha~ - pi b) / a -> x~.
// Density (section 2.1, eq. 5): log p(x) = sum_j log N(z_j; 0, 1) + log |det J(x)|, with the
//   full n x n Jacobian J_jk = dz_j/dx_k = c_j (dE_j/dalpha_k) a_k pi / (high_k - low_k). The
//   derivatives dE_j/dalpha_k come from the parameter-shift rule on the encoding gates,
//   (E_j(alpha + pi/2 e_k) - E_j(alpha - pi/2 e_k)) / 2, exact for RY: 2n extra runs per chunk.
//   Units: per unit of each physical feature (GeV^-2 for the two pT, rad^-1 for delta_phi).
//   p is a normalised density only where f is one-to-one; nothing in the architecture makes it
//   so (training for invertibility does), and |det J| near 0 flags where it folds.
//
// The circuits: `forward` = U on n + k qubits (k for the chunk's events), parameter slots
// [0, 3nL); `inverse` = V then U^+, slots [0, 3n(L + Li)): the quantum block of the parameters.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "qgen/qinn/affine_maps.hpp"
#include "qgen/qinn/chunk_circuit.hpp"
#include "qgen/qinn/event_chunk.hpp"
#include "qgen/qinn/feature_scaling.hpp"
#include "qgen/qinn/isp_network.hpp"
#include "qgen/qinn/shape.hpp"
#include "qgen/sim/circuit.hpp"

namespace qgen::qinn {

struct ModelOptions {
  QinnShape shape;
  /// Events simulated together in one state (a power of two). Results per event do not depend
  /// on it, but summed gradients do in their last bits: training keeps it fixed for a run.
  int chunk = 16;
  sim::FusionLevel fusion = sim::FusionLevel::two_qubit;
};

/// InputError for an impossible architecture or chunk (model.chunk: a power of two, 1 to 1024).
void check_model_options(const ModelOptions& options);

/// alpha = 2 asin(sqrt(E)), E clamped into [0, 1] against rounding.
double decode_angle(double expectation);
/// d alpha / dE = 1 / sqrt(E (1 - E)), with E kept inside [1e-6, 1 - 1e-6]: infinite at the
/// ends, where an event sits at the edge of the encoding range; the cap (1000) bounds one
/// event's pull on the gradient.
double decode_angle_derivative(double expectation);

class QinnModel {
public:
  QinnModel(const ModelOptions& options, FeatureScaling scaling);

  const ModelOptions& options() const { return options_; }
  const QinnShape& shape() const { return options_.shape; }
  const ParameterLayout& layout() const { return layout_; }
  const FeatureScaling& scaling() const { return scaling_; }
  const EventChunk& chunk() const { return chunk_; }
  const sim::Circuit& forward_circuit() const { return forward_; }
  const sim::Circuit& inverse_circuit() const { return inverse_; }
  const IspNetwork& network() const { return network_; }
  int features() const { return options_.shape.features; }

  /// Angles uniform in [-angle_width, angle_width), the affine maps' initial values
  /// (affine_maps.hpp), the network as PyTorch's default; all from `seed`.
  std::vector<double> initial_parameters(std::uint64_t seed, double angle_width) const;

  /// The input maps (a, b) of every feature.
  std::vector<InputMap> input_maps(std::span<const double> parameters) const;

  /// z of scaled events (row-major, N x n).
  void latent(std::span<const double> parameters, std::span<const double> scaled, std::span<double> z);
  /// E~ and the scaled reconstruction s~ = g(z) of latents (N x n).
  void inverse(std::span<const double> parameters, std::span<const double> z,
               std::span<double> scaled);
  /// log p(x) per event, and z and the Jacobian dz/dx (N x n x n, row j = output) when given.
  void log_density(std::span<const double> parameters, std::span<const double> scaled,
                   std::span<double> log_p, std::span<double> z = {},
                   std::span<double> jacobian = {});

private:
  ModelOptions options_;
  FeatureScaling scaling_;
  ParameterLayout layout_;
  EventChunk chunk_;
  sim::Circuit forward_, inverse_;
  IspNetwork network_;
  std::unique_ptr<ChunkCircuit> run_forward_, run_inverse_;
  std::vector<Factor> factors_;
  std::vector<double> expectations_;
};

/// The chunk's latents: z = c E + d (row-major, events x n).
void latents_from_expectations(std::span<const double> parameters, const ParameterLayout& layout,
                               int features, std::span<const double> e, std::span<double> z);

/// Rot factors of the network's outputs psi (3n x events, column e = event e).
void rot_factors(const Eigen::MatrixXd& psi, int features, std::vector<Factor>& factors);

}  // namespace qgen::qinn
