// qgen eval: score samples against data (docs/eval.md).
//
//   qgen eval --results results.h5 [--samples other.h5] [--data events.h5] [--output eval.h5]
//   qgen eval --samples generated.csv --data events.h5 [--encoding.qubits-per-feature 4 ...]
//
// With a results file of qgen train the target, the binning and the model come from it, and the
// samples too unless --samples names another generator's. Without one, the binning is made from
// the data events as qgen train would make it (the [encoding] options) and the target is the
// data encoded with it. The work is small (one pass over samples and events) and runs on the
// lead rank; the other ranks wait for its verdict so that every rank exits with the same code.
//
// --repetitions R --shots S (the training-size study, paper 000 Fig. 7): R samples of S shots
// from the run's exact model, the JS of each against the data events binned with the run's
// binning (--data: the full data set) or else the run's target; mean and standard deviation.
// The ranks split the repetitions (eval/resampled_js.hpp); the figures do not depend on their
// number.
#include <cstdint>
#include <cstdio>

#include "qgen/app/command.hpp"
#include "qgen/app/encoding_options.hpp"
#include "qgen/app/options.hpp"
#include "qgen/app/run_files.hpp"
#include "qgen/core/errors.hpp"
#include "qgen/data/event_input.hpp"
#include "qgen/eval/evaluation.hpp"
#include "qgen/eval/results.hpp"

