// The [encoding] options shared by qgen train and qgen eval: which features, how they are
// binned, over which ranges, and how a sampled bin is decoded (data/binning.hpp).
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "qgen/app/options.hpp"
#include "qgen/data/binning.hpp"

namespace qgen::app {

/// encoding.features, encoding.binning, encoding.ranges, encoding.range-quantile,
/// encoding.decoding, encoding.decoding-quantiles.
void add_encoding_options(po::options_description& options);

/// 'pT:250:3000,mass:0:500' as feature -> [low, high]; InputError naming encoding.ranges.
std::map<std::string, std::pair<double, double>> parse_ranges(const std::string& text);

/// encoding.features as a list (empty: every column of the data), repeats refused.
std::vector<std::string> encoding_features(const po::variables_map& values);

/// encoding.binning, encoding.ranges and the decoding; the qubits per feature are the caller's.
data::BinningOptions binning_options_from(const po::variables_map& values);

}  // namespace qgen::app
