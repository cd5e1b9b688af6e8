// qgen qinn: the quantum invertible neural network of paper 004 for Z + jet events.
//
//   mpiexec -n 2 qgen qinn train [--config FILE] [--key value | key=value ...]
//   qgen qinn sample  --model qgen-qinn.h5 --samples 100000 --output generated.h5
//   qgen qinn density --model qgen-qinn.h5 --input events.h5 --output densities.h5
//
// train reads or generates the events on the lead rank (default: the built-in zjet generator,
// 100000 events), keeps the five zll features, splits them 37.5/12.5/50 %, trains across the
// ranks (qinn/trainer.hpp) and writes the results file (qinn/results.hpp) from the best epoch's
// parameters. sample draws generated events from a results file; density writes each event's
// log p(x). Events outside the training range are clamped into it and counted (flagged per
// event by density), not refused; values that are not finite, a file without the five features,
// a checkpoint of another model and impossible options are refused: one message, exit 2,
// nothing written.
#include <cmath>
#include <cstdio>
#include <fstream>

#include "qgen/app/command.hpp"
#include "qgen/app/qinn_config.hpp"
#include "qgen/app/run_files.hpp"
#include "qgen/core/atomic_file.hpp"
#include "qgen/core/errors.hpp"
#include "qgen/core/text.hpp"
#include "qgen/data/hdf5_table.hpp"
#include "qgen/data/split.hpp"
#include "qgen/qinn/dilepton.hpp"
#include "qgen/qinn/inference.hpp"
#include "qgen/qinn/results.hpp"
#include "qgen/qinn/trainer.hpp"

