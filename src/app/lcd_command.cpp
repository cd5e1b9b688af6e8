// qgen lcd: re-tune a trained QCBM on a (noisy) backend by layer-wise coordinate descent
// (paper 000, section IV.B, Fig. 12; hw/lcd_run.hpp).
//
//   qgen lcd --model results.h5 --device inputs/devices/ibmq_guadalupe --results lcd.h5
//
// The lead reads the trained model and the checkpoint, every rank builds the circuit and the
// backend; after the first measurement and after each iteration the lead writes the checkpoint
// (the /lcd record of hw/lcd_record.hpp), so a restart (--restart CHECKPOINT, any number of
// ranks) resumes at the next iteration with the same parameters and the same numbers. The results file is a qgen
// results file (qgen sample, qgen eval and tools/qgen-plot read it) with the LCD's parameters,
// noiseless model, samples drawn from the last measured (noisy) distribution and the /lcd record.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>
#include <numbers>

#include "qgen/app/command.hpp"
#include "qgen/app/emulator_options.hpp"
#include "qgen/app/options.hpp"
#include "qgen/app/run_files.hpp"
#include "qgen/app/train_config.hpp"
#include "qgen/core/errors.hpp"
#include "qgen/core/hdf5.hpp"
#include "qgen/core/text.hpp"
#include "qgen/data/table.hpp"
#include "qgen/eval/metrics.hpp"
#include "qgen/eval/results.hpp"
#include "qgen/hw/emulator_backend.hpp"
#include "qgen/hw/exchange_backend.hpp"
#include "qgen/hw/lcd_record.hpp"
#include "qgen/hw/readout_mitigation.hpp"
#include "qgen/app/petsc_session.hpp"
#include "qgen/train/loss.hpp"
#include "qgen/train/stop_signals.hpp"

