// qgen sample: draw decoded events from a trained model (a results file of qgen train).
//
//   qgen sample --model results.h5 --samples 100000 --output generated.h5
#include <cstdio>
#include <sstream>

#include "qgen/app/command.hpp"
#include "qgen/app/data_source.hpp"
#include "qgen/app/options.hpp"
#include "qgen/app/run_files.hpp"
#include "qgen/app/train_config.hpp"
#include "qgen/core/errors.hpp"
#include "qgen/data/hdf5_table.hpp"
#include "qgen/eval/metrics.hpp"
#include "qgen/eval/results.hpp"
#include "qgen/sim/simulator.hpp"

namespace qgen::app {
namespace {

po::options_description sample_options() {
  po::options_description options("qgen sample options");
  options.add_options()
      ("model", po::value<std::string>(), "results file of qgen train")
      ("samples", count_option(100000), "events to draw (>= 1)")
      ("seed", count_option(1), "seed of the draws (>= 0)")
      ("output", po::value<std::string>(), "write the events to this HDF5 file");
  return options;
}

void draw_samples(const po::variables_map& values) {
  const std::string path = values["model"].as<std::string>();
  print_cleaned(check_run_files({{"model", path}, {"--config", option_text(values, "config")}},
                                {{"output", option_text(values, "output")}}));
  const std::uint64_t n = count_from(values, "samples", 1, kMaxEvents);
  const eval::TrainedModel model = eval::read_trained_model(path);
  const TrainConfig config = train_config_of(model, path);
  const sim::Circuit circuit = trained_circuit(config, model.parameters.size(), path);
  const auto probabilities = sim::Simulator(circuit, config.circuit.fusion).probabilities(model.parameters);
  const std::uint64_t seed = count_from(values, "seed", 0, kMaxSeed);
  eval::Samples samples = eval::sample_events(probabilities, model.binning, n, seed);

  LoadedData described;
  described.table = samples.events;
  described.description = "model " + path + ", seed " + std::to_string(seed);
  described.selection.read = described.selection.kept = n;
  // describe_data speaks of events read and kept; here nothing was read: say what happened.
  std::string summary = describe_data(described);
  const auto table_start = summary.find("  column");
  if (table_start != std::string::npos) summary.erase(0, table_start);
  std::printf("qgen sample\n  model          %s (%d parameters, %zu basis states)\n"
              "  drawn          %llu events, seed %llu, decoded uniformly inside their bins\n%s",
              path.c_str(), circuit.num_parameters(), probabilities.size(),
              static_cast<unsigned long long>(n), static_cast<unsigned long long>(seed), summary.c_str());
  if (values.count("output")) {
    const std::string output = values["output"].as<std::string>();
    data::write_hdf5_table(output, samples.events,
                           {{"model", path}, {"seed", static_cast<std::int64_t>(seed)},
                            {"note", std::string("events drawn from a trained QCBM and decoded "
                                                 "uniformly inside their bins")}});
    std::printf("  written        %s (%llu events)\n", output.c_str(), static_cast<unsigned long long>(n));
  }
}

}  // namespace

int run_sample_command(const core::Ranks& ranks, const Words& words) {
  const po::options_description options = sample_options();
  ParsedOptions parsed;
  core::collectively(ranks, [&] {
    parsed = parse_options("sample", options, words);
    if (parsed.help) return;
    if (!parsed.values.count("model"))
      throw core::InputError("--model: the results file of a training run");
    count_from(parsed.values, "samples", 1, kMaxEvents);
    count_from(parsed.values, "seed", 0, kMaxSeed);
  });
  if (parsed.help) {
    print_help("qgen sample --model RESULTS.h5 [--samples N] [--output FILE]", options, ranks.lead());
    return 0;
  }
  core::on_lead(ranks, [&] { draw_samples(parsed.values); });
  return 0;
}

}  // namespace qgen::app
