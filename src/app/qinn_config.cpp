#include "qgen/app/qinn_config.hpp"

#include <cmath>
#include <limits>

#include "qgen/core/errors.hpp"
#include "qgen/core/text.hpp"

namespace qgen::app {
namespace {

constexpr const char* kWidths = "0.02,0.1,0.4,1,5";

std::vector<double> parse_widths(const std::string& text, const std::string& key) {
  std::vector<double> widths;
  for (const auto& s : core::split_list(text)) {
    const double x = core::parse_number(s, key);
    if (!(x > 0 && std::isfinite(x))) throw core::InputError(key + ": '" + s + "' is not a positive number");
    widths.push_back(x);
  }
  if (widths.empty()) throw core::InputError(key + ": at least one kernel width is needed");
  return widths;
}

double in_range(const po::variables_map& v, const std::string& key, double low, double high,
                bool low_open, bool high_open) {
  const double x = v[key].as<double>();
  const bool ok = std::isfinite(x) && (low_open ? x > low : x >= low) && (high_open ? x < high : x <= high);
  if (!ok)
    throw core::InputError(key + " = " + core::number_text(x) + " must be in " + (low_open ? "(" : "[") +
                           core::number_text(low) + ", " + core::number_text(high) + (high_open ? ")" : "]"));
  return x;
}

}  // namespace

po::options_description qinn_train_options() {
  po::options_description o("qgen qinn train options");
  add_data_source_options(o, "data.");
  const qinn::QinnShape shape;
  const qinn::LossWeights weights;
  o.add_options()
      ("model.layers", po::value<int>()->default_value(shape.layers), "model-circuit layers L (Table 1: 12)")
      ("model.isp-layers", po::value<int>()->default_value(shape.isp_layers), "layers of the ISP's quantum network (Table 1: 8)")
      ("model.network-layers", po::value<int>()->default_value(shape.network_layers), "dense layers of the ISP's classical network (Table 1: 3)")
      ("model.network-hidden", po::value<int>()->default_value(shape.network_hidden), "their hidden width (Table 1: 32)")
      ("model.chunk", po::value<int>()->default_value(32), "events simulated together in one state (a power of two; results depend on it in the last bits, not on the ranks)")
      ("model.fusion", enum_option(sim::FusionLevel::one_qubit), "gate fusion: none, one_qubit, two_qubit")
      ("model.init-angle-width", po::value<double>()->default_value(3.141592653589793, "3.1416 (pi)"),
       "initial circuit angles uniform in [-w, w) [rad] (pi: a full period, as PennyLane's TorchLayer)")
      ("loss.input-mmd", po::value<double>()->default_value(weights.input), "weight of the input-side MMD (Table 1: 1.0)")
      ("loss.latent-mmd", po::value<double>()->default_value(weights.latent), "weight of the latent-side MMD (Table 1: 0.5)")
      ("loss.mass-mmd", po::value<double>()->default_value(weights.mass), "weight of the M_ll MMD, Breit-Wigner kernel (Table 1: 0.375)")
      ("loss.invertibility", po::value<double>()->default_value(weights.invertibility), "weight of the invertibility loss (Table 1: 10)")
      ("loss.invertibility-kind", enum_option(qinn::InvertibilityLoss::mse),
       ("invertibility loss: " + core::enum_choices<qinn::InvertibilityLoss>() + " (paper 004, 4.1: mse)").c_str())
      ("loss.widths", po::value<std::string>()->default_value(kWidths), "Gaussian kernel widths of the feature and latent MMDs (scaled units)")
      ("loss.mass-widths", po::value<std::string>()->default_value(kWidths), "Breit-Wigner kernel widths of the M_ll MMD [GeV]")
      ("train.epochs", po::value<int>()->default_value(200), "epochs (Table 1: 200)")
      ("train.batch", po::value<int>()->default_value(128), "events per batch (Table 1: 128)")
      ("train.max-lr", po::value<double>()->default_value(1e-3, "1e-3"), "one-cycle maximum learning rate")
      ("train.start-factor", po::value<double>()->default_value(4e-2, "4e-2"), "one-cycle start rate / maximum (1/div_factor)")
      ("train.final-factor", po::value<double>()->default_value(1e-4, "1e-4"), "one-cycle final rate / start rate (1/final_div_factor)")
      ("train.warmup-fraction", po::value<double>()->default_value(0.3, "0.3"), "fraction of the updates spent rising (pct_start)")
      ("train.beta1", po::value<double>()->default_value(0.9, "0.9"), "Adam's beta1 (Table 1: 0.9)")
      ("train.beta2", po::value<double>()->default_value(0.9, "0.9"), "Adam's beta2 (Table 1: 0.9)")
      ("train.epsilon", po::value<double>()->default_value(1e-8, "1e-8"), "Adam's epsilon")
      ("train.seed", count_option(1), "seed of the initial parameters, batch order and latent draws (>= 0)")
      ("train.split-seed", count_option(1), "seed of the train/validation/test split (>= 0)")
      ("train.train-fraction", po::value<double>()->default_value(0.375), "training fraction (paper: 37.5 %)")
      ("train.validation-fraction", po::value<double>()->default_value(0.125), "validation fraction (paper: 12.5 %; the rest is the test split)")
      ("results", po::value<std::string>()->default_value("qgen-qinn.h5"), "results file (HDF5)")
      ("checkpoint", po::value<std::string>()->default_value("qgen-qinn-checkpoint.h5"), "checkpoint file (HDF5); '' for none")
      ("checkpoint-every", po::value<int>()->default_value(1), "epochs between checkpoints (0: end and signals only)")
      ("samples", count_option(0), "events generated into the results (0: as many as the test split)")
      ("log", po::value<std::string>()->default_value(""), "also write every epoch's progress to this file")
      ("quiet", flag(), "no progress lines")
      ("restart", po::value<std::string>()->default_value(""), "continue exactly from this checkpoint")
      ("dry-run", flag(), "check the options, read the data, print the plan and stop");
  return o;
}

void default_to_zjet(po::variables_map& values) {
  if (!values.count("data.input") && !values.count("data.generate"))
    set_option(values, "data.generate", std::string("zjet"));
}

QinnConfig qinn_config_from(const po::variables_map& v) {
  QinnConfig c;
  c.data = data_source_from(v, "data.");
  qinn::QinnShape& s = c.model.shape;
  s.layers = v["model.layers"].as<int>();
  s.isp_layers = v["model.isp-layers"].as<int>();
  s.network_layers = v["model.network-layers"].as<int>();
  s.network_hidden = v["model.network-hidden"].as<int>();
  c.model.chunk = v["model.chunk"].as<int>();
  c.model.fusion = enum_from<sim::FusionLevel>(v, "model.fusion");
  qinn::check_model_options(c.model);
  c.init_angle_width = in_range(v, "model.init-angle-width", 0, 1e6, false, false);

  qinn::LossWeights& w = c.loss.weights;
  w.input = in_range(v, "loss.input-mmd", 0, 1e12, false, false);
  w.latent = in_range(v, "loss.latent-mmd", 0, 1e12, false, false);
  w.mass = in_range(v, "loss.mass-mmd", 0, 1e12, false, false);
  w.invertibility = in_range(v, "loss.invertibility", 0, 1e12, false, false);
  c.loss.invertibility = enum_from<qinn::InvertibilityLoss>(v, "loss.invertibility-kind");
  const auto widths = parse_widths(v["loss.widths"].as<std::string>(), "loss.widths");
  c.loss.feature_kernel = {qinn::KernelKind::gaussian, widths};
  c.loss.latent_kernel = {qinn::KernelKind::gaussian, widths};
  c.loss.mass_kernel = {qinn::KernelKind::breit_wigner,
                        parse_widths(v["loss.mass-widths"].as<std::string>(), "loss.mass-widths")};

  qinn::TrainerOptions& t = c.trainer;
  t.epochs = v["train.epochs"].as<int>();
  if (t.epochs < 1 || t.epochs > 1000000)
    throw core::InputError("train.epochs = " + std::to_string(t.epochs) + " must be in [1, 1000000]");
  t.batch_size = v["train.batch"].as<int>();
  if (t.batch_size < 1 || t.batch_size > 1000000)
    throw core::InputError("train.batch = " + std::to_string(t.batch_size) + " must be in [1, 1000000]");
  t.schedule.max_rate = in_range(v, "train.max-lr", 0, 1e3, true, false);
  t.schedule.start_factor = in_range(v, "train.start-factor", 0, 1, true, false);
  t.schedule.final_factor = in_range(v, "train.final-factor", 0, 1, true, false);
  t.schedule.warmup_fraction = in_range(v, "train.warmup-fraction", 0, 1, false, false);
  t.adam.beta1 = in_range(v, "train.beta1", 0, 1, false, true);
  t.adam.beta2 = in_range(v, "train.beta2", 0, 1, false, true);
  t.adam.epsilon = in_range(v, "train.epsilon", 0, 1, true, false);
  t.seed = count_from(v, "train.seed", 0, kMaxSeed);
  c.split_seed = count_from(v, "train.split-seed", 0, kMaxSeed);
  c.train_fraction = in_range(v, "train.train-fraction", 0, 1, true, false);
  c.validation_fraction = in_range(v, "train.validation-fraction", 0, 1, false, false);
  if (c.train_fraction + c.validation_fraction > 1 + 1e-12)
    throw core::InputError("train.train-fraction + train.validation-fraction must be at most 1");

  c.results = v["results"].as<std::string>();
  c.checkpoint = v["checkpoint"].as<std::string>();
  t.checkpoint = c.checkpoint;
  t.checkpoint_every = v["checkpoint-every"].as<int>();
  if (t.checkpoint_every < 0) throw core::InputError("checkpoint-every must be >= 0");
  c.samples = count_from(v, "samples", 0, kMaxEvents);
  c.log = v["log"].as<std::string>();
  c.quiet = v["quiet"].as<bool>();
  c.restart = v["restart"].as<std::string>();
  c.dry_run = v["dry-run"].as<bool>();
  if (c.results.empty()) throw core::InputError("results: a file name is needed");
  return c;
}

}  // namespace qgen::app
