// The QINN's training loss for one batch (paper 004, sections 2.2, 3.1, 4 and Table 1) and its
// exact gradient with respect to every parameter, computed by all ranks together.
//
//   L = w_in MMD^2(s, s~_gen) + w_lat MMD^2(z_ref, f(x)) + w_M MMD^2_BW(M_ll, M~_gen) + w_inv L_inv
//
//   s        the batch's B data events, scaled (qinn/feature_scaling.hpp)
//   s~_gen   B generated events g(z_gen), z_gen ~ N(0, 1)^n; M~_gen their M_ll in GeV
//   z_ref    B reference draws from N(0, 1)^n for the latent side
//   MMD^2    qinn/mmd.hpp: Gaussian kernels on the features and latents, Breit-Wigner on M_ll
//   L_inv    mse:      1/(B n) sum_i |g(f(x_i)) - s_i|^2, scaled units (eq. 20)
//            fidelity: -1/B sum_i log F_i, F_i = |<y~_i|y_i>|^2 (eq. 17-18, the SWAP test's
//                      quantity) between the forward state y_i = U|x_i> and the ISP state
//                      y~_i = V|psi(f(x_i))>; computed as |<x_i| U^+ V |psi>|^2 (U unitary),
//                      F floored at 1e-12 inside the logarithm.
// Weights (Table 1): w_in = 1, w_lat = 0.5, w_M = 0.375, w_inv = 10. The M_ll term needs the
// five zll features in their order (qinn/dilepton.hpp).
//
// Gradient. Each circuit is differentiated by the adjoint method (its angles) and through its
// input product state (the encoding angles alpha, the ISP's Rot angles psi); the network by
// back-propagation; the affine maps by the chain rule (a, b through both the encoding and the
// decoding s~ = (alpha~ - pi b) / a; c, d through z = c E + d). The data events' latents feed
// the latent MMD and, through g, the invertibility term: both gradients meet at z and go back
// through one adjoint sweep of the forward circuit.
//
// Parallel. The batch is cut into chunks of C events (qinn/event_chunk.hpp), each rank takes a
// contiguous block of chunks. It runs its chunks forward, the ranks gather what the MMD terms
// need (the data events' latents, the generated events and their M_ll: 2n + 1 numbers per
// event), each rank computes the MMD rows of its own events (shares and dMMD/dy) and runs its
// chunks backward. Each chunk's gradient is a full parameter vector; the ranks gather them and
// every rank adds them in chunk order, as it adds the events' loss shares in event order. So
// loss and gradient are the same bits on any number of ranks (tested on 1, 2 and 3), given the
// chunk size.
#pragma once

#include <memory>
#include <span>
#include <vector>

#include "qgen/core/enum_names.hpp"
#include "qgen/core/parallel.hpp"
#include "qgen/qinn/mmd.hpp"
#include "qgen/qinn/model.hpp"

namespace qgen::qinn {

enum class InvertibilityLoss { mse, fidelity };

constexpr auto enum_names(InvertibilityLoss) {
  using enum InvertibilityLoss;
  return std::array{core::EnumName{mse, "mse"}, core::EnumName{fidelity, "fidelity"}};
}

struct LossWeights {
  double input = 1.0, latent = 0.5, mass = 0.375, invertibility = 10.0;
};

struct ObjectiveOptions {
  LossWeights weights;
  InvertibilityLoss invertibility = InvertibilityLoss::mse;
  Kernel feature_kernel{KernelKind::gaussian, {0.02, 0.1, 0.4, 1.0, 5.0}};
  Kernel latent_kernel{KernelKind::gaussian, {0.02, 0.1, 0.4, 1.0, 5.0}};
  Kernel mass_kernel{KernelKind::breit_wigner, {0.02, 0.1, 0.4, 1.0, 5.0}};  // GeV
};

/// The terms, unweighted, and the weighted total.
struct LossParts {
  double input = 0, latent = 0, mass = 0, invertibility = 0, total = 0;
};

/// One batch, the same on every rank.
struct Batch {
  std::span<const double> scaled;       // B x n data events, scaled
  std::span<const double> mass;         // B: their M_ll [GeV] (unused without the mass term)
  std::span<const double> z_generated;  // B x n
  std::span<const double> z_reference;  // B x n
};

/// Seconds spent in each part of evaluate() on this rank since the last reset_times() (the
/// benchmark's split).
struct ObjectiveTimes {
  double circuits = 0, network = 0, mmd = 0, communication = 0;
};

class Objective {
public:
  /// InputError when the mass term is weighted but the features are not the five zll ones.
  Objective(const core::Ranks& ranks, const QinnModel& model, const ObjectiveOptions& options);
  ~Objective();
  Objective(const Objective&) = delete;
  Objective& operator=(const Objective&) = delete;

  /// The loss of the batch and, unless `gradient` is empty, its gradient (all parameters).
  /// Collective; the same result on every rank.
  LossParts evaluate(std::span<const double> parameters, const Batch& batch,
                     std::span<double> gradient);

  const ObjectiveTimes& times() const { return times_; }
  void reset_times() { times_ = {}; }
  const ObjectiveOptions& options() const { return options_; }

private:
  struct ChunkWork;
  ChunkWork& work(std::size_t index);

  core::Ranks ranks_;
  const QinnModel& model_;
  ObjectiveOptions options_;
  bool mass_term_ = false;
  std::vector<std::unique_ptr<ChunkWork>> work_;
  ObjectiveTimes times_;
};

/// Chunks [first, last) of rank `rank` among `ranks` for `chunks` chunks: contiguous blocks.
std::pair<std::size_t, std::size_t> chunk_block(std::size_t chunks, int ranks, int rank);

}  // namespace qgen::qinn