namespace qgen::app {
namespace {

constexpr const char* kUsage =
    "usage: qgen qinn <train|sample|density> [--config FILE] [--key value | key=value ...]\n\n"
    "  train    train the QINN of paper 004 on the five zll observables (MPI)\n"
    "  sample   generate events from a results file of qgen qinn train\n"
    "  density  write each event's log-density log p(x) under a trained QINN\n\n"
    "'qgen qinn <sub-command> --help' lists its options.\n";

// The QINN's features of a table; a DataError naming the source and the missing column.
data::Table qinn_features(const data::Table& table, const std::vector<std::string>& features,
                          const std::string& source) {
  try {
    data::Table t = table.select(features);
    qinn::check_finite(t, source);
    return t;
  } catch (const core::DataError& e) {
    const std::string what = e.what();
    if (what.rfind("no column", 0) != 0) throw;
    throw core::DataError(source + " lacks the QINN's features: " + what + " (the QINN needs " +
                          core::join(features, ", ") + "; event files: --observables zll)");
  }
}

void broadcast_table(const core::Ranks& ranks, data::Table& table, const std::vector<std::string>& columns) {
  std::vector<double> values = table.values();
  core::broadcast(ranks, values);
  table = data::Table(columns);
  table.assign(std::move(values));
}

std::string exact_list(const std::vector<double>& v) {
  std::vector<std::string> items;
  for (double x : v) items.push_back(core::exact_text(x));
  return core::join(items);
}

// What a restart must agree on to continue the same run.
train::Fingerprint fingerprint_of(const QinnConfig& c, const data::Table& train, const data::Table& validation) {
  const auto& s = c.model.shape;
  const auto& w = c.loss.weights;
  const auto& t = c.trainer;
  return {{"model.layers", std::to_string(s.layers)},
          {"model.isp-layers", std::to_string(s.isp_layers)},
          {"model.network", std::to_string(s.network_layers) + " x " + std::to_string(s.network_hidden)},
          {"model.chunk", std::to_string(c.model.chunk)},
          {"model.fusion", core::name_of(c.model.fusion)},
          {"model.init-angle-width", core::exact_text(c.init_angle_width)},
          {"loss.weights", exact_list({w.input, w.latent, w.mass, w.invertibility})},
          {"loss.invertibility-kind", core::name_of(c.loss.invertibility)},
          {"loss.widths", exact_list(c.loss.feature_kernel.widths)},
          {"loss.mass-widths", exact_list(c.loss.mass_kernel.widths)},
          {"train.epochs", std::to_string(t.epochs)},
          {"train.batch", std::to_string(t.batch_size)},
          {"train.schedule", exact_list({t.schedule.max_rate, t.schedule.start_factor,
                                         t.schedule.final_factor, t.schedule.warmup_fraction})},
          {"train.adam", exact_list({t.adam.beta1, t.adam.beta2, t.adam.epsilon})},
          {"train.seed", std::to_string(t.seed)},
          {"data.train", train::content_hash(train.values())},
          {"data.validation", train::content_hash(validation.values())}};
}

void broadcast_state(const core::Ranks& ranks, qinn::TrainingState& s) {
  for (auto* v : {&s.parameters, &s.first_moment, &s.second_moment, &s.best_parameters})
    core::broadcast(ranks, *v);
  for (auto* v : {&s.step, &s.epoch, &s.batch, &s.best_epoch}) core::broadcast(ranks, *v);
  for (double* v : {&s.partial.input, &s.partial.latent, &s.partial.mass, &s.partial.invertibility,
                    &s.partial.total, &s.partial_grad_norm, &s.best_validation})
    core::broadcast(ranks, *v);
  // The history: every field of every record, flattened.
  std::vector<double> flat;
  for (const auto& r : s.history.records)
    flat.insert(flat.end(), {static_cast<double>(r.epoch), r.train.input, r.train.latent, r.train.mass,
                             r.train.invertibility, r.train.total, r.validation.input, r.validation.latent,
                             r.validation.mass, r.validation.invertibility, r.validation.total,
                             r.learning_rate, r.grad_norm, r.seconds});
  core::broadcast(ranks, flat);
  s.history.records.clear();
  for (std::size_t i = 0; i + 14 <= flat.size(); i += 14) {
    const double* f = &flat[i];
    s.history.records.push_back({static_cast<std::int64_t>(f[0]), {f[1], f[2], f[3], f[4], f[5]},
                                 {f[6], f[7], f[8], f[9], f[10]}, f[11], f[12], f[13]});
  }
}

// Outputs must be writable, and distinct from the inputs and each other, before any work.
void check_files(const core::Ranks& ranks, const QinnConfig& config, const po::variables_map& values) {
  core::on_lead(ranks, [&] {
    std::vector<RunFile> inputs = {{"data.input", config.data.input},
                                   {"--config", option_text(values, "config")}};
    // A restart chain continues from and writes the same checkpoint: that one may be both.
    if (!core::same_file(config.restart, config.checkpoint)) inputs.push_back({"restart", config.restart});
    print_cleaned(check_run_files(inputs, {{"results", config.results},
                                           {"checkpoint", config.checkpoint},
                                           {"log", config.log}}));
  });
}

struct Splits {
  LoadedData loaded;  // lead rank
  data::Table train, validation, test;
};

Splits load_splits(const core::Ranks& ranks, const QinnConfig& config) {
  Splits s;
  const auto& columns = qinn::zll_features();
  core::on_lead(ranks, [&] {
    s.loaded = load_data(config.data);
    if (s.loaded.table.weighted())
      throw core::DataError(s.loaded.description + " has event weights; the QINN trains on "
                            "unweighted events (unweight them first)");
    const data::Table table = qinn_features(s.loaded.table, columns, s.loaded.description);
    const data::Split split = data::split_events(table.rows(), config.split_seed,
                                                 config.train_fraction, config.validation_fraction);
    s.train = table.take(split.train);
    s.validation = table.take(split.validation);
    s.test = table.take(split.test);
    if (s.train.rows() < 2) throw core::DataError("the training split has fewer than 2 events");
  });
  broadcast_table(ranks, s.train, columns);
  broadcast_table(ranks, s.validation, columns);
  broadcast_table(ranks, s.test, columns);
  return s;
}

void print_plan(const QinnConfig& c, const Splits& s, const qinn::QinnModel& model,
                const qinn::Trainer& trainer, int ranks, const qinn::TrainingState& start) {
  std::printf("qgen qinn train\n%s", describe_data(s.loaded).c_str());
  std::printf("  split          %zu train, %zu validation, %zu test (seed %llu)\n", s.train.rows(),
              s.validation.rows(), s.test.rows(), static_cast<unsigned long long>(c.split_seed));
  std::printf("  scaling        to [0, pi] over the training split's ranges:");
  for (std::size_t f = 0; f < model.scaling().size(); ++f)
    std::printf(" %s [%.4g, %.4g]", model.scaling().columns[f].c_str(), model.scaling().low[f], model.scaling().high[f]);
  std::printf("\n");
  const auto& sh = c.model.shape;
  const auto& l = model.layout();
  std::printf("  model          %d qubits, %d layers, ISP %d quantum layers and %d dense layers of "
              "%d: %d parameters (%d quantum, %d network, %d affine)\n",
              sh.features, sh.layers, sh.isp_layers, sh.network_layers, sh.network_hidden, l.size,
              l.quantum, l.size - l.network, l.network - l.quantum);
  const auto& w = c.loss.weights;
  std::printf("  loss           MMD input %g, latent %g, M_ll %g (Breit-Wigner), invertibility "
              "%g (%s)\n", w.input, w.latent, w.mass, w.invertibility,
              core::name_of(c.loss.invertibility).c_str());
  const auto& t = c.trainer;
  std::printf("  training       %d epochs of %d batches of %d, Adam %g/%g, one-cycle max %g, "
              "%d ranks, chunks of %d events%s\n",
              t.epochs, trainer.batches_per_epoch(), t.batch_size, t.adam.beta1, t.adam.beta2,
              t.schedule.max_rate, ranks, c.model.chunk,
              start.step > 0 ? (", restarted at epoch " + std::to_string(start.epoch + 1) + " batch " +
                                std::to_string(start.batch + 1)).c_str() : "");
  std::fflush(stdout);
}

// One progress line per epoch on the lead rank, and to the log file.
class EpochPrinter {
public:
  EpochPrinter(int epochs, bool quiet, const std::string& log, bool append)
      : epochs_(epochs), quiet_(quiet) {
    if (!log.empty()) log_.open(log, append ? std::ios::app : std::ios::trunc);
  }
  void operator()(const qinn::EpochRecord& r) {
    char line[320];
    std::snprintf(line, sizeof line,
                  "epoch %4lld/%d  train %.4e  val %.4e (in %.2e lat %.2e M %.2e inv %.2e)  lr "
                  "%.2e  %.2f s  left %s\n",
                  static_cast<long long>(r.epoch), epochs_, r.train.total, r.validation.total,
                  r.validation.input, r.validation.latent, r.validation.mass,
                  r.validation.invertibility, r.learning_rate, r.seconds,
                  core::duration_text(r.seconds * static_cast<double>(epochs_ - r.epoch)).c_str());
    if (log_.is_open()) log_ << line << std::flush;
    if (!quiet_) {
      std::fputs(line, stdout);
      std::fflush(stdout);
    }
  }

private:
  int epochs_;
  bool quiet_;
  std::ofstream log_;
};

int qinn_train(const core::Ranks& ranks, const Words& words) {
  const train::StopSignals signals;  // first of all: a signal during the set-up is recorded
  const po::options_description options = qinn_train_options();
  ParsedOptions parsed;
  QinnConfig config;
  core::collectively(ranks, [&] {
    parsed = parse_options("qinn train", options, words);
    if (parsed.help) return;
    default_to_zjet(parsed.values);
    config = qinn_config_from(parsed.values);
  });
  if (parsed.help) {
    print_help("[mpiexec -n N] qgen qinn train [--config FILE] [--key value | key=value ...]",
               options, ranks.lead());
    return core::exit_code::success;
  }
  const std::string config_text = to_ini_text(parsed.values);
  check_files(ranks, config, parsed.values);
  Splits splits = load_splits(ranks, config);

  std::unique_ptr<qinn::QinnModel> model;
  std::unique_ptr<qinn::Objective> objective;
  qinn::EventSet train, validation, test;
  core::collectively(ranks, [&] {
    qinn::FeatureScaling scaling = qinn::FeatureScaling::of(splits.train);
    train = qinn::make_event_set(scaling, splits.train);
    validation = qinn::make_event_set(scaling, splits.validation);
    test = qinn::make_event_set(scaling, splits.test);
    model = std::make_unique<qinn::QinnModel>(config.model, std::move(scaling));
    objective = std::make_unique<qinn::Objective>(ranks, *model, config.loss);
  });

  config.trainer.config = config_text;
  config.trainer.fingerprint = fingerprint_of(config, splits.train, splits.validation);
  qinn::TrainingState state;
  if (!config.restart.empty()) {
    core::on_lead(ranks, [&] {
      const qinn::QinnCheckpoint c = qinn::read_qinn_checkpoint(config.restart);
      const std::string differences = train::fingerprint_differences(c.fingerprint, config.trainer.fingerprint);
      if (!differences.empty())
        throw core::DataError("checkpoint '" + config.restart + "' was made for another run: " + differences);
      if (static_cast<int>(c.state.parameters.size()) != model->layout().size)
        throw core::DataError("checkpoint '" + config.restart + "' has " +
                              std::to_string(c.state.parameters.size()) + " parameters; this QINN has " +
                              std::to_string(model->layout().size));
      state = c.state;
    });
    broadcast_state(ranks, state);
  } else {
    state = qinn::Trainer::fresh(model->initial_parameters(config.trainer.seed, config.init_angle_width));
  }

  EpochPrinter printer(config.trainer.epochs, config.quiet, ranks.lead() ? config.log : "", state.step > 0);
  config.trainer.signals = &signals;
  config.trainer.progress = [&](const qinn::EpochRecord& r) { printer(r); };
  qinn::Trainer trainer(ranks, *objective, train, validation, 5, config.trainer);
  if (ranks.lead()) print_plan(config, splits, *model, trainer, ranks.size, state);
  if (config.dry_run) {
    if (ranks.lead()) std::printf("  dry run        options, data and outputs checked; not training\n");
    return core::exit_code::success;
  }
  // A signal that arrived while the data were read stops the run here, before anything is written.
  if (const int early = signals.agreed(ranks); early != 0) {
    if (ranks.lead())
      std::printf("  stopped        by signal %d before training started; nothing written\n", early);
    return core::exit_code::stopped;
  }

  const qinn::TrainerResult result = trainer.run(state);
  if (result.signal != 0) {
    if (ranks.lead())
      std::printf("  stopped        by signal %d at epoch %lld, batch %lld%s\n", result.signal,
                  static_cast<long long>(state.epoch + 1), static_cast<long long>(state.batch),
                  config.checkpoint.empty() ? " (no checkpoint: --checkpoint '')"
                                            : ("; continue with --restart " + config.checkpoint).c_str());
    return core::exit_code::stopped;
  }

  // The best epoch's model on the test split and as a generator.
  qinn::QinnResults r;
  const auto& p = state.best_parameters;
  const std::size_t count = config.samples > 0 ? config.samples : splits.test.rows();
  const std::vector<double> generated = qinn::generate_events(ranks, *model, p, count, config.trainer.seed);
  const std::vector<double> s_hat = qinn::reconstruct_events(ranks, *model, p, test.scaled);
  r.test_log_density = qinn::log_densities(ranks, *model, p, test.scaled);
  r.metrics.test_loss = qinn::split_loss(*objective, p, test, 5, config.trainer.batch_size,
                                         config.trainer.seed, qinn::Purpose::test_generated,
                                         qinn::Purpose::test_reference);
  core::on_lead(ranks, [&] {
    r.config = config_text;
    r.history = state.history;
    r.model = config.model;
    r.scaling = model->scaling();
    r.parameters = p;
    r.final_parameters = state.parameters;
    r.best_epoch = state.best_epoch;
    r.samples = qinn::zll_table(generated);
    r.test = qinn::zll_table(splits.test.values());
    r.reconstructed.resize(s_hat.size());
    for (std::size_t i = 0; i < s_hat.size(); ++i) r.reconstructed[i] = model->scaling().to_physical(i % 5, s_hat[i]);
    qinn::invertibility_metrics(splits.test.values(), r.reconstructed, test.scaled, s_hat, 5, r.metrics);
    double mean = 0;
    for (double v : r.test_log_density) mean += v / static_cast<double>(r.test_log_density.size());
    r.metrics.test_log_density_mean = mean;
    r.metrics.test_clamped = static_cast<std::int64_t>(test.clamped);
    r.attributes = splits.loaded.provenance;
    r.attributes.push_back({"ranks", static_cast<std::int64_t>(ranks.size)});
    r.attributes.push_back({"stopped", std::string("completed")});
    qinn::write_qinn_results(config.results, r);
    const auto& m = r.metrics;
    std::printf("  finished       %d epochs; best epoch %lld (validation loss %.6e)\n", config.trainer.epochs,
                static_cast<long long>(state.best_epoch), state.best_validation);
    std::printf("  test           loss %.6e (input MMD %.3e, latent MMD %.3e, M_ll MMD %.3e, "
                "invertibility %.3e); mean log p %.4f; %lld events clamped\n",
                m.test_loss.total, m.test_loss.input, m.test_loss.latent, m.test_loss.mass,
                m.test_loss.invertibility, m.test_log_density_mean, static_cast<long long>(m.test_clamped));
    std::printf("  invertibility  mean |(x^-x)/x| %.4f (median %.4f), mean |s^-s|/pi %.4f\n",
                m.invertibility_deviation, m.invertibility_deviation_median, m.invertibility_deviation_scaled);
    std::printf("  results        %s (%zu generated events)\n", config.results.c_str(), r.samples.rows());
    if (!config.checkpoint.empty()) std::printf("  checkpoint     %s\n", config.checkpoint.c_str());
  });
  return core::exit_code::success;
}

qinn::TrainedQinn read_model(const po::variables_map& v) {
  if (!v.count("model")) throw core::InputError("--model: a results file of qgen qinn train is needed");
  return qinn::read_trained_qinn(v["model"].as<std::string>());
}

int qinn_sample(const core::Ranks& ranks, const Words& words) {
  po::options_description options("qgen qinn sample options");
  options.add_options()
      ("model", po::value<std::string>(), "results file of qgen qinn train")
      ("samples", count_option(100000), "events to generate (>= 1)")
      ("seed", count_option(1), "seed of the latent draws (>= 0)")
      ("output", po::value<std::string>(), "write the events to this HDF5 file");
  ParsedOptions parsed;
  qinn::TrainedQinn trained;
  std::unique_ptr<qinn::QinnModel> model;
  core::collectively(ranks, [&] {
    parsed = parse_options("qinn sample", options, words);
    if (parsed.help) return;
    trained = read_model(parsed.values);
    model = std::make_unique<qinn::QinnModel>(trained.model, trained.scaling);
  });
  if (parsed.help) {
    print_help("[mpiexec -n N] qgen qinn sample --model RESULTS.h5 [--samples N] [--output FILE]",
               options, ranks.lead());
    return core::exit_code::success;
  }
  const std::string path = parsed.values["model"].as<std::string>();
  std::uint64_t n = 0, seed = 0;
  core::on_lead(ranks, [&] {
    print_cleaned(check_run_files({{"model", path}, {"--config", option_text(parsed.values, "config")}},
                                  {{"output", option_text(parsed.values, "output")}}));
  });
  core::collectively(ranks, [&] {
    n = count_from(parsed.values, "samples", 1, kMaxEvents);
    seed = count_from(parsed.values, "seed", 0, kMaxSeed);
  });
  const auto events = qinn::generate_events(ranks, *model, trained.parameters, n, seed);
  core::on_lead(ranks, [&] {
    LoadedData described;
    described.table = trained.scaling.columns == qinn::zll_features() ? qinn::zll_table(events) : data::Table(trained.scaling.columns);
    if (described.table.rows() == 0 && n > 0) described.table.assign(events);
    described.description = "QINN " + path + ", seed " + std::to_string(seed);
    described.selection.read = described.selection.kept = n;
    std::printf("qgen qinn sample\n%s", describe_data(described).c_str());
    if (parsed.values.count("output")) {
      const std::string output = parsed.values["output"].as<std::string>();
      data::write_hdf5_table(output, described.table,
                             {{"model", path}, {"seed", static_cast<std::int64_t>(seed)},
                              {"note", std::string("events generated by a trained QINN: latents "
                                                   "z ~ N(0,1) through its inverse")}});
      std::printf("  written        %s (%llu events)\n", output.c_str(), static_cast<unsigned long long>(n));
    }
  });
  return core::exit_code::success;
}

int qinn_density(const core::Ranks& ranks, const Words& words) {
  po::options_description options("qgen qinn density options");
  options.add_options()("model", po::value<std::string>(), "results file of qgen qinn train")
      ("output", po::value<std::string>(), "write the events and their log-densities to this HDF5 file");
  add_data_source_options(options, "");
  ParsedOptions parsed;
  qinn::TrainedQinn trained;
  std::unique_ptr<qinn::QinnModel> model;
  DataSource source;
  core::collectively(ranks, [&] {
    parsed = parse_options("qinn density", options, words);
    if (parsed.help) return;
    trained = read_model(parsed.values);
    source = data_source_from(parsed.values, "");
    model = std::make_unique<qinn::QinnModel>(trained.model, trained.scaling);
  });
  if (parsed.help) {
    print_help("[mpiexec -n N] qgen qinn density --model RESULTS.h5 (--input FILE | --generate zjet) [--output FILE]",
               options, ranks.lead());
    return core::exit_code::success;
  }
  const auto& columns = trained.scaling.columns;
  LoadedData loaded;
  data::Table events;
  core::on_lead(ranks, [&] {
    print_cleaned(check_run_files({{"model", option_text(parsed.values, "model")},
                                   {"input", source.input},
                                   {"--config", option_text(parsed.values, "config")}},
                                  {{"output", option_text(parsed.values, "output")}}));
    loaded = load_data(source);
    events = qinn_features(loaded.table, columns, loaded.description);
  });
  broadcast_table(ranks, events, columns);
  const qinn::EventSet set = qinn::make_event_set(trained.scaling, events);
  const auto log_p = qinn::log_densities(ranks, *model, trained.parameters, set.scaled);
  core::on_lead(ranks, [&] {
    const std::size_t n = events.rows();
    std::vector<std::string> out_columns = columns;
    out_columns.push_back("log_density");
    out_columns.push_back("outside_range");
    data::Table out(out_columns);
    out.reserve(n);
    double mean = 0;
    for (std::size_t i = 0; i < n; ++i) {
      std::vector<double> row(events.row(i).begin(), events.row(i).end());
      row.push_back(log_p[i]);
      row.push_back(set.outside[i]);
      out.append(row);
      mean += log_p[i] / static_cast<double>(n);
    }
    std::printf("qgen qinn density\n  model          %s\n  source         %s\n  events         %zu\n"
                "  outside range  %zu (clamped into the training range; flagged in outside_range)\n"
                "  mean log p     %.6f (per unit of %s)\n",
                parsed.values["model"].as<std::string>().c_str(), loaded.description.c_str(), n,
                set.clamped, mean, core::join(columns, ", ").c_str());
    if (parsed.values.count("output")) {
      const std::string output = parsed.values["output"].as<std::string>();
      data::write_hdf5_table(output, out,
                             {{"model", parsed.values["model"].as<std::string>()},
                              {"clamped_events", static_cast<std::int64_t>(set.clamped)},
                              {"note", std::string("log_density: log p(x) under the QINN, per unit of "
                                                   "each feature (GeV for pT, rad for delta_phi)")}});
      std::printf("  written        %s\n", output.c_str());
    }
  });
  return core::exit_code::success;
}

}  // namespace

int run_qinn_command(const core::Ranks& ranks, const Words& words) {
  const std::string sub = words.empty() ? "" : words[0];
  const Words rest(words.begin() + (words.empty() ? 0 : 1), words.end());
  if (sub == "train") return qinn_train(ranks, rest);
  if (sub == "sample") return qinn_sample(ranks, rest);
  if (sub == "density") return qinn_density(ranks, rest);
  if (sub == "--help" || sub == "-h" || sub == "help") {
    if (ranks.lead()) std::fputs(kUsage, stdout);
    return core::exit_code::success;
  }
  throw core::InputError(sub.empty() ? std::string("a sub-command is needed: train, sample or density (see qgen qinn --help)")
                                     : "unknown sub-command '" + sub + "': train, sample or density (see qgen qinn --help)");
}

}  // namespace qgen::app
