// qgen train: train a quantum circuit Born machine (paper 000, sections II and IV.A) on the
// encoded distribution of a data set, across the MPI ranks, with checkpoints and a results file
// written by the lead rank.
//
//   mpiexec -n 2 qgen train --config inputs/qcbm-2d-a2-zero.ini [--key value ...] [-tao_* ...]
#include <cstdio>
#include <sstream>

#include "qgen/app/collective.hpp"
#include "qgen/app/command.hpp"
#include "qgen/app/petsc_session.hpp"
#include "qgen/app/train_config.hpp"
#include "qgen/data/atomic_file.hpp"
#include "qgen/eval/metrics.hpp"
#include "qgen/eval/results.hpp"
#include "qgen/sim/random_stream.hpp"
#include "qgen/sim/simulator.hpp"
#include "qgen/train/tao_adam.hpp"
#include "qgen/train/trainer.hpp"

namespace qgen::app {
namespace {

constexpr std::uint64_t kInitialParameterStream = 0x1A17ull << 48;
constexpr int kExitStoppedBySignal = 3;

std::string joined(const std::vector<std::string>& items) {
  std::string s;
  for (const auto& i : items) s += (s.empty() ? "" : ",") + i;
  return s;
}

std::string full_text(double x) {
  char text[32];
  std::snprintf(text, sizeof text, "%.17g", x);
  return text;
}

std::vector<double> initial_parameters(const TrainConfig& c, int count) {
  std::vector<double> theta(count, 0.0);
  if (c.init == "zeros") return theta;
  sim::RandomStream stream(c.engine.seed, kInitialParameterStream);
  for (double& t : theta) t = c.init_low + (c.init_high - c.init_low) * stream.next_uniform();
  return theta;
}

// What a restart must agree on to continue the same run.
train::Fingerprint fingerprint_of(const TrainConfig& c, const std::vector<std::string>& features,
                                  int q, const std::vector<double>& target,
                                  const std::vector<double>& edges, const std::string& optimizer) {
  std::string sigmas;
  for (double s : c.loss.mmd_sigmas) sigmas += (sigmas.empty() ? "" : ",") + full_text(s);
  return {{"circuit.ansatz", std::to_string(c.circuit.ansatz)},
          {"circuit.qubits", std::to_string(c.circuit.num_qubits)},
          {"circuit.depth", std::to_string(c.circuit.depth)},
          {"circuit.initial-state", circuits::to_string(c.circuit.initial_state)},
          {"circuit.fusion", sim::to_string(c.engine.fusion)},
          {"encoding.features", joined(features)},
          {"encoding.qubits-per-feature", std::to_string(q)},
          {"target", train::content_hash(target)},
          {"bin-edges", train::content_hash(edges)},
          {"train.loss", train::to_string(c.loss.kind) + " epsilon=" + full_text(c.loss.epsilon) +
                             (c.loss.kind == train::LossKind::mmd ? " sigmas=" + sigmas : "")},
          {"train.shots", std::to_string(c.engine.shots)},
          {"train.seed", std::to_string(c.engine.seed)},
          {"train.gradient", c.engine.method + " " + sim::to_string(c.engine.shift_evaluation)},
          {"optimizer", optimizer}};
}

void broadcast_history(const Context& context, train::History& h) {
  broadcast(context, h.step);
  broadcast(context, h.evaluations);
  broadcast(context, h.loss);
  broadcast(context, h.grad_norm);
  broadcast(context, h.seconds);
}

}  // namespace

int run_train_command(const Context& context, const Words& words) {
  Words qgen_words, petsc_words;
  split_petsc_options(words, qgen_words, petsc_words);
  const po::options_description options = train_options();
  const ParsedOptions parsed = parse_options("train", options, qgen_words);
  if (parsed.help) {
    print_help("[mpiexec -n N] qgen train [--config FILE] [--key value | key=value ...] [-tao_* ...]",
               options, context.lead());
    if (context.lead())
      std::printf("PETSc options pass through: -tao_type lmvm, -tao_monitor, -tao_adam_beta1 0.9, "
                  "-log_view, ...\nExit codes: 0 done, 2 bad input, 3 stopped by SIGTERM/SIGUSR1 "
                  "after writing a checkpoint, 1 other failure.\n");
    return 0;
  }
  TrainConfig config = train_config_from(parsed.values);
  const std::string config_text = to_ini_text(parsed.values);

  PetscSession petsc(petsc_words, config.petsc_options);
  petsc.set_default("-tao_type", config.optimizer);
  petsc.set_default("-tao_adam_learning_rate", full_text(config.learning_rate));

  // Data, features and target: on the lead rank, shared with all.
  LoadedData loaded;
  std::vector<std::string> features;
  std::unique_ptr<data::Binning> binning;
  data::Encoding encoding;
  std::vector<double> target, edges;
  std::int64_t q = 0;
  on_lead(context, [&] {
    loaded = load_data(config.data);
    features = config.features.empty() ? loaded.table.columns() : config.features;
    const data::Table table = loaded.table.select(features);
    q = qubits_per_feature(config, features.size());
    binning = std::make_unique<data::Binning>(
        data::make_binning(table, {static_cast<int>(q), config.binning, config.ranges}));
    encoding = data::encode(table, *binning);
    target = encoding.probabilities;
    for (int f = 0; f < binning->num_features(); ++f)
      edges.insert(edges.end(), binning->edges(f).begin(), binning->edges(f).end());
    // Outputs must be writable before hours of training, not after.
    data::AtomicFile results_check(config.results);
    if (!config.checkpoint.empty()) data::AtomicFile checkpoint_check(config.checkpoint);
    if (!config.log.empty()) data::AtomicFile log_check(config.log);
  });
  broadcast(context, target);
  broadcast(context, edges);
  broadcast(context, q);
  std::string feature_text = joined(features);
  broadcast(context, feature_text);
  features = data::split_list(feature_text);
  config.circuit.block_size = static_cast<int>(q);

  const sim::Circuit circuit = circuits::build_qcbm_circuit(config.circuit);
  const int P = circuit.num_parameters();
  const train::Loss loss(config.loss, target);
  const auto engine = train::make_gradient_engine(circuit, config.engine, loss);

  train::TrainerOptions trainer_options;
  trainer_options.steps = config.steps;
  trainer_options.stochastic = config.engine.shots > 0;
  trainer_options.checkpoint_every = config.checkpoint_every;
  trainer_options.checkpoint_path = config.checkpoint;
  trainer_options.quiet = config.quiet;
  trainer_options.log_path = config.log;
  // Building the solver reads the -tao_* options: PETSc refuses bad ones on every rank alike.
  std::unique_ptr<train::Trainer> solver;
  try {
    solver = std::make_unique<train::Trainer>(context.comm, *engine, P, trainer_options);
  } catch (const std::invalid_argument& e) {
    throw InputError(e.what());
  }
  train::Trainer& trainer = *solver;
  const train::Fingerprint fingerprint =
      fingerprint_of(config, features, static_cast<int>(q), target, edges, trainer.optimizer_settings());
  trainer.set_checkpoint_identity(config_text, fingerprint);

  train::TrainerStart start;
  std::int64_t restored_adam = 0;
  if (!config.restart.empty()) {
    // TAO's other methods keep state (LMVM's history, NM's simplex, ...) that a checkpoint does
    // not hold, and number their iterations from 0 again: only Adam continues exactly.
    if (trainer.optimizer() != train::kTaoAdam)
      throw InputError("--restart continues a run exactly only with the adam optimizer; '" +
                       trainer.optimizer() + "' keeps state that checkpoints do not hold "
                       "(start it afresh, e.g. from the checkpoint's parameters)");
    on_lead(context, [&] {
      const train::Checkpoint c = train::read_checkpoint(config.restart);
      const std::string differences = train::fingerprint_differences(c.fingerprint, fingerprint);
      if (!differences.empty())
        throw InputError("checkpoint '" + config.restart + "' was made for another run: " + differences);
      start = train::start_from(c);
      restored_adam = c.has_adam;
    });
    broadcast(context, start.parameters);
    broadcast(context, restored_adam);
    start.restore_adam = restored_adam != 0;
    broadcast(context, start.adam.first_moment);
    broadcast(context, start.adam.second_moment);
    std::int64_t step = start.adam.step, iteration = start.iteration,
                 evaluation = static_cast<std::int64_t>(start.evaluation);
    broadcast(context, step);
    broadcast(context, iteration);
    broadcast(context, evaluation);
    start.adam.step = static_cast<PetscInt>(step);
    start.iteration = iteration;
    start.evaluation = static_cast<std::uint64_t>(evaluation);
    broadcast_history(context, start.history);
  } else {
    start.parameters = initial_parameters(config, P);
  }

  if (context.lead()) {
    std::printf("qgen train\n%s", describe_data(loaded).c_str());
    std::printf("  target         %s: %lld qubits each, %zu basis states; %zu events in the bins, "
                "%zu outside\n",
                feature_text.c_str(), static_cast<long long>(q), target.size(),
                encoding.events_used, encoding.events_outside);
    std::printf("  circuit        ansatz %d, %d qubits, depth %d, initial state %s: %d parameters\n",
                config.circuit.ansatz, config.circuit.num_qubits, config.circuit.depth,
                circuits::to_string(config.circuit.initial_state).c_str(), P);
    std::printf("  training       %s%s, %s, %s, %d steps, %d ranks%s\n", config.engine.method.c_str(),
                config.engine.method == "parameter-shift"
                    ? (" (" + sim::to_string(config.engine.shift_evaluation) + ")").c_str() : "",
                config.engine.shots ? (std::to_string(config.engine.shots) + " shots").c_str()
                                    : "exact probabilities",
                trainer.optimizer_settings().c_str(), config.steps, context.size,
                config.restart.empty() ? "" : (", restarted at step " + std::to_string(start.iteration)).c_str());
    std::fflush(stdout);
  }
  if (config.dry_run) {
    if (context.lead()) std::printf("  dry run        options, data and outputs checked; not training\n");
    return 0;
  }

  const train::TrainerResult result = trainer.run(start);

  on_lead(context, [&] {
    eval::Results r;
    r.config = config_text;
    r.history = result.history;
    r.parameters = result.parameters;
    r.target = target;
    r.model = sim::Simulator(circuit, config.engine.fusion).probabilities(result.parameters);
    if (config.samples > 0) {
      eval::Samples s = eval::sample_events(r.model, *binning, config.samples, config.engine.seed);
      r.samples = std::move(s.events);
      r.sample_distribution = std::move(s.distribution);
    }
    r.data_correlation = data::correlation_matrix(loaded.table.select(features));
    r.attributes = loaded.provenance;
    r.attributes.push_back({"ranks", static_cast<std::int64_t>(context.size)});
    r.attributes.push_back({"stopped", std::string(result.stop == train::StopReason::signal
                                                       ? "signal" : result.stop == train::StopReason::completed
                                                                        ? "completed" : "converged")});
    r.attributes.push_back({"tao_reason", result.tao_reason});
    write_results(config.results, r, *binning);
    const double js = train::jensen_shannon(target, r.model);
    const double mae = eval::marginal_mae(target, r.model, *binning);
    const std::string how = result.stop == train::StopReason::completed ? "all steps done"
                            : result.stop == train::StopReason::signal ? "stopped by a signal"
                                                                         : "TAO: " + result.tao_reason;
    std::printf("  finished       step %lld (%s): loss %.6e; model JS %.6e, marginal MAE D %.6e\n",
                static_cast<long long>(result.iteration), how.c_str(),
                result.history.loss.empty() ? 0.0 : result.history.loss.back(), js, mae);
    std::printf("  results        %s\n", config.results.c_str());
    if (!config.checkpoint.empty()) std::printf("  checkpoint     %s\n", config.checkpoint.c_str());
    if (result.stop == train::StopReason::signal)
      std::printf("  stopped        by signal %d after writing the checkpoint; continue with "
                  "--restart %s\n", result.signal, config.checkpoint.c_str());
  });
  return result.stop == train::StopReason::signal ? kExitStoppedBySignal : 0;
}

}  // namespace qgen::app
