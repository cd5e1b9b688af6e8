// qgen data: read or generate events, compute observables, summarise them, and optionally
// write them (or a reproducible split or subset of them) as an HDF5 table.
//
//   qgen data --input events.lhe.gz --observables zll --output zll.h5
//   qgen data --generate dijet --events 1000000 --output dijet.h5
//   qgen data --input dijet.h5 --split train --output train.h5
#include <cstdio>

#include "qgen/app/command.hpp"
#include "qgen/app/data_source.hpp"
#include "qgen/app/options.hpp"
#include "qgen/data/data_error.hpp"
#include "qgen/data/hdf5_table.hpp"
#include "qgen/data/split.hpp"

namespace qgen::app {
namespace {

po::options_description data_options() {
  po::options_description o("qgen data options");
  add_data_source_options(o, "");
  o.add_options()
      ("output", po::value<std::string>(), "write the events to this HDF5 file")
      ("split", po::value<std::string>()->default_value("all"),
       "keep one part of a train/validation/test split: train, validation, test or all")
      ("split-fractions", po::value<std::string>()->default_value("0.375,0.125"),
       "train and validation fractions (test: the rest; paper 004's 37.5/12.5/50 %)")
      ("fraction", po::value<double>()->default_value(1.0),
       "keep a random subset of this fraction of the events (after the split)")
      ("split-seed", po::value<std::uint64_t>()->default_value(1), "seed of split and subset");
  return o;
}

// The rows of the chosen part of the split, then of the subset.
std::vector<std::size_t> chosen_rows(std::size_t n, const po::variables_map& v) {
  const std::string part = v["split"].as<std::string>();
  const std::uint64_t seed = v["split-seed"].as<std::uint64_t>();
  std::vector<std::size_t> rows(n);
  for (std::size_t k = 0; k < n; ++k) rows[k] = k;
  if (part != "all") {
    const auto fractions = data::split_list(v["split-fractions"].as<std::string>());
    if (fractions.size() != 2) throw InputError("split-fractions needs two numbers: train,validation");
    double f[2];
    for (int k = 0; k < 2; ++k) {
      try {
        f[k] = std::stod(fractions[k]);
      } catch (const std::exception&) {
        throw InputError("split-fractions: '" + fractions[k] + "' is not a number");
      }
    }
    const data::Split split = data::split_events(n, seed, f[0], f[1]);
    if (part == "train") rows = split.train;
    else if (part == "validation") rows = split.validation;
    else if (part == "test") rows = split.test;
    else throw InputError("split = '" + part + "' is not one of train, validation, test, all");
  }
  const double fraction = v["fraction"].as<double>();
  if (fraction != 1.0) {
    const auto subset = data::random_subset(rows.size(), fraction, seed + 1);
    std::vector<std::size_t> kept;
    for (std::size_t k : subset) kept.push_back(rows[k]);
    rows = kept;
  }
  return rows;
}

}  // namespace

int run_data_command(const Context& context, const Words& words) {
  const po::options_description options = data_options();
  const ParsedOptions parsed = parse_options("data", options, words);
  if (parsed.help) {
    print_help("qgen data (--input FILE | --generate dijet|zjet) [options]", options,
               context.lead());
    return 0;
  }
  const DataSource source = data_source_from(parsed.values, "");
  const double fraction = parsed.values["fraction"].as<double>();
  if (!(fraction > 0 && fraction <= 1)) throw InputError("fraction must be in (0, 1]");
  if (!context.lead()) return 0;  // a serial command

  LoadedData loaded = load_data(source);
  const auto rows = chosen_rows(loaded.table.rows(), parsed.values);
  if (rows.size() != loaded.table.rows()) {
    loaded.table = loaded.table.take(rows);
    if (loaded.table.rows() == 0) throw InputError("the chosen split or fraction holds no events");
    loaded.provenance.push_back({"split", parsed.values["split"].as<std::string>()});
    loaded.provenance.push_back({"fraction", fraction});
    loaded.provenance.push_back(
        {"split_seed", static_cast<std::int64_t>(parsed.values["split-seed"].as<std::uint64_t>())});
  }
  std::printf("qgen data\n%s", describe_data(loaded).c_str());
  if (parsed.values.count("output")) {
    const std::string output = parsed.values["output"].as<std::string>();
    loaded.provenance.push_back({"qgen_command", "qgen data " + [&] {
                                   std::string s;
                                   for (const auto& w : words) s += (s.empty() ? "" : " ") + w;
                                   return s;
                                 }()});
    try {
      data::write_hdf5_table(output, loaded.table, loaded.provenance);
    } catch (const std::runtime_error& e) {
      throw InputError(e.what());
    }
    std::printf("  written        %s (%zu events, %zu columns)\n", output.c_str(),
                loaded.table.rows(), loaded.table.num_columns());
  }
  return 0;
}

}  // namespace qgen::app
