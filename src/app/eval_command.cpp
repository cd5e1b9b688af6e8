// qgen eval: score a trained model's samples against its data (docs/eval.md).
//
//   qgen eval --results results.h5 [--data events.h5] [--output eval.h5]
//
// The work is small (one pass over the samples and the reference events) and runs on the lead
// rank; the other ranks wait for its verdict so that every rank exits with the same code.
#include <cstdio>

#include "qgen/app/command.hpp"
#include "qgen/app/options.hpp"
#include "qgen/app/run_files.hpp"
#include "qgen/core/errors.hpp"
#include "qgen/data/hdf5_table.hpp"
#include "qgen/eval/evaluation.hpp"
#include "qgen/eval/results.hpp"

namespace qgen::app {
namespace {

po::options_description eval_options() {
  po::options_description options("qgen eval options");
  options.add_options()
      ("results", po::value<std::string>(), "results file of qgen train (with /samples)")
      ("data", po::value<std::string>(),
       "HDF5 event table (as qgen data writes) to test the samples against, instead of the "
       "target distribution")
      ("output", po::value<std::string>(), "write the numbers to this HDF5 file");
  return options;
}

void evaluate_run(const po::variables_map& values) {
  const std::string path = values["results"].as<std::string>();
  const std::string data_path = option_text(values, "data"), output = option_text(values, "output");
  print_cleaned(check_run_files(
      {{"results", path}, {"data", data_path}, {"--config", option_text(values, "config")}},
      {{"output", output}}));
  const eval::SampledRun run = eval::read_sampled_run(path);
  const data::Table reference =
      data_path.empty() ? data::Table{} : data::read_hdf5_table(data_path, run.binning.features());
  const eval::Evaluation evaluation = eval::evaluate(run, reference);

  std::printf("qgen eval %s\n%s", path.c_str(), eval::format_evaluation(evaluation).c_str());
  if (!output.empty()) {
    std::vector<core::hdf5::Attribute> provenance = {{"qgen", std::string("eval")}, {"results", path}};
    if (!data_path.empty()) provenance.push_back({"data", data_path});
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
    if (!parsed.values.count("results"))
      throw core::InputError("--results: the results file of a training run");
  });
  if (parsed.help) {
    print_help("qgen eval --results RESULTS.h5 [--data EVENTS.h5] [--output EVAL.h5]", options, ranks.lead());
    return 0;
  }
  core::on_lead(ranks, [&] { evaluate_run(parsed.values); });
  return 0;
}

}  // namespace qgen::app
