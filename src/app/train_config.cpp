#include "qgen/app/train_config.hpp"

#include <sstream>

#include <petscsys.h>

#include <cmath>
#include <numbers>

#include "qgen/app/encoding_options.hpp"
#include "qgen/core/errors.hpp"
#include "qgen/core/text.hpp"
#include "qgen/train/tao_adam.hpp"

namespace qgen::app {

po::options_description train_options() {
  po::options_description o("qgen train options");
  add_data_source_options(o, "data.");
  o.add_options()
      ("data.fraction", po::value<double>()->default_value(1.0),
       "train on a random subset of this fraction of the events, in (0, 1]: nested (a smaller "
       "fraction's events are among a larger one's), the events qgen data --fraction keeps")
      ("data.fraction-seed", count_option(1),
       "seed of that subset (as qgen data --split-seed)");
  add_encoding_options(o);
  add_circuit_options(o);
  o.add_options()
      ("train.steps", po::value<int>()->default_value(300),
       "optimiser iterations (or -tao_max_it; not both)")
      ("train.shots", po::value<long>()->default_value(8192), "shots per circuit (paper: 8192, 20000)")
      ("train.exact", flag(), "exact probabilities instead of shots (needed by adjoint)")
      ("train.loss", enum_option(train::LossKind::js),
       ("loss: " + core::enum_choices<train::LossKind>()).c_str())
      ("train.loss-epsilon", po::value<double>()->default_value(1e-9, "1e-9"),
       "floor of the model probability in logarithms and ratios (empty bins)")
      ("train.mmd-sigmas", po::value<std::string>()->default_value("0.25,4"),
       "MMD Gaussian kernel widths over the basis-state index")
      ("train.gradient", enum_option(train::GradientMethod::parameter_shift),
       (core::enum_choices<train::GradientMethod>(" or ") + " (adjoint: exact probabilities only)").c_str())
      ("train.shift-evaluation", enum_option(sim::ShiftEvaluation::paired),
       "paired (one suffix simulation per angle) or direct (two)")
      ("train.optimizer", po::value<std::string>()->default_value(train::kTaoAdam),
       "TAO type: adam (PennyLane's), or TAO's own (lmvm, bncg, nm, ...); or -tao_type, not both")
      ("train.learning-rate", po::value<double>()->default_value(0.01),
       "Adam's step eta (or -tao_adam_learning_rate, not both)")
      ("train.seed", count_option(1), "seed of initial parameters and shots (>= 0)")
      ("train.init", enum_option(circuits::ParameterInit::uniform),
       "initial parameters: uniform in [init-low, init-high), or zeros")
      ("train.init-low", po::value<double>()->default_value(0.0), "lower end of the uniform range [rad]")
      ("train.init-high", po::value<double>()->default_value(2 * std::numbers::pi, "6.2832 (2 pi)"),
       "upper end of the uniform range [rad]")
      ("train.group-size", count_option(1),
       "ranks per group sharing one distributed state (or --group-size): a power of two dividing "
       "the ranks; the groups split the circuits (docs/groups.md)")
      ("train.petsc-options", po::value<std::string>()->default_value(""),
       "PETSc options, e.g. '-tao_monitor -log_view' (the command line's -tao_* win)")
      ("results", po::value<std::string>()->default_value("qgen-results.h5"), "results file (HDF5)")
      ("checkpoint", po::value<std::string>()->default_value("qgen-checkpoint.h5"),
       "checkpoint file (HDF5); '' for none")
      ("checkpoint-every", po::value<int>()->default_value(50), "steps between checkpoints (0: end only)")
      ("samples", count_option(10000), "decoded events drawn from the trained model")
      ("log", po::value<std::string>()->default_value(""), "also write every step's progress to this file")
      ("quiet", flag(), "no progress lines")
      ("restart", po::value<std::string>()->default_value(""), "continue exactly from this checkpoint")
      ("dry-run", flag(), "check the options, read the data, print the plan and stop");
  return o;
}

namespace {

constexpr long kMaxShots = 4294967295L;  // counts are 32-bit (sim/sampling.hpp)

std::vector<double> parse_sigmas(const std::string& text) {
  std::vector<double> sigmas;
  for (const auto& s : core::split_list(text)) {
    const double x = core::parse_number(s, "train.mmd-sigmas");
    if (!(x > 0 && std::isfinite(x)))
      throw core::InputError("train.mmd-sigmas: '" + s + "' is not a positive number");
    sigmas.push_back(x);
  }
  return sigmas;
}

}  // namespace

TrainConfig train_config_from(const po::variables_map& v) {
  TrainConfig c;
  c.data = data_source_from(v, "data.");
  c.data.fraction = v["data.fraction"].as<double>();
  if (!(c.data.fraction > 0 && c.data.fraction <= 1))
    throw core::InputError("data.fraction must be in (0, 1], got " + core::number_text(c.data.fraction));
  c.data.fraction_seed = count_from(v, "data.fraction-seed", 0, kMaxSeed);
  c.features = encoding_features(v);
  c.binning = binning_options_from(v);

  c.circuit = circuit_options_from(v);
  if (c.circuit.spec.num_qubits > 30)
    throw core::InputError("circuit.qubits = " + std::to_string(c.circuit.spec.num_qubits) +
                           ": training simulates 2^Q states; at most 30");

  c.trainer.steps = v["train.steps"].as<int>();
  if (c.trainer.steps < 0)
    throw core::InputError("train.steps must be >= 0, got " + std::to_string(c.trainer.steps));
  const long shots = v["train.shots"].as<long>();
  if (shots <= 0)
    throw core::InputError("train.shots must be > 0, got " + std::to_string(shots) +
                           " (for exact probabilities set train.exact = true)");
  if (shots > kMaxShots)
    throw core::InputError("train.shots = " + std::to_string(shots) + ": at most " +
                           std::to_string(kMaxShots) + " shots per circuit (2^32 - 1)");
  c.engine.shots = v["train.exact"].as<bool>() ? 0 : static_cast<std::uint64_t>(shots);
  c.trainer.stochastic = c.engine.shots > 0;
  c.loss.kind = enum_from<train::LossKind>(v, "train.loss");
  c.loss.epsilon = v["train.loss-epsilon"].as<double>();
  if (!(c.loss.epsilon > 0 && c.loss.epsilon < 1e-3))
    throw core::InputError("train.loss-epsilon must be in (0, 1e-3)");
  c.loss.mmd_sigmas = parse_sigmas(v["train.mmd-sigmas"].as<std::string>());
  c.engine.method = enum_from<train::GradientMethod>(v, "train.gradient");
  if (c.engine.method == train::GradientMethod::adjoint && c.engine.shots > 0)
    throw core::InputError("train.gradient = adjoint needs exact probabilities: set train.exact = true");
  c.engine.shift_evaluation = enum_from<sim::ShiftEvaluation>(v, "train.shift-evaluation");
  c.engine.fusion = c.circuit.fusion;
  c.engine.seed = count_from(v, "train.seed", 0, kMaxSeed);
  c.trainer.optimizer = v["train.optimizer"].as<std::string>();
  c.trainer.learning_rate = v["train.learning-rate"].as<double>();
  if (!(c.trainer.learning_rate > 0 && std::isfinite(c.trainer.learning_rate)))
    throw core::InputError("train.learning-rate must be > 0 and finite, got " +
                           core::number_text(c.trainer.learning_rate));
  c.init.kind = enum_from<circuits::ParameterInit>(v, "train.init");
  c.init.low = v["train.init-low"].as<double>();
  c.init.high = v["train.init-high"].as<double>();
  c.init.seed = c.engine.seed;
  if (c.init.kind == circuits::ParameterInit::uniform &&
      !(std::isfinite(c.init.low) && std::isfinite(c.init.high) && c.init.low < c.init.high))
    throw core::InputError("train.init-low must be below train.init-high, both finite");
  c.petsc_options = v["train.petsc-options"].as<std::string>();
  c.group_size = static_cast<int>(count_from(v, "train.group-size", 1, 1L << 30));

  c.results = v["results"].as<std::string>();
  c.checkpoint = v["checkpoint"].as<std::string>();
  c.checkpoint_every = v["checkpoint-every"].as<int>();
  if (c.checkpoint_every < 0) throw core::InputError("checkpoint-every must be >= 0");
  c.samples = count_from(v, "samples", 0, kMaxEvents);
  c.log = v["log"].as<std::string>();
  c.quiet = v["quiet"].as<bool>();
  c.restart = v["restart"].as<std::string>();
  c.dry_run = v["dry-run"].as<bool>();
  if (c.results.empty()) throw core::InputError("results: a file name is needed");
  return c;
}

void refuse_double_owners(const po::variables_map& v) {
  const std::pair<const char*, const char*> pairs[] = {
      {"train.steps", "-tao_max_it"},
      {"train.optimizer", "-tao_type"},
      {"train.learning-rate", "-tao_adam_learning_rate"}};
  for (const auto& [key, option] : pairs) {
    PetscBool given = PETSC_FALSE;
    if (PetscOptionsHasName(nullptr, nullptr, option, &given) != 0)
      throw core::PetscError(std::string("PetscOptionsHasName(") + option + ") failed");
    if (given && !v[key].defaulted())
      throw core::InputError(std::string(key) + " and " + option +
                             " set the same thing: give one of them");
  }
}

int qubits_per_feature(const TrainConfig& c, std::size_t num_features) {
  const int n = static_cast<int>(num_features);
  if (n < 1) throw core::InputError("no features to learn");
  if (c.circuit.spec.num_qubits % n != 0)
    throw core::InputError("circuit.qubits = " + std::to_string(c.circuit.spec.num_qubits) +
                           " is not divisible by the " + std::to_string(n) + " features");
  return c.circuit.spec.num_qubits / n;
}

TrainConfig train_config_of(const eval::TrainedModel& model, const std::string& path) {
  return train_config_of(model.config, model.binning.qubits_per_feature(), path);
}

TrainConfig train_config_of(const std::string& config_text, int qubits_per_feature, const std::string& path) {
  std::istringstream text(config_text);
  po::variables_map values;
  try {
    po::store(po::parse_config_file(text, train_options(), false), values);
    po::notify(values);
    TrainConfig config = train_config_from(values);
    config.circuit.spec.block_size = qubits_per_feature;
    return config;
  } catch (const std::exception& e) {
    throw core::DataError("'" + path + "': its /config is not a qgen train configuration: " + e.what());
  }
}

sim::Circuit trained_circuit(const TrainConfig& config, std::size_t num_parameters, const std::string& path) {
  sim::Circuit circuit = circuits::build_qcbm_circuit(config.circuit.spec);
  if (static_cast<int>(num_parameters) != circuit.num_parameters())
    throw core::DataError("'" + path + "' has " + std::to_string(num_parameters) +
                          " parameters; its circuit needs " + std::to_string(circuit.num_parameters()));
  return circuit;
}

}  // namespace qgen::app
