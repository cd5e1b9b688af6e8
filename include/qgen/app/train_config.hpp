// The options of `qgen train` (and what `qgen sample` reads back from a results file): every
// key with its default, validated into one TrainConfig. Sections:
//   [data] [jet] [leptons]  the events (app/data_source.hpp)
//   [encoding]              features, binning, decoding
//   [circuit]               ansatz, qubits, depth, initial state, fusion (app/circuit_options.hpp)
//   [train]                 steps, shots, loss, gradient, optimizer, seed, initialisation
//   (top level)             results, checkpoint, checkpoint-every, samples, log, quiet, restart,
//                           dry-run
//
// The optimiser's settings have one owner each: train.optimizer, train.learning-rate and
// train.steps set TAO's type, Adam's step and the iteration limit, and -tao_type,
// -tao_adam_learning_rate and -tao_max_it may replace them; giving both of a pair is refused
// (refuse_double_owners), and the run reads the values in force back from TAO.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "qgen/app/circuit_options.hpp"
#include "qgen/app/data_source.hpp"
#include "qgen/app/options.hpp"
#include "qgen/circuits/initial_parameters.hpp"
#include "qgen/data/binning.hpp"
#include "qgen/eval/results.hpp"
#include "qgen/train/gradient_engine.hpp"
#include "qgen/train/loss.hpp"
#include "qgen/train/trainer.hpp"

namespace qgen::app {

struct TrainConfig {
  DataSource data;
  std::vector<std::string> features;  // empty: every column of the data
  data::BinningOptions binning;       // qubits per feature set once the features are known
  CircuitOptions circuit;             // block size set once the features are known
  train::LossOptions loss;
  train::EngineOptions engine;
  train::TrainerOptions trainer;
  circuits::ParameterInitOptions init;
  std::string petsc_options;
  std::string results, checkpoint, log, restart;
  int checkpoint_every = 50;
  int group_size = 1;  // train.group-size: ranks per group (docs/groups.md)
  std::uint64_t samples = 10000;
  bool quiet = false;
  bool dry_run = false;
};

po::options_description train_options();
/// InputError naming the key for every impossible value; the ones that need the data (the
/// number of features) are checked by `qubits_per_feature`.
TrainConfig train_config_from(const po::variables_map& values);

/// InputError when a qgen key and the PETSc option that sets the same thing are both given
/// (PETSc's options database must be initialised).
void refuse_double_owners(const po::variables_map& values);

/// The options of the training run that wrote a results file (its /config); DataError naming
/// `path` when they are not a qgen train configuration.
TrainConfig train_config_of(const eval::TrainedModel& model, const std::string& path);
/// The same from the /config text and the file's qubits per feature (ansatz 2's blocks).
TrainConfig train_config_of(const std::string& config_text, int qubits_per_feature, const std::string& path);

/// The trained circuit, checked against the file's parameters (DataError naming `path`).
sim::Circuit trained_circuit(const TrainConfig& config, std::size_t num_parameters, const std::string& path);

/// Q / N, or InputError when Q is not divisible by the number of features N.
int qubits_per_feature(const TrainConfig& config, std::size_t num_features);

}  // namespace qgen::app
