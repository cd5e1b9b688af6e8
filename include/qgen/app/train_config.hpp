// The options of `qgen train` (and what `qgen sample` reads back from a results file): every
// key with its default, validated into one TrainConfig. Sections:
//   [data] [jet] [leptons]  the events (app/data_source.hpp)
//   [encoding]              features, binning
//   [circuit]               ansatz, qubits, depth, initial state, fusion
//   [train]                 steps, shots, loss, gradient, optimizer, seed, initialisation
//   (top level)             results, checkpoint, checkpoint-every, samples, log, quiet, restart,
//                           dry-run
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "qgen/app/data_source.hpp"
#include "qgen/app/options.hpp"
#include "qgen/circuits/ansatz.hpp"
#include "qgen/data/binning.hpp"
#include "qgen/train/gradient_engine.hpp"
#include "qgen/train/loss.hpp"

namespace qgen::app {

struct TrainConfig {
  DataSource data;
  std::vector<std::string> features;  // empty: every column of the data
  data::BinningMode binning = data::BinningMode::equal_width;
  std::map<std::string, std::pair<double, double>> ranges;
  circuits::AnsatzSpec circuit;       // block size set once the features are known
  train::LossOptions loss;
  train::EngineOptions engine;
  int steps = 300;
  std::string init = "uniform";
  double init_low = 0, init_high = 0;
  std::string optimizer = "adam";
  double learning_rate = 0.01;
  std::string petsc_options;
  std::string results, checkpoint, log, restart;
  int checkpoint_every = 50;
  std::uint64_t samples = 10000;
  bool quiet = false;
  bool dry_run = false;
};

po::options_description train_options();
/// InputError naming the key for every impossible value; the ones that need the data (the
/// number of features) are checked by `qubits_per_feature`.
TrainConfig train_config_from(const po::variables_map& values);

/// Q / N, or InputError when Q is not divisible by the number of features N.
int qubits_per_feature(const TrainConfig& config, std::size_t num_features);

}  // namespace qgen::app
