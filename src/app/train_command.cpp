// qgen train: train a quantum circuit Born machine (paper 000, sections II and IV.A) on the
// encoded distribution of a data set, across the MPI ranks, with checkpoints and a results file
// written by the lead rank.
//
//   mpiexec -n 2 qgen train --config inputs/qcbm-2d-a2-zero.ini [--key value ...] [-tao_* ...]
//
// --group-size S (train.group-size; docs/groups.md): the ranks form G = R / S groups that each
// hold the circuits' states distributed over their S ranks; the groups split the gradient work
// (train/group_gradient_engine.hpp). S = 1 is the plain per-rank split. The checks (S, the
// local qubits, the memory of every rank's share) run before the data are read. With S > 1 the
// lead alone holds the whole target; it scatters the slices (each rank the basis states of its
// amplitudes), and the loss is summed over them (train/loss.hpp).
#include <bit>
#include <cmath>
#include <cstdio>
#include <map>
#include <memory>
#include <optional>

#include "qgen/app/command.hpp"
#include "qgen/app/petsc_session.hpp"
#include "qgen/app/progress.hpp"
#include "qgen/app/run_files.hpp"
#include "qgen/app/train_config.hpp"
#include "qgen/core/atomic_file.hpp"
#include "qgen/core/errors.hpp"
#include "qgen/core/text.hpp"
#include "qgen/eval/metrics.hpp"
#include "qgen/eval/results.hpp"
#include "qgen/sim/distributed_probabilities.hpp"
#include "qgen/sim/distributed_simulator.hpp"
#include "qgen/sim/distribution_plan.hpp"
#include "qgen/sim/simulator.hpp"
#include "qgen/train/group_gradient_engine.hpp"
#include "qgen/train/tao_adam.hpp"
#include "qgen/train/trainer.hpp"
#include "qgen/train/training_monitor.hpp"

