// Gradient engines: the loss and its gradient for a parameter vector, each rank computing the
// entries of the parameters in its work set (assign_work; train/trainer.hpp sums the ranks'
// entries into the distributed gradient Vec).
//
//   parameter-shift  per evaluation the unshifted circuit and both shifted circuits of every
//                    angle (sim/parameter_shift.hpp); with shots each probability vector is
//                    estimated from `shots` samples drawn with the counter-based stream keyed
//                    by (seed, evaluation, circuit id): circuit 0 is the unshifted one, angle
//                    site s gives circuits 1 + 2s (+pi/2) and 2 + 2s (-pi/2). Every rank draws
//                    the unshifted circuit's shots itself, so all agree on the loss without
//                    communicating; each computes the shifted circuits of its work set.
//                    dL/dtheta_j = sum over j's angles of scale * 1/2 sum_x dL/dQ_x (p+ - p-).
//   adjoint          exact probabilities only; one forward and one backward sweep
//                    (sim/adjoint.hpp), computed in full on every rank (it does not split).
//
// Either way an entry never depends on which rank computes it: results are the same for any
// number of ranks. On rank groups sharing distributed states: train/group_gradient_engine.hpp.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "qgen/core/enum_names.hpp"
#include "qgen/sim/adjoint.hpp"
#include "qgen/sim/parameter_shift.hpp"
#include "qgen/sim/sampling.hpp"
#include "qgen/train/loss.hpp"

namespace qgen::train {

/// Splits parameters 0..cost.size()-1 over `ranks` work sets of about equal total cost, each
/// listed in ascending order. Longest processing time first: the parameters in order of falling
/// cost (ties: lower index first) each go to the least loaded rank so far (ties: lower rank), so
/// no rank's load exceeds the mean by more than the largest single cost. Every rank gets a mix
/// of expensive parameters (early in the circuit: long suffixes) and cheap ones, so an error in
/// the relative cost of simulation and sampling shifts every rank's load alike. The result
/// depends only on its arguments.
std::vector<std::vector<int>> assign_work(std::span<const double> cost, int ranks);

/// Parameter-shift work: the estimated seconds of each parameter's gradient entry, from the
/// relative cost of each angle site's suffix (in passes), the seconds per pass, the seconds of
/// one shot estimate and the simulations per site (paired 1, direct 2). Shared by the engines
/// on one rank and on a rank group.
std::vector<double> shift_work_cost(int num_parameters, const std::vector<sim::AngleSite>& sites,
                                    std::span<const double> site_costs, double simulations,
                                    double pass_seconds, double estimate_seconds);
/// std::invalid_argument unless `gradient` has one entry per parameter.
void check_gradient_size(std::span<double> gradient, int num_parameters);

/// The angle sites (ascending) whose parameter is in `work`.
std::vector<int> sites_of_work(int num_parameters, const std::vector<sim::AngleSite>& sites,
                               std::span<const int> work);

class GradientEngine {
public:
  virtual ~GradientEngine() = default;
  /// The loss at `theta` (all parameters), and the gradient entries of the parameters in
  /// work() into `gradient` (all parameters; the other entries are set to zero). `evaluation`
  /// numbers the call: it keys the random streams of the shots.
  virtual double evaluate(std::span<const double> theta, std::uint64_t evaluation,
                          std::span<double> gradient) = 0;
  /// The model distribution the last loss was computed from (shot estimate or exact).
  virtual std::span<const double> model() const = 0;
  /// Relative cost of each parameter's gradient entry (for assign_work): parameter shift gives
  /// seconds on this machine, from timing one forward simulation and one shot estimate; the
  /// adjoint, which computes every entry at once, gives equal costs. Timings differ from rank
  /// to rank: compute them on one rank and broadcast, so all agree on the work sets.
  virtual std::vector<double> parameter_costs() = 0;
  /// The parameters whose entries evaluate() computes, ascending (default: all).
  std::span<const int> work() const { return work_; }
  /// std::invalid_argument unless `parameters` ascend strictly within 0..num_parameters-1.
  void set_work(std::vector<int> parameters);

protected:
  explicit GradientEngine(int num_parameters);
  /// Called after the work set changed.
  virtual void work_changed() {}
  int num_parameters() const { return num_parameters_; }

private:
  int num_parameters_;
  std::vector<int> work_;
};

enum class GradientMethod { parameter_shift, adjoint };
constexpr auto enum_names(GradientMethod) {
  using enum GradientMethod;
  return std::array{core::EnumName{parameter_shift, "parameter-shift"}, core::EnumName{adjoint, "adjoint"}};
}

struct EngineOptions {
  GradientMethod method = GradientMethod::parameter_shift;
  sim::FusionLevel fusion = sim::FusionLevel::two_qubit;
  sim::ShiftEvaluation shift_evaluation = sim::ShiftEvaluation::paired;
  std::uint64_t shots = 0;  // 0: exact probabilities
  std::uint64_t seed = 1;
};

/// InputError for the adjoint with shots (it needs exact probabilities).
std::unique_ptr<GradientEngine> make_gradient_engine(const sim::Circuit& circuit,
                                                     const EngineOptions& options,
                                                     const Loss& loss);

}  // namespace qgen::train
