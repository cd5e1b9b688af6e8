// Gradient engines: the loss and its gradient for a parameter vector, each rank computing the
// entries of the contiguous block of parameters it owns.
//
//   parameter-shift  per evaluation the unshifted circuit and both shifted circuits of every
//                    angle (sim/parameter_shift.hpp); with shots each probability vector is
//                    estimated from `shots` samples drawn with the counter-based stream keyed
//                    by (seed, evaluation, circuit id): circuit 0 is the unshifted one, angle
//                    site s gives circuits 1 + 2s (+pi/2) and 2 + 2s (-pi/2). Every rank draws
//                    the unshifted circuit's shots itself, so all agree on the loss without
//                    communicating; each computes the shifted circuits of its own parameters.
//                    dL/dtheta_j = sum over j's angles of scale * 1/2 sum_x dL/dQ_x (p+ - p-).
//   adjoint          exact probabilities only; one forward and one backward sweep
//                    (sim/adjoint.hpp), computed in full on every rank (it does not split).
//
// Either way an entry never depends on which rank computes it: results are the same for any
// number of ranks.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "qgen/sim/adjoint.hpp"
#include "qgen/sim/parameter_shift.hpp"
#include "qgen/sim/sampling.hpp"
#include "qgen/train/loss.hpp"

namespace qgen::train {

/// Parameters [first, last) of one rank.
struct Ownership {
  int first = 0, last = 0;
  int size() const { return last - first; }
};

/// Splits parameters 0..cost.size()-1 into `ranks` contiguous blocks of about equal total cost.
std::vector<Ownership> balanced_ownership(std::span<const double> cost, int ranks);

class GradientEngine {
public:
  virtual ~GradientEngine() = default;
  /// The loss at `theta` (all parameters), and this rank's gradient entries into
  /// `local_gradient` (ownership().size() entries). `evaluation` numbers the call: it keys the
  /// random streams of the shots.
  virtual double evaluate(std::span<const double> theta, std::uint64_t evaluation,
                          std::span<double> local_gradient) = 0;
  /// The model distribution the last loss was computed from (shot estimate or exact).
  virtual std::span<const double> model() const = 0;
  /// Relative cost of each parameter's gradient entry (for balancing ownership).
  virtual std::vector<double> parameter_costs() const = 0;
  virtual const Ownership& ownership() const = 0;
  virtual void set_ownership(const Ownership& ownership) = 0;
};

struct EngineOptions {
  std::string method = "parameter-shift";  // or adjoint
  sim::FusionLevel fusion = sim::FusionLevel::two_qubit;
  sim::ShiftEvaluation shift_evaluation = sim::ShiftEvaluation::paired;
  std::uint64_t shots = 0;  // 0: exact probabilities
  std::uint64_t seed = 1;
};

/// std::invalid_argument for impossible combinations (adjoint with shots, an unknown method).
std::unique_ptr<GradientEngine> make_gradient_engine(const sim::Circuit& circuit,
                                                     const EngineOptions& options,
                                                     const Loss& loss);

}  // namespace qgen::train
