// qgen sample: draw decoded events from a trained model (a results file of qgen train).
//
//   qgen sample --model results.h5 --samples 100000 --output generated.h5
#include <cstdio>
#include <sstream>

#include "qgen/app/command.hpp"
#include "qgen/app/data_source.hpp"
#include "qgen/app/options.hpp"
#include "qgen/app/train_config.hpp"
#include "qgen/data/data_error.hpp"
#include "qgen/data/hdf5.hpp"
#include "qgen/data/hdf5_table.hpp"
#include "qgen/eval/metrics.hpp"
#include "qgen/sim/simulator.hpp"

namespace qgen::app {

int run_sample_command(const Context& context, const Words& words) {
  po::options_description options("qgen sample options");
  options.add_options()
      ("model", po::value<std::string>(), "results file of qgen train")
      ("samples", po::value<std::uint64_t>()->default_value(100000), "events to draw")
      ("seed", po::value<std::uint64_t>()->default_value(1), "seed of the draws")
      ("output", po::value<std::string>(), "write the events to this HDF5 file");
  const ParsedOptions parsed = parse_options("sample", options, words);
  if (parsed.help) {
    print_help("qgen sample --model RESULTS.h5 [--samples N] [--output FILE]", options, context.lead());
    return 0;
  }
  if (!parsed.values.count("model")) throw InputError("--model: the results file of a training run");
  if (!context.lead()) return 0;  // a serial command
  const std::string path = parsed.values["model"].as<std::string>();
  const std::uint64_t n = parsed.values["samples"].as<std::uint64_t>();
  if (n == 0) throw InputError("samples must be > 0");

  const auto file = data::hdf5::open_file(path);
  if (!file.has("params") || !file.has("target") || !file.has("config"))
    throw InputError("'" + path + "' is not a qgen results file (no /params, /target, /config)");
  // The run's options, to rebuild its circuit.
  std::istringstream text(file.read_string("config"));
  po::variables_map values;
  const po::options_description train = train_options();
  po::store(po::parse_config_file(text, train, false), values);
  po::notify(values);
  TrainConfig config = train_config_from(values);
  const auto target = file.group("target");
  const int q = static_cast<int>(target.int64_attribute("qubits_per_feature"));
  const auto edge_values = target.read_doubles("bin_edges");
  const auto features = target.object("bin_edges").strings_attribute("features");
  const std::size_t per_feature = (std::size_t{1} << q) + 1;
  std::vector<std::vector<double>> edges;
  for (std::size_t f = 0; f < features.size(); ++f)
    edges.emplace_back(edge_values.begin() + f * per_feature, edge_values.begin() + (f + 1) * per_feature);
  const data::Binning binning(features, q, edges);
  config.circuit.block_size = q;
  const sim::Circuit circuit = circuits::build_qcbm_circuit(config.circuit);
  const std::vector<double> theta = file.read_doubles("params");
  if (static_cast<int>(theta.size()) != circuit.num_parameters())
    throw InputError("'" + path + "' has " + std::to_string(theta.size()) +
                     " parameters; its circuit needs " + std::to_string(circuit.num_parameters()));
  const auto probabilities = sim::Simulator(circuit, config.engine.fusion).probabilities(theta);
  const std::uint64_t seed = parsed.values["seed"].as<std::uint64_t>();
  eval::Samples samples = eval::sample_events(probabilities, binning, n, seed);

  LoadedData described;
  described.table = samples.events;
  described.description = "model " + path + ", seed " + std::to_string(seed);
  described.selection.read = described.selection.kept = n;
  std::printf("qgen sample\n%s", describe_data(described).c_str());
  if (parsed.values.count("output")) {
    const std::string output = parsed.values["output"].as<std::string>();
    try {
      data::write_hdf5_table(output, samples.events,
                             {{"model", path}, {"seed", static_cast<std::int64_t>(seed)},
                              {"note", std::string("events drawn from a trained QCBM and decoded "
                                                   "uniformly inside their bins")}});
    } catch (const std::runtime_error& e) {
      throw InputError(e.what());
    }
    std::printf("  written        %s (%llu events)\n", output.c_str(), static_cast<unsigned long long>(n));
  }
  return 0;
}

}  // namespace qgen::app