namespace qgen::app {
namespace {

po::options_description eval_options() {
  po::options_description options("qgen eval options");
  options.add_options()
      ("results", po::value<std::string>(), "results file of qgen train: target, binning, model, samples")
      ("samples", po::value<std::string>(),
       "samples to score instead of the results file's (HDF5 table or CSV, columns named as the "
       "features): another generator's")
      ("data", po::value<std::string>(),
       "events to score against (HDF5 table or CSV): the reference of the KS tests and the start "
       "of the correlation chain; without --results also the target")
      ("encoding.qubits-per-feature", po::value<int>()->default_value(4),
       "bins per feature = 2^this, without --results");
  add_encoding_options(options);
  options.add_options()
      ("repetitions", po::value<std::size_t>()->default_value(0),
       "draw this many finite samples from the exact model (results files) and report the mean "
       "and standard deviation of their JS (paper 000, Fig. 7); the ranks split them")
      ("shots", po::value<std::uint64_t>()->default_value(8192), "shots per repetition")
      ("seed", po::value<std::uint64_t>()->default_value(1), "seed of the repetitions' random streams")
      ("quiet", "print only the resampled JS (qgen study's evaluations); the file holds everything")
      ("output", po::value<std::string>(), "write the numbers to this HDF5 file");
  return options;
}

data::Table read_table(const std::string& path, const std::vector<std::string>& columns) {
  data::InputOptions options;
  options.columns = columns;
  data::InputReport report;
  return data::load_events(path, options, report);
}

// Samples and target without a results file: the binning made from the data events.
eval::SampledRun run_from_data(const po::variables_map& values, const data::Table& events,
                               data::Table samples) {
  data::BinningOptions options = binning_options_from(values);
  options.qubits_per_feature = values["encoding.qubits-per-feature"].as<int>();
  data::Binning binning = data::make_binning(events, options);
  std::vector<double> target = data::encode(events, binning).probabilities;
  return {std::move(binning), std::move(target), {}, std::move(samples), {}};
}

// The lead's part: read, score, and the distributions the repetitions need.
struct PreparedEvaluation {
  eval::Evaluation evaluation;
  std::vector<double> model, reference;
};

PreparedEvaluation prepare_evaluation(const po::variables_map& values) {
  const std::string results = option_text(values, "results"), samples_path = option_text(values, "samples");
  const std::string data_path = option_text(values, "data"), output = option_text(values, "output");
  print_cleaned(check_run_files({{"results", results},
                                 {"samples", samples_path},
                                 {"data", data_path},
                                 {"--config", option_text(values, "config")}},
                                {{"output", output}}));
  data::Table events;
  const eval::SampledRun run = [&] {
    if (results.empty()) {
      data::Table samples = read_table(samples_path, encoding_features(values));
      events = read_table(data_path, samples.columns());
      return run_from_data(values, events, std::move(samples));
    }
    for (const char* key : {"encoding.features", "encoding.ranges", "encoding.binning", "encoding.qubits-per-feature",
                            "encoding.range-quantile", "encoding.decoding", "encoding.decoding-quantiles"})
      if (!values[key].defaulted())
        throw core::InputError(std::string("--") + key + ": the binning of '" + results +
                               "' is used; drop the encoding options");
    eval::SampledRun from_results = samples_path.empty() ? eval::read_sampled_run(results) : eval::read_target_run(results);
    if (!samples_path.empty()) from_results.samples = read_table(samples_path, from_results.binning.features());
    if (!data_path.empty()) events = read_table(data_path, from_results.binning.features());
    return from_results;
  }();
  PreparedEvaluation prepared{eval::evaluate(run, events), {}, {}};
  if (values["repetitions"].as<std::size_t>() > 0) {
    if (run.model.empty())
      throw core::InputError("--repetitions samples the exact model of a results file of qgen train; '" +
                             samples_path + "' are samples of another generator (give --results)");
    prepared.model = run.model;
    if (events.rows() > 0) {
      const data::Encoding encoded = data::encode(events, run.binning);
      prepared.reference = encoded.probabilities;
      prepared.evaluation.resampled_reference =
          "the " + std::to_string(encoded.events_used) + " events of '" + data_path + "' binned as the run (" +
          std::to_string(encoded.events_outside) + " outside its bins left out)";
    } else {
      prepared.reference = run.target;
      prepared.evaluation.resampled_reference = "the run's target";
    }
  }
  return prepared;
}

void report(const po::variables_map& values, const eval::Evaluation& evaluation) {
  const std::string results = option_text(values, "results"), samples_path = option_text(values, "samples");
  const std::string data_path = option_text(values, "data"), output = option_text(values, "output");
  const std::string text =
      values.count("quiet") ? eval::format_resampled(evaluation) : eval::format_evaluation(evaluation);
  std::printf("qgen eval %s\n%s", (results.empty() ? samples_path : results).c_str(), text.c_str());
  if (!output.empty()) {
    std::vector<core::hdf5::Attribute> provenance = {{"qgen", std::string("eval")}};
    for (const auto& [key, path] : {std::pair{"results", results}, {"samples", samples_path}, {"data", data_path}})
      if (!path.empty()) provenance.push_back({key, path});
    eval::write_evaluation(output, evaluation, provenance);
    std::printf("  written        %s\n", output.c_str());
  }
}

}  // namespace

int run_eval_command(const core::Ranks& ranks, const Words& words) {
  const po::options_description options = eval_options();
  ParsedOptions parsed;
  core::collectively(ranks, [&] {
    parsed = parse_options("eval", options, words);
    if (parsed.help) return;
    if (!parsed.values.count("results") && !(parsed.values.count("samples") && parsed.values.count("data")))
      throw core::InputError("qgen eval needs --results (a results file of qgen train), or --samples "
                             "with --data (samples of another generator against the data events)");
    if (parsed.values["repetitions"].as<std::size_t>() > 0 && parsed.values["shots"].as<std::uint64_t>() == 0)
      throw core::InputError("--shots 0: each repetition needs at least one shot");
  });
  if (parsed.help) {
    print_help("qgen eval --results RESULTS.h5 [--samples SAMPLES] [--data EVENTS] [--output EVAL.h5]\n"
               "       qgen eval --samples SAMPLES --data EVENTS [--encoding.*] [--output EVAL.h5]",
               options, ranks.lead());
    return 0;
  }
  PreparedEvaluation prepared;
  core::on_lead(ranks, [&] { prepared = prepare_evaluation(parsed.values); });
  if (const std::size_t repetitions = parsed.values["repetitions"].as<std::size_t>(); repetitions > 0) {
    core::broadcast(ranks, prepared.model);
    core::broadcast(ranks, prepared.reference);
    prepared.evaluation.resampled =
        eval::resampled_js(ranks, prepared.model, prepared.reference, parsed.values["shots"].as<std::uint64_t>(),
                           repetitions, parsed.values["seed"].as<std::uint64_t>());
  }
  core::on_lead(ranks, [&] { report(parsed.values, prepared.evaluation); });
  return 0;
}

}  // namespace qgen::app
