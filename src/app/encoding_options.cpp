#include "qgen/app/encoding_options.hpp"

#include "qgen/core/errors.hpp"
#include "qgen/core/text.hpp"

namespace qgen::app {

void add_encoding_options(po::options_description& options) {
  options.add_options()
      ("encoding.features", po::value<std::string>()->default_value(""),
       "comma-separated features to learn (default: every column of the data)")
      ("encoding.binning", enum_option(data::BinningMode::equal_width),
       ("bins per feature: " + core::enum_choices<data::BinningMode>()).c_str())
      ("encoding.ranges", po::value<std::string>()->default_value(""),
       "fixed bin ranges, e.g. 'pT:250:3000,mass:0:500' (default: each feature's min..max)")
      ("encoding.range-quantile", po::value<double>()->default_value(0.0, "0"),
       "ranges of the other features from the q and 1 - q quantiles of the events (e.g. 0.001; "
       "the events beyond are dropped and counted); 0: min..max")
      ("encoding.decoding", enum_option(data::DecodingMode::quantiles),
       ("how a sampled bin becomes a value: " + core::enum_choices<data::DecodingMode>() +
        " (uniform inside the bin; following the training events inside it through quantiles "
        "stored per bin, or per basis state, in the results file)").c_str())
      ("encoding.decoding-quantiles", po::value<int>()->default_value(32),
       "quantiles per bin (or state) and feature, K, for quantile decoding");
}

std::map<std::string, std::pair<double, double>> parse_ranges(const std::string& text) {
  std::map<std::string, std::pair<double, double>> ranges;
  for (const auto& item : core::split_list(text)) {
    const auto a = item.find(':'), b = item.rfind(':');
    if (a == std::string::npos || a == b)
      throw core::InputError("encoding.ranges: '" + item + "' is not feature:low:high");
    ranges[item.substr(0, a)] = {core::parse_number(item.substr(a + 1, b - a - 1), "encoding.ranges"),
                                 core::parse_number(item.substr(b + 1), "encoding.ranges")};
  }
  return ranges;
}

std::vector<std::string> encoding_features(const po::variables_map& values) {
  auto features = core::split_list(values["encoding.features"].as<std::string>());
  refuse_repeats(features, "encoding.features");
  return features;
}

data::BinningOptions binning_options_from(const po::variables_map& values) {
  data::BinningOptions options;
  options.mode = enum_from<data::BinningMode>(values, "encoding.binning");
  options.ranges = parse_ranges(values["encoding.ranges"].as<std::string>());
  options.range_quantile = values["encoding.range-quantile"].as<double>();
  if (!(options.range_quantile >= 0 && options.range_quantile < 0.5))
    throw core::InputError("encoding.range-quantile = " + core::number_text(options.range_quantile) +
                           " must be in [0, 0.5)");
  options.decoding = enum_from<data::DecodingMode>(values, "encoding.decoding");
  options.quantiles_per_bin = values["encoding.decoding-quantiles"].as<int>();
  if (options.quantiles_per_bin < data::kMinQuantilesPerBin || options.quantiles_per_bin > data::kMaxQuantilesPerBin)
    throw core::InputError("encoding.decoding-quantiles = " + std::to_string(options.quantiles_per_bin) +
                           " must be in [" + std::to_string(data::kMinQuantilesPerBin) + ", " +
                           std::to_string(data::kMaxQuantilesPerBin) + "]");
  return options;
}

}  // namespace qgen::app
