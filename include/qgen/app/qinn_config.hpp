// The options of `qgen qinn train` (and what `qgen qinn sample` and `density` read back from a
// results file), every key declared once with its default and validated into one QinnConfig.
// Sections:
//   [data] [jet] [leptons]  the events (app/data_source.hpp); default: the built-in zjet
//                           generator, 100000 events (paper 004, section 4)
//   [model]                 layers, isp-layers, network-layers, network-hidden (Table 1), chunk,
//                           fusion, init-angle-width
//   [loss]                  the weights of Table 1, the invertibility loss (mse or fidelity),
//                           the kernel widths
//   [train]                 epochs, batch, the one-cycle schedule, Adam's betas, seed, split
//   (top level)             results, checkpoint, checkpoint-every (epochs), samples, log,
//                           quiet, restart, dry-run
#pragma once

#include <cstdint>
#include <string>

#include "qgen/app/data_source.hpp"
#include "qgen/app/options.hpp"
#include "qgen/qinn/model.hpp"
#include "qgen/qinn/objective.hpp"
#include "qgen/qinn/trainer.hpp"

namespace qgen::app {

struct QinnConfig {
  DataSource data;
  qinn::ModelOptions model;
  double init_angle_width = 3.141592653589793;
  qinn::ObjectiveOptions loss;
  qinn::TrainerOptions trainer;  // epochs, batch, schedule, Adam, seed, checkpoint_every
  double train_fraction = 0.375, validation_fraction = 0.125;
  std::uint64_t split_seed = 1;
  std::string results, checkpoint, log, restart;
  std::uint64_t samples = 0;  // 0: as many as the test split has events
  bool quiet = false, dry_run = false;
};

po::options_description qinn_train_options();
/// The built-in zjet generator when neither data.input nor data.generate is given.
void default_to_zjet(po::variables_map& values);
/// InputError naming the key for every impossible value.
QinnConfig qinn_config_from(const po::variables_map& values);

}  // namespace qgen::app