namespace qgen::app {
namespace {

constexpr const char* kUsage = "qgen lcd --model RESULTS.h5 --device DEVICE_FOLDER --results LCD.h5 [options]";

po::options_description lcd_options() {
  po::options_description o("qgen lcd options");
  o.add_options()
      ("model", po::value<std::string>(), "results file of qgen train: the circuit, its trained parameters and the target")
      ("results", po::value<std::string>(), "write the LCD's results file here (HDF5)")
      ("checkpoint", po::value<std::string>(), "checkpoint after the first measurement and every iteration (default: the --restart file, or RESULTS with .checkpoint.h5)")
      ("restart", po::value<std::string>(), "continue from this checkpoint of the same LCD run")
      ("lcd.method", enum_option(train::LcdMethod::grid),
       ("grid (the paper's sweep, each angle's best circuit), grid-fit (the same circuits, each angle's cut "
        "fitted and minimised in [-eps, eps]) or fourier (3 circuits per angle, the cut fitted): " +
        core::enum_choices<train::LcdMethod>()).c_str())
      ("lcd.update", enum_option(train::LcdUpdate::each),
       ("each: every angle takes its best shift (paper); best: only the batch's best angle moves: " +
        core::enum_choices<train::LcdUpdate>()).c_str())
      ("lcd.sweeps", count_option(1), "passes over all rotational layers")
      ("lcd.batch-limit", count_option(0), "circuits per sweep B (0: the device's max_experiments; more go as several jobs); the grid spacing is 2 eps A / B")
      ("lcd.half-width", po::value<double>()->default_value(std::numbers::pi / 4, "0.785398 (pi/4)"), "eps: the grid spans [-eps, eps] (radians)")
      ("lcd.fourier-shifts", count_option(3), "circuits per angle of the Fourier method (>= 3)")
      ("lcd.shots", count_option(20000), "shots per circuit")
      ("lcd.flat-variance", po::value<double>()->default_value(5e-7, "5e-7"), "angles whose noiseless losses vary less are not sent (paper: 5e-7)")
      ("lcd.seed", count_option(1), "seed of the shots and of the samples (>= 0)")
      ("mitigate", po::value<std::string>()->default_value("none"),
       "none, or readout: counts corrected for the device's readout assignment errors (tensored, "
       "non-negative least squares; hw/readout_mitigation.hpp) before every loss")
      ("samples", count_option(10000), "events drawn from the final measured distribution (0: none)")
      ("backend", po::value<std::string>()->default_value("emulator"),
       "emulator (the device's noise emulated on every rank) or exchange (batches written as OpenQASM to "
       "backend.dir for a site's tool or qgen serve-exchange; docs/exchange.md)")
      ("backend.dir", po::value<std::string>(), "the exchange directory (backend = exchange)")
      ("backend.timeout", po::value<double>()->default_value(86400.0), "seconds to wait for one batch's counts")
      ("quiet", flag(), "no progress line per iteration");
  add_emulator_options(o);
  return o;
}

// The settings a restart must share with the run it continues (the checkpoint stores them).
std::string identity_of(const po::variables_map& values) {
  po::variables_map kept = values;
  for (const char* key : {"results", "checkpoint", "restart", "quiet", "config", "lcd.sweeps", "backend.timeout", "samples"})
    kept.erase(key);
  return to_ini_text(kept);
}

struct LcdSetup {
  std::string model_path, results, checkpoint, restart;
  std::string train_config_text;  // the trained run's /config
  std::vector<double> trained_parameters, target;
  std::uint64_t samples = 0, seed = 1;
  bool quiet = false;
  std::string mitigate = "none";
  std::string backend = "emulator", exchange_dir;
};

struct LeadInputs {
  std::optional<eval::SampledRun> target_run;  // binning, target, data correlation
  hw::LcdRecord record;         // of the checkpoint, or the trained parameters
};

std::string default_checkpoint(const std::string& results) {
  const std::string stem = results.size() > 3 && results.ends_with(".h5") ? results.substr(0, results.size() - 3) : results;
  return stem + ".checkpoint.h5";
}

hw::LcdOptions lcd_options_from(const po::variables_map& v) {
  hw::LcdOptions o;
  o.method = enum_from<train::LcdMethod>(v, "lcd.method");
  o.update = enum_from<train::LcdUpdate>(v, "lcd.update");
  o.sweeps = static_cast<int>(count_from(v, "lcd.sweeps", 1, 1000000));
  o.batch_limit = static_cast<int>(count_from(v, "lcd.batch-limit", 0, 1L << 30));
  o.half_width = v["lcd.half-width"].as<double>();
  if (!(o.half_width > 0 && o.half_width <= std::numbers::pi))
    throw core::InputError("lcd.half-width = " + core::number_text(o.half_width) + " must be in (0, pi]");
  o.fourier_shifts = static_cast<int>(count_from(v, "lcd.fourier-shifts", 3, 1000));
  o.shots = count_from(v, "lcd.shots", 1, 1L << 40);
  o.flat_variance = v["lcd.flat-variance"].as<double>();
  if (!(o.flat_variance >= 0)) throw core::InputError("lcd.flat-variance must be >= 0");
  return o;
}

void print_iteration(const hw::LcdIteration& it, int index, int total, double seconds) {
  int flat = 0;
  for (char f : it.flat) flat += f;
  if (it.skipped)
    std::printf("  iteration %3d/%d  sweep %d layer %2d  skipped: all %zu angles flat; noiseless %.5f  (%.1f s)\n",
                index + 1, total, it.sweep, it.layer, it.flat.size(), it.loss_noiseless, seconds);
  else
    std::printf("  iteration %3d/%d  sweep %d layer %2d  %4zu circuits (%d flat angles kept)  best noisy %.5f  "
                "noiseless %.5f  (%.1f s)\n",
                index + 1, total, it.sweep, it.layer, it.js_noisy.size(), flat, it.loss_noisy, it.loss_noiseless,
                seconds);
  std::fflush(stdout);
}

void write_checkpoint(const std::string& path, const std::string& identity, const LcdSetup& setup,
                      const hw::LcdState& state, double noisy_before) {
  core::hdf5::write_file(path, [&](const core::hdf5::Location& file) {
    file.set_attribute("format", std::string("qgen-lcd-checkpoint-1"));
    file.write("config", setup.train_config_text);
    file.write("lcd_identity", identity);
    file.write("noisy_before", noisy_before);
    hw::write_lcd_record(file.create_group("lcd"), setup.trained_parameters, state);
  });
}

hw::LcdRecord read_checkpoint(const std::string& path, const std::string& identity, const LcdSetup& setup,
                              double& noisy_before) {
  const auto file = core::hdf5::open_file(path);
  if (!file.has("lcd") || !file.has("lcd_identity"))
    throw core::DataError("'" + path + "' is not a qgen lcd checkpoint");
  if (file.read_string("config") != setup.train_config_text)
    throw core::InputError("--restart '" + path + "' belongs to another trained model than --model '" +
                           setup.model_path + "'");
  if (file.read_string("lcd_identity") != identity)
    throw core::InputError("--restart '" + path + "' was written with other lcd, device or emulator options; "
                           "restart with the same ones (only lcd.sweeps, backend.timeout, samples and the files may change)");
  noisy_before = file.read_doubles("noisy_before").at(0);
  hw::LcdRecord record = hw::read_lcd_record(file.group("lcd"));
  if (record.initial_parameters != setup.trained_parameters)
    throw core::InputError("--restart '" + path + "' started from other parameters than --model '" + setup.model_path + "'");
  return record;
}

}  // namespace

int run_lcd_command(const core::Ranks& ranks, const Words& all_words) {
  const train::StopSignals signals;
  const po::options_description options = lcd_options();
  Words words, petsc_words;
  split_petsc_options(all_words, words, petsc_words);
  ParsedOptions parsed;
  LcdSetup setup;
  hw::LcdOptions lcd;
  DeviceEmulation emulation;
  core::collectively(ranks, [&] {
    parsed = parse_options("lcd", options, words);
    if (parsed.help) return;
    const auto& v = parsed.values;
    for (const char* key : {"model", "device", "results"})
      if (!v.count(key)) throw core::InputError(std::string("--") + key + " is required (qgen lcd --help)");
    lcd = lcd_options_from(v);
    emulation = emulator_options_from(v);
    setup.model_path = option_text(v, "model");
    setup.results = option_text(v, "results");
    setup.restart = option_text(v, "restart");
    // A restart goes on writing the checkpoint it started from unless told otherwise (it is read
    // whole before the first write, and every write replaces it atomically).
    setup.checkpoint = v.count("checkpoint") ? option_text(v, "checkpoint")
                       : !setup.restart.empty() ? setup.restart : default_checkpoint(setup.results);
    setup.samples = count_from(v, "samples", 0, kMaxEvents);
    setup.seed = count_from(v, "lcd.seed", 0, kMaxSeed);
    setup.quiet = v["quiet"].as<bool>();
    setup.backend = option_text(v, "backend");
    setup.exchange_dir = option_text(v, "backend.dir");
    if (setup.backend != "emulator" && setup.backend != "exchange")
      throw core::InputError("backend = '" + setup.backend + "': choose emulator or exchange");
    if (setup.backend == "exchange" && setup.exchange_dir.empty())
      throw core::InputError("backend = exchange needs backend.dir, the exchange directory");
    if (!(v["backend.timeout"].as<double>() > 0)) throw core::InputError("backend.timeout must be > 0 seconds");
    setup.mitigate = option_text(v, "mitigate");
    if (setup.mitigate != "none" && setup.mitigate != "readout")
      throw core::InputError("mitigate = '" + setup.mitigate + "': choose none or readout");
  });
  // TAO solves the readout mitigation (on PETSC_COMM_SELF, each rank its own circuits).
  const PetscSession petsc(petsc_words, "");
  if (parsed.help) {
    print_help(kUsage, options, ranks.lead());
    if (ranks.lead())
      std::printf("\nExit codes: 0 done, 2 bad input, 3 stopped by SIGTERM/SIGUSR1/SIGINT after the checkpoint "
                  "(continue with --restart CHECKPOINT).\n");
    return 0;
  }
  const std::string identity = identity_of(parsed.values);

  // The lead reads the model (and the checkpoint); every rank gets what it computes with.
  LeadInputs lead;
  double noisy_before = std::nan("");
  std::size_t done = 0;
  core::on_lead(ranks, [&] {
    const bool continues_checkpoint = !setup.restart.empty() && std::filesystem::exists(setup.restart) &&
                                      std::filesystem::exists(setup.checkpoint) &&
                                      std::filesystem::equivalent(setup.restart, setup.checkpoint);
    print_cleaned(check_run_files({{"model", setup.model_path}, {"restart", continues_checkpoint ? "" : setup.restart},
                                   {"--config", option_text(parsed.values, "config")}},
                                  {{"results", setup.results}, {"checkpoint", setup.checkpoint}}));
    const eval::TrainedModel model = eval::read_trained_model(setup.model_path);
    setup.train_config_text = model.config;
    setup.trained_parameters = model.parameters;
    lead.target_run = eval::read_target_run(setup.model_path);
    if (!setup.restart.empty()) lead.record = read_checkpoint(setup.restart, identity, setup, noisy_before);
    else lead.record = {model.parameters, {model.parameters, {}}};
    done = lead.record.state.iterations.size();
  });
  core::broadcast(ranks, setup.train_config_text);
  std::vector<double> target = ranks.lead() ? lead.target_run->target : std::vector<double>{};
  core::broadcast(ranks, target);
  core::broadcast(ranks, lead.record.state.parameters);
  core::broadcast(ranks, done);
  int qubits_per_feature = ranks.lead() ? lead.target_run->binning.qubits_per_feature() : 0;
  core::broadcast(ranks, qubits_per_feature);
  core::broadcast(ranks, noisy_before);
  setup.target = std::move(target);
  hw::LcdState& state = lead.record.state;
  if (!ranks.lead()) state.iterations.resize(done);  // the others need only the count

  std::unique_ptr<hw::LcdRun> run;
  std::unique_ptr<hw::Backend> backend;
  std::shared_ptr<const hw::NoisyEmulator> emulator;
  TrainConfig config;
  sim::Circuit circuit(1);
  core::collectively(ranks, [&] {
    config = train_config_of(setup.train_config_text, qubits_per_feature, setup.model_path);
    circuit = trained_circuit(config, state.parameters.size(), setup.model_path);
    const hw::DeviceModel device = hw::DeviceModel::read_folder(emulation.device);
    emulator = std::make_shared<const hw::NoisyEmulator>(device, circuit, emulation.emulator);
    if (setup.backend == "emulator") {
      backend = std::make_unique<hw::EmulatorBackend>(emulator, setup.seed);
    } else if (ranks.lead()) {
      const hw::ExchangeOptions exchange{setup.exchange_dir, device.name(), circuit.num_qubits(),
                                         device.max_experiments(), static_cast<std::uint64_t>(device.max_shots())};
      backend = std::make_unique<hw::ExchangeBackend>(
          exchange, [emulator](std::span<const double> p) { return emulator->qasm(p); });
    } else {
      backend = std::make_unique<hw::LeadOnlyBackend>("exchange(" + setup.exchange_dir + ")", circuit.num_qubits(),
                                                      device.max_experiments(), device.max_shots());
    }
    hw::QueueOptions queue;
    queue.timeout = parsed.values["backend.timeout"].as<double>();
    queue.stop_requested = [&signals] { return signals.received() != 0; };
    queue.log = [](const std::string& line) { std::printf("  backend        %s\n", line.c_str()); };
    std::function<std::vector<double>(const hw::Counts&)> distribution_of;
    if (setup.mitigate == "readout") {
      const auto calibration = std::make_shared<const hw::ReadoutCalibration>(
          hw::from_device(emulator->device(), emulator->layout()));
      distribution_of = [calibration](const hw::Counts& counts) { return hw::mitigate(*calibration, counts); };
    }
    run = std::make_unique<hw::LcdRun>(circuit, config.circuit.fusion, setup.target, *backend, lcd, queue,
                                       distribution_of);
  });
  const int total = run->total_iterations();
  if (ranks.lead()) {
    const auto& layout = emulator->layout();
    std::printf("qgen lcd\n  model          %s: ansatz %d, %d qubits, depth %d, %d parameters, %zu rotational layers\n",
                setup.model_path.c_str(), config.circuit.spec.ansatz, circuit.num_qubits(), config.circuit.spec.depth,
                circuit.num_parameters(), run->layers().size());
    std::printf("  backend        %s, %d circuits per batch, %llu shots; layout on device qubits %s, %d SWAPs\n",
                backend->describe().c_str(), backend->max_experiments(),
                static_cast<unsigned long long>(lcd.shots), core::join([&] {
                  std::vector<std::string> q;
                  for (int p : layout.physical) q.push_back(std::to_string(p));
                  return q;
                }()).c_str(), layout.swaps);
    std::printf("  method         %s, update %s, %d sweep(s) = %d iterations, %d circuits per angle (layer 0)%s\n",
                core::name_of(lcd.method).c_str(), core::name_of(lcd.update).c_str(), lcd.sweeps, total, run->shifts_per_angle(0),
                done ? (", restarted after iteration " + std::to_string(done)).c_str() : "");
    if (setup.mitigate == "readout")
      std::printf("  mitigation     readout: tensored assignment matrices of the measured device qubits, NNLS (TAO)\n");
    std::fflush(stdout);
  }

  // Whether a signal stopped the run (collective: every rank asks, whatever the backend did). A
  // stop always leaves a checkpoint to continue from, except during the first measurement.
  const auto stopped = [&](const char* when) {
    const int signal = signals.agreed(ranks);
    if (signal != 0 && ranks.lead()) {
      if (std::filesystem::exists(setup.checkpoint))
        std::printf("  stopped        by signal %d %s; continue with --restart %s\n", signal, when,
                    setup.checkpoint.c_str());
      else
        std::printf("  stopped        by signal %d %s, before any checkpoint; run the same command again "
                    "(a batch already submitted is read back, not run twice)\n", signal, when);
      std::fflush(stdout);
    }
    return signal != 0;
  };
  const auto save_checkpoint = [&] {
    core::on_lead(ranks, [&] { write_checkpoint(setup.checkpoint, identity, setup, state, noisy_before); });
  };
  if (done == 0 && std::isnan(noisy_before)) {
    const auto loss = run->measured_loss(ranks, state.parameters, 0, "before");
    if (stopped("while measuring the trained model") || !loss) return core::exit_code::stopped;
    noisy_before = *loss;
    save_checkpoint();  // the measurement may have cost a hardware queue: never repeat it
    if (ranks.lead())
      std::printf("  before LCD     noiseless JS %.6f, measured JS %.6f\n", run->noiseless_loss(state.parameters), noisy_before);
  }
  for (int index = static_cast<int>(state.iterations.size()); index < total; ++index) {
    const auto start = std::chrono::steady_clock::now();
    const bool finished = run->iterate(ranks, state);
    if (finished) {
      save_checkpoint();
      if (ranks.lead() && !setup.quiet)
        print_iteration(state.iterations.back(), index, total,
                        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    }
    const std::string when = finished ? "after iteration " + std::to_string(index + 1)
                                      : "during iteration " + std::to_string(index + 1);
    if (stopped(when.c_str()) || !finished) return core::exit_code::stopped;
  }

  // The tuned parameters measured once more, and everything written.
  std::vector<double> measured;
  const auto after = run->measured_loss(ranks, state.parameters, static_cast<std::uint32_t>(total + 1), "after", &measured);
  if (!after) {  // a signal stopped the queue; one that came after the measurement is ignored
    stopped("while measuring the tuned model");
    return core::exit_code::stopped;
  }
  core::on_lead(ranks, [&] {
    eval::Results r;
    r.config = setup.train_config_text;
    r.parameters = state.parameters;
    r.target = setup.target;
    r.model = sim::Simulator(circuit, config.circuit.fusion).probabilities(state.parameters);
    if (setup.samples > 0) {
      eval::Samples s = eval::sample_events(measured, lead.target_run->binning, setup.samples, setup.seed);
      r.samples = std::move(s.events);
      r.sample_distribution = std::move(s.distribution);
    }
    r.data_correlation = lead.target_run->data_correlation;
    r.attributes = {{"qgen_command", std::string("lcd")}, {"model", setup.model_path},
                    {"device", emulator->device().name()}, {"backend", backend->describe()},
                    {"ranks", static_cast<std::int64_t>(ranks.size)}};
    const double noiseless_before = run->noiseless_loss(setup.trained_parameters);
    eval::write_results(setup.results, r, lead.target_run->binning, [&](const core::hdf5::Location& file) {
      const auto group = file.create_group("lcd");
      hw::write_lcd_record(group, setup.trained_parameters, state);
      group.set_attribute("method", core::name_of(lcd.method));
      group.set_attribute("device", emulator->device().name());
      group.set_attribute("shots", static_cast<std::int64_t>(lcd.shots));
      group.set_attribute("mitigate", setup.mitigate);
      group.write("config", identity);
      const auto m = group.create_group("metrics");
      m.write("js_noiseless_before", noiseless_before);
      m.write("js_noiseless_after", run->noiseless_loss(state.parameters));
      m.write("js_measured_before", noisy_before);
      m.write("js_measured_after", *after);
      m.write("measured_after", std::span<const double>(measured), {measured.size()});
    });
    std::int64_t circuits = 0;
    for (const auto& it : state.iterations) circuits += static_cast<std::int64_t>(it.js_noisy.size());
    std::printf("  finished       %d iterations, %lld circuits sent\n", total, static_cast<long long>(circuits));
    std::printf("  JS             noiseless %.6f -> %.6f; measured on the backend %.6f -> %.6f\n", noiseless_before,
                run->noiseless_loss(state.parameters), noisy_before, *after);
    std::printf("  results        %s\n  checkpoint     %s\n", setup.results.c_str(), setup.checkpoint.c_str());
  });
  return core::exit_code::success;
}

}  // namespace qgen::app
