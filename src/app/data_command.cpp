// qgen data: read or generate events, compute observables, summarise them, and optionally
// write them (or a reproducible split or subset of them) as an HDF5 table.
//
//   qgen data --input events.lhe.gz --observables zll --output zll.h5
//   qgen data --generate dijet --events 1000000 --output dijet.h5
//   qgen data --input dijet.h5 --split train --output train.h5
#include <array>
#include <cstdio>

#include "qgen/app/command.hpp"
#include "qgen/app/data_source.hpp"
#include "qgen/app/options.hpp"
#include "qgen/app/run_files.hpp"
#include "qgen/core/errors.hpp"
#include "qgen/core/text.hpp"
#include "qgen/data/hdf5_table.hpp"
#include "qgen/data/split.hpp"

namespace qgen::app {
namespace {

enum class SplitPart { all, train, validation, test };
constexpr auto enum_names(SplitPart) {
  using enum SplitPart;
  return std::array{core::EnumName{all, "all"}, core::EnumName{train, "train"},
                    core::EnumName{validation, "validation"}, core::EnumName{test, "test"}};
}

po::options_description data_options() {
  po::options_description o("qgen data options");
  add_data_source_options(o, "");
  o.add_options()
      ("output", po::value<std::string>(), "write the events to this HDF5 file")
      ("split", enum_option(SplitPart::all),
       ("keep one part of a train/validation/test split: " + core::enum_choices<SplitPart>()).c_str())
      ("split-fractions", po::value<std::string>()->default_value("0.375,0.125"),
       "train and validation fractions (test: the rest; paper 004's 37.5/12.5/50 %)")
      ("fraction", po::value<double>()->default_value(1.0),
       "keep a random subset of this fraction of the events (after the split)")
      ("split-seed", count_option(1), "seed of split and subset (>= 0)");
  return o;
}

struct Selection {
  SplitPart part = SplitPart::all;
  double fractions[2] = {0.375, 0.125};
  double fraction = 1.0;   // random subset, after the split
  std::uint64_t seed = 1;
};

// Checked before any data is read.
Selection selection_from(const po::variables_map& v) {
  Selection s;
  s.part = enum_from<SplitPart>(v, "split");
  const auto fractions = core::split_list(v["split-fractions"].as<std::string>());
  if (fractions.size() != 2) throw core::InputError("split-fractions needs two numbers: train,validation");
  for (int k = 0; k < 2; ++k) s.fractions[k] = core::parse_number(fractions[k], "split-fractions");
  if (!(s.fractions[0] >= 0 && s.fractions[1] >= 0 && s.fractions[0] + s.fractions[1] <= 1))
    throw core::InputError("split-fractions must be >= 0 and sum to at most 1");
  s.fraction = v["fraction"].as<double>();
  if (!(s.fraction > 0 && s.fraction <= 1)) throw core::InputError("fraction must be in (0, 1]");
  s.seed = count_from(v, "split-seed", 0, kMaxSeed);
  return s;
}

// The rows of the chosen part of the split, then of the subset.
std::vector<std::size_t> chosen_rows(std::size_t n, const Selection& s) {
  std::vector<std::size_t> rows(n);
  for (std::size_t k = 0; k < n; ++k) rows[k] = k;
  if (s.part != SplitPart::all) {
    const data::Split split = data::split_events(n, s.seed, s.fractions[0], s.fractions[1]);
    rows = s.part == SplitPart::train        ? split.train
           : s.part == SplitPart::validation ? split.validation
                                             : split.test;
  }
  if (s.fraction != 1.0) {
    const auto subset = fraction_rows(rows.size(), s.fraction, s.seed);
    std::vector<std::size_t> kept;
    for (std::size_t k : subset) kept.push_back(rows[k]);
    rows = kept;
  }
  return rows;
}

// Reads, selects, prints and writes the events: on the lead rank (a serial command).
void run_on_lead(const po::variables_map& values, const Words& words, const DataSource& source,
                 const Selection& selection) {
  print_cleaned(check_run_files({{"input", source.input}, {"--config", option_text(values, "config")}},
                                {{"output", option_text(values, "output")}}));
  LoadedData loaded = load_data(source);
  if (selection.part != SplitPart::all || selection.fraction != 1.0) {
    loaded.table = loaded.table.take(chosen_rows(loaded.table.rows(), selection));
    if (loaded.table.rows() == 0)
      throw core::InputError("the chosen split or fraction holds no events");
    loaded.provenance.push_back({"split", core::name_of(selection.part)});
    loaded.provenance.push_back({"split_train_fraction", selection.fractions[0]});
    loaded.provenance.push_back({"split_validation_fraction", selection.fractions[1]});
    loaded.provenance.push_back({"fraction", selection.fraction});
    loaded.provenance.push_back({"split_seed", static_cast<std::int64_t>(selection.seed)});
  }
  std::printf("qgen data\n%s", describe_data(loaded).c_str());
  if (values.count("output")) {
    const std::string output = values["output"].as<std::string>();
    loaded.provenance.push_back({"qgen_command", "qgen data " + core::join(words, " ")});
    data::write_hdf5_table(output, loaded.table, loaded.provenance);
    std::printf("  written        %s (%zu events, %zu columns)\n", output.c_str(),
                loaded.table.rows(), loaded.table.num_columns());
  }
}

}  // namespace

int run_data_command(const core::Ranks& ranks, const Words& words) {
  const po::options_description options = data_options();
  ParsedOptions parsed;
  DataSource source;
  Selection selection;
  core::collectively(ranks, [&] {
    parsed = parse_options("data", options, words);
    if (parsed.help) return;
    source = data_source_from(parsed.values, "");
    selection = selection_from(parsed.values);
  });
  if (parsed.help) {
    print_help("qgen data (--input FILE | --generate " + core::enum_choices<data::Generator>("|") +
                   ") [options]",
               options, ranks.lead());
    return 0;
  }
  core::on_lead(ranks, [&] { run_on_lead(parsed.values, words, source, selection); });
  return 0;
}

}  // namespace qgen::app
