#include "qgen/app/train_config.hpp"

#include <cmath>
#include <stdexcept>

#include "qgen/data/table.hpp"

namespace qgen::app {

po::options_description train_options() {
  po::options_description o("qgen train options");
  add_data_source_options(o, "data.");
  o.add_options()
      ("encoding.features", po::value<std::string>()->default_value(""),
       "comma-separated features to learn (default: every column of the data)")
      ("encoding.binning", po::value<std::string>()->default_value("equal_width"),
       "equal_width or equal_population bins per feature")
      ("encoding.ranges", po::value<std::string>()->default_value(""),
       "fixed bin ranges, e.g. 'pT:250:3000,mass:0:500' (default: each feature's min..max)")
      ("circuit.ansatz", po::value<int>()->default_value(1), "1 (brick layer) or 2 (disconnected tree)")
      ("circuit.qubits", po::value<int>()->default_value(8), "qubits Q: each of N features gets Q/N")
      ("circuit.depth", po::value<int>()->default_value(6), "layers d")
      ("circuit.initial-state", po::value<std::string>()->default_value("zero"), "zero, bell, ghz or plus")
      ("circuit.fusion", po::value<std::string>()->default_value("two_qubit"), "none, one_qubit, two_qubit")
      ("train.steps", po::value<int>()->default_value(300), "optimiser iterations (TAO's -tao_max_it)")
      ("train.shots", po::value<long>()->default_value(8192), "shots per circuit (paper: 8192, 20000)")
      ("train.exact", flag(), "exact probabilities instead of shots (needed by adjoint)")
      ("train.loss", po::value<std::string>()->default_value("js"), "js, kl or mmd")
      ("train.loss-epsilon", po::value<double>()->default_value(1e-9, "1e-9"),
       "floor of the model probability in logarithms and ratios (empty bins)")
      ("train.mmd-sigmas", po::value<std::string>()->default_value("0.25,4"),
       "MMD Gaussian kernel widths over the basis-state index")
      ("train.gradient", po::value<std::string>()->default_value("parameter-shift"),
       "parameter-shift or adjoint (exact probabilities only)")
      ("train.shift-evaluation", po::value<std::string>()->default_value("paired"),
       "paired (one suffix simulation per angle) or direct (two)")
      ("train.optimizer", po::value<std::string>()->default_value("adam"),
       "TAO type: adam (PennyLane's), or TAO's own (lmvm, bncg, nm, ...); -tao_type overrides")
      ("train.learning-rate", po::value<double>()->default_value(0.01), "Adam's step eta")
      ("train.seed", po::value<std::uint64_t>()->default_value(1), "seed of initial parameters and shots")
      ("train.init", po::value<std::string>()->default_value("uniform"),
       "initial parameters: uniform in [init-low, init-high), or zeros")
      ("train.init-low", po::value<double>()->default_value(0.0), "lower end of the uniform range [rad]")
      ("train.init-high", po::value<double>()->default_value(2 * M_PI, "6.2832 (2 pi)"),
       "upper end of the uniform range [rad]")
      ("train.petsc-options", po::value<std::string>()->default_value(""),
       "PETSc options, e.g. '-tao_monitor -log_view' (the command line's -tao_* win)")
      ("results", po::value<std::string>()->default_value("qgen-results.h5"), "results file (HDF5)")
      ("checkpoint", po::value<std::string>()->default_value("qgen-checkpoint.h5"),
       "checkpoint file (HDF5); '' for none")
      ("checkpoint-every", po::value<int>()->default_value(50), "steps between checkpoints (0: end only)")
      ("samples", po::value<std::uint64_t>()->default_value(10000), "decoded events drawn from the trained model")
      ("log", po::value<std::string>()->default_value(""), "also write every step's progress to this file")
      ("quiet", flag(), "no progress lines")
      ("restart", po::value<std::string>()->default_value(""), "continue exactly from this checkpoint")
      ("dry-run", flag(), "check the options, read the data, print the plan and stop");
  return o;
}

namespace {

std::map<std::string, std::pair<double, double>> parse_ranges(const std::string& text) {
  std::map<std::string, std::pair<double, double>> ranges;
  for (const auto& item : data::split_list(text)) {
    const auto a = item.find(':'), b = item.rfind(':');
    if (a == std::string::npos || a == b)
      throw InputError("encoding.ranges: '" + item + "' is not feature:low:high");
    try {
      ranges[item.substr(0, a)] = {std::stod(item.substr(a + 1, b - a - 1)), std::stod(item.substr(b + 1))};
    } catch (const std::exception&) {
      throw InputError("encoding.ranges: '" + item + "' is not feature:low:high");
    }
  }
  return ranges;
}

template <typename F>
auto checked(const std::string& key, F parse) {
  try {
    return parse();
  } catch (const std::invalid_argument& e) {
    throw InputError(key + ": " + e.what());
  }
}

}  // namespace

TrainConfig train_config_from(const po::variables_map& v) {
  TrainConfig c;
  c.data = data_source_from(v, "data.");
  c.features = data::split_list(v["encoding.features"].as<std::string>());
  c.binning = checked("encoding.binning", [&] {
    return data::parse_binning_mode(v["encoding.binning"].as<std::string>());
  });
  c.ranges = parse_ranges(v["encoding.ranges"].as<std::string>());

  c.circuit.ansatz = v["circuit.ansatz"].as<int>();
  c.circuit.num_qubits = v["circuit.qubits"].as<int>();
  c.circuit.depth = v["circuit.depth"].as<int>();
  c.circuit.initial_state = checked("circuit.initial-state", [&] {
    return circuits::parse_initial_state(v["circuit.initial-state"].as<std::string>());
  });
  c.engine.fusion = checked("circuit.fusion", [&] {
    return sim::parse_fusion_level(v["circuit.fusion"].as<std::string>());
  });
  checked("circuit", [&] {
    circuits::check_ansatz(c.circuit);
    return 0;
  });
  if (c.circuit.num_qubits > 30)
    throw InputError("circuit.qubits = " + std::to_string(c.circuit.num_qubits) +
                     ": training simulates 2^Q states; at most 30");

  c.steps = v["train.steps"].as<int>();
  if (c.steps < 0) throw InputError("train.steps must be >= 0, got " + std::to_string(c.steps));
  const long shots = v["train.shots"].as<long>();
  if (shots <= 0)
    throw InputError("train.shots must be > 0, got " + std::to_string(shots) +
                     " (for exact probabilities set train.exact = true)");
  c.engine.shots = v["train.exact"].as<bool>() ? 0 : static_cast<std::uint64_t>(shots);
  c.loss.kind = checked("train.loss", [&] { return train::parse_loss_kind(v["train.loss"].as<std::string>()); });
  c.loss.epsilon = v["train.loss-epsilon"].as<double>();
  if (!(c.loss.epsilon > 0 && c.loss.epsilon < 1e-3))
    throw InputError("train.loss-epsilon must be in (0, 1e-3)");
  c.loss.mmd_sigmas.clear();
  for (const auto& s : data::split_list(v["train.mmd-sigmas"].as<std::string>())) {
    double x = 0;
    try {
      x = std::stod(s);
    } catch (const std::exception&) {
      x = -1;
    }
    if (!(x > 0)) throw InputError("train.mmd-sigmas: '" + s + "' is not a positive number");
    c.loss.mmd_sigmas.push_back(x);
  }
  c.engine.method = v["train.gradient"].as<std::string>();
  if (c.engine.method != "parameter-shift" && c.engine.method != "adjoint")
    throw InputError("train.gradient = '" + c.engine.method + "' is not one of parameter-shift, adjoint");
  if (c.engine.method == "adjoint" && c.engine.shots > 0)
    throw InputError("train.gradient = adjoint needs exact probabilities: set train.exact = true");
  c.engine.shift_evaluation = checked("train.shift-evaluation", [&] {
    return sim::parse_shift_evaluation(v["train.shift-evaluation"].as<std::string>());
  });
  c.engine.seed = v["train.seed"].as<std::uint64_t>();
  c.optimizer = v["train.optimizer"].as<std::string>();
  c.learning_rate = v["train.learning-rate"].as<double>();
  if (!(c.learning_rate > 0))
    throw InputError("train.learning-rate must be > 0, got " + data::number_text(c.learning_rate));
  c.init = v["train.init"].as<std::string>();
  if (c.init != "uniform" && c.init != "zeros")
    throw InputError("train.init = '" + c.init + "' is not one of uniform, zeros");
  c.init_low = v["train.init-low"].as<double>();
  c.init_high = v["train.init-high"].as<double>();
  if (c.init == "uniform" && !(c.init_low < c.init_high))
    throw InputError("train.init-low must be below train.init-high");
  c.petsc_options = v["train.petsc-options"].as<std::string>();

  c.results = v["results"].as<std::string>();
  c.checkpoint = v["checkpoint"].as<std::string>();
  c.checkpoint_every = v["checkpoint-every"].as<int>();
  if (c.checkpoint_every < 0) throw InputError("checkpoint-every must be >= 0");
  c.samples = v["samples"].as<std::uint64_t>();
  c.log = v["log"].as<std::string>();
  c.quiet = v["quiet"].as<bool>();
  c.restart = v["restart"].as<std::string>();
  c.dry_run = v["dry-run"].as<bool>();
  if (c.results.empty()) throw InputError("results: a file name is needed");
  return c;
}

int qubits_per_feature(const TrainConfig& c, std::size_t num_features) {
  const int n = static_cast<int>(num_features);
  if (n < 1) throw InputError("no features to learn");
  if (c.circuit.num_qubits % n != 0)
    throw InputError("circuit.qubits = " + std::to_string(c.circuit.num_qubits) +
                     " is not divisible by the " + std::to_string(n) + " features");
  return c.circuit.num_qubits / n;
}

}  // namespace qgen::app