namespace qgen::app {
namespace {

// What a restart must agree on to continue the same run.
train::Fingerprint fingerprint_of(const TrainConfig& c, const std::vector<std::string>& features,
                                  int q, const std::string& target_hash,
                                  const std::vector<double>& edges, const std::string& optimizer) {
  std::vector<std::string> sigmas;
  for (double s : c.loss.mmd_sigmas) sigmas.push_back(core::exact_text(s));
  return {{"circuit.ansatz", std::to_string(c.circuit.spec.ansatz)},
          {"circuit.qubits", std::to_string(c.circuit.spec.num_qubits)},
          {"circuit.depth", std::to_string(c.circuit.spec.depth)},
          {"circuit.initial-state", core::name_of(c.circuit.spec.initial_state)},
          {"circuit.fusion", core::name_of(c.circuit.fusion)},
          {"encoding.features", core::join(features)},
          {"encoding.qubits-per-feature", std::to_string(q)},
          {"target", target_hash},
          {"bin-edges", train::content_hash(edges)},
          {"train.loss", core::name_of(c.loss.kind) + " epsilon=" + core::exact_text(c.loss.epsilon) +
                             (c.loss.kind == train::LossKind::mmd ? " sigmas=" + core::join(sigmas) : "")},
          {"train.shots", std::to_string(c.engine.shots)},
          {"train.seed", std::to_string(c.engine.seed)},
          {"train.gradient", core::name_of(c.engine.method) + " " +
                                 core::name_of(c.engine.shift_evaluation)},
          {"optimizer", optimizer}};
}

void broadcast_start(const core::Ranks& ranks, train::TrainerStart& start) {
  core::broadcast(ranks, start.parameters);
  core::broadcast(ranks, start.restore_adam);
  core::broadcast(ranks, start.adam.first_moment);
  core::broadcast(ranks, start.adam.second_moment);
  std::int64_t adam_step = start.adam.step;
  core::broadcast(ranks, adam_step);
  start.adam.step = static_cast<PetscInt>(adam_step);
  core::broadcast(ranks, start.iteration);
  core::broadcast(ranks, start.evaluation);
  train::History& h = start.history;
  for (auto* v : {&h.step, &h.evaluations}) core::broadcast(ranks, *v);
  for (auto* v : {&h.loss, &h.grad_norm, &h.seconds}) core::broadcast(ranks, *v);
}

// The events, encoded into the target distribution: read on the lead rank, shared with all.
// With groups of S > 1 ranks every rank gets its group slice, the basis states of its
// amplitudes: rank r of a group [r 2^Q / S, (r+1) 2^Q / S) (train/loss.hpp); the lead drops the
// whole distribution once the fingerprint has it and gathers it back from group 0's slices for
// the results, after the engine's states are gone.
struct Target {
  LoadedData loaded;  // on the lead rank
  std::vector<std::string> features;
  int qubits_per_feature = 0;
  std::unique_ptr<data::Binning> binning;  // on the lead rank
  data::Encoding encoding;                 // on the lead rank (its probabilities moved out)
  std::vector<double> probabilities;       // whole: on every rank (S = 1), on the lead (S > 1)
  std::vector<double> slice;               // S > 1: this rank's slice
  std::uint64_t states = 0;                // basis states, on every rank
  std::vector<double> edges;
};

Target load_target(const core::Ranks& ranks, const core::RankGroups& groups, const TrainConfig& config) {
  Target t;
  std::int64_t q = 0;
  core::on_lead(ranks, [&] {
    t.loaded = load_data(config.data);
    t.features = config.features.empty() ? t.loaded.table.columns() : config.features;
    const data::Table table = t.loaded.table.select(t.features);
    q = qubits_per_feature(config, t.features.size());
    data::BinningOptions binning = config.binning;
    binning.qubits_per_feature = static_cast<int>(q);
    t.binning = std::make_unique<data::Binning>(data::make_binning(table, binning));
    t.encoding = data::encode(table, *t.binning);
    t.probabilities = std::move(t.encoding.probabilities);
    t.edges = t.binning->flat_edges();
  });
  t.states = t.probabilities.size();
  core::broadcast(ranks, t.states);
  if (groups.size() == 1) {
    core::broadcast(ranks, t.probabilities);
  } else {
    // The lead scatters the slices over its group (group 0); each of those ranks broadcasts
    // its slice to the ranks in its place in the other groups.
    const std::uint64_t states = t.states;
    if (states % static_cast<std::uint64_t>(groups.size()) != 0)
      throw core::InternalError("the target's " + std::to_string(states) +
                                " states do not split over groups of " + std::to_string(groups.size()));
    if (groups.index() == 0)
      t.slice = sim::scatter_distribution(groups.group(), t.probabilities, states / groups.size());
    core::broadcast(groups.across(), t.slice);
  }
  core::broadcast(ranks, t.edges);
  core::broadcast(ranks, q);
  core::broadcast(ranks, t.features);
  t.qubits_per_feature = static_cast<int>(q);
  return t;
}

// encoding.ranges as the option spells it ('pT:250:3000,mass:0:500'): each feature's outer bin
// edges, exact in text, so the results' /config says what was trained when the ranges were
// left to the data (and running that /config again bins the same events the same way).
std::string ranges_text(const Target& t) {
  const std::size_t per_feature = (std::size_t{1} << t.qubits_per_feature) + 1;
  std::vector<std::string> ranges;
  for (std::size_t f = 0; f < t.features.size(); ++f)
    ranges.push_back(t.features[f] + ":" + core::exact_text(t.edges[f * per_feature]) + ":" +
                     core::exact_text(t.edges[(f + 1) * per_feature - 1]));
  return core::join(ranges);
}

// A checkpoint's state, checked against this run's fingerprint on the lead rank.
train::TrainerStart restart_from(const core::Ranks& ranks, const std::string& path,
                                 const train::Fingerprint& fingerprint) {
  train::TrainerStart start;
  core::on_lead(ranks, [&] {
    const train::Checkpoint c = train::read_checkpoint(path);
    const std::string differences = train::fingerprint_differences(c.fingerprint, fingerprint);
    if (!differences.empty())
      throw core::DataError("checkpoint '" + path + "' was made for another run: " + differences);
    start = train::start_from(c);
  });
  broadcast_start(ranks, start);
  return start;
}

// Outputs must be writable, and distinct from the inputs and each other, before any work.
void check_files(const core::Ranks& ranks, const TrainConfig& config, const po::variables_map& values) {
  core::on_lead(ranks, [&] {
    std::vector<RunFile> inputs = {{"data.input", config.data.input},
                                   {"--config", option_text(values, "config")}};
    // The restart chain continues from and writes the same checkpoint: that one may be both.
    if (!core::same_file(config.restart, config.checkpoint))
      inputs.push_back({"restart", config.restart});
    const std::vector<RunFile> outputs = {
        {"results", config.results}, {"checkpoint", config.checkpoint}, {"log", config.log}};
    print_cleaned(check_run_files(inputs, outputs));
  });
}

// Between the set-up and the first step: a signal that arrived while the data were read stops
// the run here, cleanly, before anything is written.
bool stopped_before_training(const core::Ranks& ranks, const train::StopSignals& signals) {
  const int signal = signals.agreed(ranks);
  if (signal != 0 && ranks.lead())
    std::printf("  stopped        by signal %d before training started; nothing written\n", signal);
  return signal != 0;
}

void print_plan(const TrainConfig& config, const Target& t, const train::Trainer& trainer,
                int num_parameters, int ranks, const train::TrainerStart& start) {
  const int s = config.group_size;
  std::string ranks_text = std::to_string(ranks) + " ranks";
  if (s > 1) {
    // The exchanges of one run of the circuit, as its distribution plan makes them.
    const int global = std::countr_zero(unsigned(s)), local = config.circuit.spec.num_qubits - global;
    const sim::DistributionPlan plan = sim::plan_distribution(
        sim::plan_fusion(circuits::build_qcbm_circuit(config.circuit.spec), config.circuit.fusion), global);
    ranks_text += " in " + std::to_string(ranks / s) + " group" + (ranks / s == 1 ? "" : "s") +
                  " of " + std::to_string(s) + " (2^" + std::to_string(local) +
                  " amplitudes per rank; " + std::to_string(plan.exchanges) + " exchanges, " +
                  core::bytes_text(8.0 * plan.exchanges * std::ldexp(1.0, local)) +
                  " sent per rank, per circuit)";
  }
  std::printf("qgen train\n%s", describe_data(t.loaded).c_str());
  std::printf("  target         %s: %d qubits each, %zu basis states; %zu events in the bins, "
              "%zu outside\n",
              core::join(t.features).c_str(), t.qubits_per_feature, static_cast<std::size_t>(t.states),
              t.encoding.events_used, t.encoding.events_outside);
  if (t.binning->quantiles_per_bin() > 0)
    std::printf("  decoding       %d quantiles of the events per %s and feature (data/bin_quantiles.hpp)\n",
                t.binning->quantiles_per_bin(), t.binning->has_state_quantiles() ? "basis state" : "bin");
  const auto& spec = config.circuit.spec;
  std::printf("  circuit        ansatz %d, %d qubits, depth %d, initial state %s: %d parameters\n",
              spec.ansatz, spec.num_qubits, spec.depth, core::name_of(spec.initial_state).c_str(),
              num_parameters);
  const std::string method =
      core::name_of(config.engine.method) +
      (config.engine.method == train::GradientMethod::parameter_shift
           ? " (" + core::name_of(config.engine.shift_evaluation) + ")" : "");
  std::printf("  training       %s, %s, %s, %d steps, %s%s\n", method.c_str(),
              config.engine.shots ? (std::to_string(config.engine.shots) + " shots").c_str()
                                  : "exact probabilities",
              trainer.optimizer_settings().c_str(), trainer.steps(), ranks_text.c_str(),
              config.restart.empty() ? "" : (", restarted at step " + std::to_string(start.iteration)).c_str());
  if (s > 1) {
    // The estimate check_group_training_fit checked (docs/groups.md, "Memory").
    const train::GroupTrainingMemory m =
        train::group_training_memory(spec.num_qubits, s, config.engine, config.loss.kind);
    std::printf("  memory         %s per rank (%s of states, %s of loss slices), %s on rank 0 at the "
                "end (whole target and model)%s\n",
                core::bytes_text(m.states + m.loss_slices).c_str(), core::bytes_text(m.states).c_str(),
                core::bytes_text(m.loss_slices).c_str(), core::bytes_text(m.world_lead_end).c_str(),
                m.shots_lead > 0
                    ? (", " + core::bytes_text(m.shots_lead) + " more on each group's lead (shots)").c_str()
                    : "");
  }
  std::fflush(stdout);
}

// The trained model's distribution on the lead rank: simulated there (S = 1), or by group 0 on
// its distributed state and gathered (the same values bit for bit, L >= 3), so that no rank
// needs a whole state. Collective.
std::vector<double> trained_model(const core::Ranks& ranks, const core::RankGroups& groups,
                                  const sim::Circuit& circuit, const TrainConfig& config,
                                  std::vector<double> parameters) {
  std::vector<double> model;
  if (groups.size() == 1) {
    core::on_lead(ranks, [&] {
      model = sim::Simulator(circuit, config.circuit.fusion).probabilities(parameters);
    });
    return model;
  }
  core::collectively(ranks, [&] {
    if (groups.index() != 0) return;
    core::broadcast(groups.group(), parameters);  // the lead's
    const sim::DistributedSimulator simulator(groups.group(), circuit, config.circuit.fusion);
    model = sim::gather_distribution(groups.group(), simulator.probabilities(parameters));
  });
  return model;
}

void write_results_file(const TrainConfig& config, const std::string& config_text, Target& t,
                        std::vector<double> model, const train::TrainerResult& result,
                        const train::TrainingMonitor& monitor, int ranks) {
  eval::Results r;
  r.config = config_text;
  r.history = monitor.history();
  r.parameters = result.parameters;
  r.target = std::move(t.probabilities);  // one whole copy on the lead, not two
  r.model = std::move(model);
  if (config.samples > 0) {
    eval::Samples s = eval::sample_events(r.model, *t.binning, config.samples, config.engine.seed);
    r.samples = std::move(s.events);
    r.sample_distribution = std::move(s.distribution);
  }
  r.data_correlation = data::correlation_matrix(t.loaded.table.select(t.features));
  r.attributes = t.loaded.provenance;
  r.attributes.push_back({"ranks", static_cast<std::int64_t>(ranks)});
  const bool signalled = monitor.stop_signal() != 0;
  const bool completed = !signalled && result.iteration >= config.trainer.steps;
  r.attributes.push_back({"stopped", std::string(signalled ? "signal" : completed ? "completed" : "converged")});
  r.attributes.push_back({"tao_reason", result.tao_reason});
  eval::write_results(config.results, r, *t.binning);

  const double js = train::jensen_shannon(r.target, r.model);
  const double mae = eval::marginal_mae(r.target, r.model, *t.binning);
  const std::string how = signalled ? "stopped by a signal" : completed ? "all steps done"
                                                                         : "TAO: " + result.tao_reason;
  const auto& loss = monitor.history().loss;
  std::printf("  finished       step %lld (%s): loss %.6e; model JS %.6e, marginal MAE D %.6e\n",
              static_cast<long long>(result.iteration), how.c_str(), loss.empty() ? 0.0 : loss.back(),
              js, mae);
  std::printf("  results        %s\n", config.results.c_str());
  if (!config.checkpoint.empty()) std::printf("  checkpoint     %s\n", config.checkpoint.c_str());
  if (signalled)
    std::printf("  stopped        by signal %d after writing the checkpoint; continue with "
                "--restart %s\n", monitor.stop_signal(), config.checkpoint.c_str());
}

}  // namespace

int run_train_command(const core::Ranks& ranks, const Words& words) {
  const train::StopSignals signals;  // first of all: a signal during the set-up is recorded
  Words qgen_words, petsc_words;
  split_petsc_options(words, qgen_words, petsc_words);
  // --group-size S (as qgen circuit spells it) is train.group-size.
  for (std::string& w : qgen_words) {
    if (w == "--group-size" || w.rfind("--group-size=", 0) == 0) w = "--train." + w.substr(2);
    else if (w.rfind("group-size=", 0) == 0) w = "train." + w;
  }
  const po::options_description options = train_options();
  ParsedOptions parsed;
  TrainConfig config;
  core::collectively(ranks, [&] {
    parsed = parse_options("train", options, qgen_words);
    if (!parsed.help) config = train_config_from(parsed.values);
  });
  if (parsed.help) {
    print_help("[mpiexec -n N] qgen train [--config FILE] [--key value | key=value ...] [-tao_* ...]",
               options, ranks.lead());
    if (ranks.lead())
      std::printf("PETSc options pass through: -tao_type lmvm, -tao_monitor, -tao_adam_beta1 0.9, "
                  "-log_view, ...\nExit codes: 0 done, 2 bad input, 3 stopped by SIGTERM/SIGUSR1 "
                  "after writing a checkpoint, 1 other failure.\n");
    return 0;
  }
  // The group size is how this run is laid out on its ranks, like their number: not part of
  // the configuration the results and checkpoints record (a run restarts with any S).
  static_cast<std::map<std::string, po::variable_value>&>(parsed.values).erase("train.group-size");
  std::string config_text = to_ini_text(parsed.values);

  PetscSession petsc(petsc_words, config.petsc_options);
  core::collectively(ranks, [&] { refuse_double_owners(parsed.values); });
  check_files(ranks, config, parsed.values);

  // Rank groups, checked before the data are read (the target alone is 8 B x 2^Q on the lead).
  const core::RankGroups groups = core::split_into_groups(ranks, config.group_size);
  if (groups.size() > 1)
    train::check_group_training_fit(ranks, groups, config.circuit.spec.num_qubits, config.engine,
                                    config.loss.kind);

  Target target = load_target(ranks, groups, config);
  config.circuit.spec.block_size = target.qubits_per_feature;
  set_option(parsed.values, "encoding.features", core::join(target.features));
  set_option(parsed.values, "encoding.ranges", ranges_text(target));
  config_text = to_ini_text(parsed.values);

  const sim::Circuit circuit = circuits::build_qcbm_circuit(config.circuit.spec);
  const int P = circuit.num_parameters();
  // S > 1: each rank's loss holds its slice and sums over the group (train/loss.hpp); the lead
  // keeps only the whole target's hash (the checkpoint's fingerprint) until the results.
  const train::Loss loss = groups.size() > 1
                               ? train::Loss(config.loss, std::move(target.slice), groups.group())
                               : train::Loss(config.loss, target.probabilities);
  const std::string target_hash = train::content_hash(target.probabilities);
  if (groups.size() > 1) std::vector<double>().swap(target.probabilities);
  std::unique_ptr<train::GradientEngine> engine;
  std::unique_ptr<train::Trainer> solver;
  core::collectively(ranks, [&] {
    engine = groups.size() > 1
                 ? train::make_group_gradient_engine(groups.group(), circuit, config.engine, loss)
                 : train::make_gradient_engine(circuit, config.engine, loss);
  });
  // Building the solver reads the -tao_* options: PETSc refuses bad ones on every rank alike.
  core::collectively(ranks, [&] {
    solver = std::make_unique<train::Trainer>(ranks, *engine, P, config.trainer,
                                              groups.size() > 1 ? &groups : nullptr);
  });
  train::Trainer& trainer = *solver;
  // Every word of the command line is used or refused: a PETSc option no object read is a typo
  // or meant for a solver that is not in use.
  core::collectively(ranks, [&] {
    const std::vector<std::string> unused = petsc.unused_options();
    if (!unused.empty())
      throw core::InputError("PETSc option " + core::join(unused, ", ") + " was not used by "
                             "optimizer '" + trainer.optimizer() + "' (misspelt? see -help)");
  });
  if (trainer.steps() != config.trainer.steps) {  // -tao_max_it set it: record what runs
    config.trainer.steps = trainer.steps();
    set_option(parsed.values, "train.steps", config.trainer.steps);
    config_text = to_ini_text(parsed.values);
  }
  const train::Fingerprint fingerprint =
      fingerprint_of(config, target.features, target.qubits_per_feature, target_hash,
                     target.edges, trainer.optimizer_settings());

  train::TrainerStart start;
  if (!config.restart.empty()) {
    // TAO's other methods keep state (LMVM's history, NM's simplex, ...) that a checkpoint does
    // not hold, and number their iterations from 0 again: only Adam continues exactly.
    if (trainer.optimizer() != train::kTaoAdam)
      throw core::InputError("--restart continues a run exactly only with the adam optimizer; '" +
                             trainer.optimizer() + "' keeps state that checkpoints do not hold "
                             "(start it afresh, e.g. from the checkpoint's parameters)");
    start = restart_from(ranks, config.restart, fingerprint);
    if (start.iteration > config.trainer.steps)
      throw core::InputError("train.steps = " + std::to_string(config.trainer.steps) +
                             " is below the checkpoint's step " + std::to_string(start.iteration) +
                             ": to continue, give at least that many steps");
  } else {
    start.parameters = circuits::initial_parameters(P, config.init);
  }

  if (ranks.lead()) print_plan(config, target, trainer, P, ranks.size, start);
  if (config.dry_run) {
    if (ranks.lead()) std::printf("  dry run        options, data and outputs checked; not training\n");
    return core::exit_code::success;
  }

  if (stopped_before_training(ranks, signals)) return core::exit_code::stopped;
  std::optional<ProgressPrinter> progress;  // the lead's opens the log file
  core::collectively(ranks, [&] {
    progress.emplace(config.trainer.steps, start.iteration, config.quiet, ranks.lead() ? config.log : "");
  });
  train::MonitorOptions monitor_options;
  monitor_options.checkpoint_path = config.checkpoint;
  monitor_options.checkpoint_every = config.checkpoint_every;
  monitor_options.signals = &signals;
  monitor_options.progress = [&](const train::StepRecord& r) { (*progress)(r); };
  train::TrainingMonitor monitor(ranks, trainer, monitor_options, {config_text, fingerprint}, start);
  const train::TrainerResult result = trainer.run(start, monitor);
  monitor.finish(result);
  // The engine's states go before the trained model is simulated (the trainer, done, does not
  // call it again): group 0 then holds one run's state, not both.
  engine.reset();

  std::vector<double> model = trained_model(ranks, groups, circuit, config, result.parameters);
  if (groups.size() > 1) {  // the whole target on the lead, from group 0's slices
    core::collectively(ranks, [&] {
      if (groups.index() == 0) target.probabilities = sim::gather_distribution(groups.group(), loss.target());
    });
  }
  core::on_lead(ranks, [&] {
    write_results_file(config, config_text, target, std::move(model), result, monitor, ranks.size);
  });
  if (monitor.stop_signal() != 0) return core::exit_code::stopped;
  // A signal during the final write was recorded, not fatal: the run had finished.
  if (const int late = signals.agreed(ranks); late != 0 && ranks.lead())
    std::printf("  note           signal %d arrived while the results were written; the run had "
                "finished and its files are complete\n", late);
  return core::exit_code::success;
}

}  // namespace qgen::app
