// Encoding events as a distribution over qubit basis states, and decoding samples back.
//
// Each of N features gets 2^q bins (q qubits per feature, Q = N q): equal-width over [lo, hi]
// (from the data's min and max unless fixed) or equal-population (quantiles of the data). An
// event with a feature outside [lo, hi] (hi included in the last bin) is dropped and counted.
// The basis state of an event concatenates its bin indices, each written MSB first, feature 0
// on the most significant qubits (DESIGN.md). The target P(x) is the normalised weighted
// histogram; with negative weights (NLO) a bin can sum below zero, which no Born machine can
// represent: such bins are set to zero before normalising, and counted.
//
// Decoding a basis state gives one bin per feature and a value drawn inside it: uniformly, or
// (encoding.decoding = quantiles, state_quantiles) from K stored quantiles of the training
// events in that bin (or that basis state), through the piecewise-linear inverse CDF
// (data/bin_quantiles.hpp). Either way one uniform of the random stream per value.
#pragma once

#include <cstddef>
#include <map>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "qgen/core/enum_names.hpp"
#include "qgen/data/bin_quantiles.hpp"
#include "qgen/data/table.hpp"
#include "qgen/core/random_stream.hpp"

namespace qgen::data {

// log_width: edges spaced evenly in log x for a feature whose range is positive (pT, mass on a
// steep spectrum: the bulk no longer shares one bin), equal width for the others (eta).
enum class BinningMode { equal_width, equal_population, log_width };

constexpr auto enum_names(BinningMode) {
  using enum BinningMode;
  return std::array{core::EnumName{equal_width, "equal_width"}, core::EnumName{equal_population, "equal_population"},
                    core::EnumName{log_width, "log_width"}};
}

struct BinningOptions {
  int qubits_per_feature = 4;
  BinningMode mode = BinningMode::equal_width;
  std::map<std::string, std::pair<double, double>> ranges;  // fixed [lo, hi] per feature
  // Features without a fixed range: [lo, hi] = the range_quantile and 1 - range_quantile
  // quantiles of the events (0: min and max). On a steep spectrum a few extreme events
  // otherwise stretch every bin and squeeze the bulk into a handful of states; the events
  // beyond are dropped and counted like any event outside the range.
  double range_quantile = 0.0;
  // quantiles (state_quantiles): make_binning stores quantiles_per_bin quantiles of the events
  // per bin (and per basis state) and feature.
  DecodingMode decoding = DecodingMode::quantiles;
  int quantiles_per_bin = 32;
};

class Binning {
public:
  Binning(std::vector<std::string> features, int qubits_per_feature,
          std::vector<std::vector<double>> edges);

  const std::vector<std::string>& features() const { return features_; }
  int num_features() const { return static_cast<int>(features_.size()); }
  int qubits_per_feature() const { return qubits_per_feature_; }
  int num_qubits() const { return num_features() * qubits_per_feature_; }
  std::size_t bins_per_feature() const { return std::size_t{1} << qubits_per_feature_; }
  std::size_t num_states() const { return std::size_t{1} << num_qubits(); }
  /// 2^q + 1 ascending edges of feature f.
  const std::vector<double>& edges(int feature) const { return edges_[feature]; }
  /// Every feature's edges, feature after feature: [N, 2^q + 1] row-major (files, hashes).
  std::vector<double> flat_edges() const;
  /// The binning whose flat_edges() are `flat`; DataError when the sizes disagree.
  static Binning from_flat_edges(std::vector<std::string> features, int qubits_per_feature,
                                 std::span<const double> flat);

  /// Bin of `value` in feature f, or -1 outside [lo, hi].
  long bin(int feature, double value) const;
  /// Basis state of an event (its features in order), or num_states() if any is outside.
  std::size_t state(std::span<const double> values) const;
  /// Bin of feature f in a basis state.
  std::size_t bin_of_state(std::size_t state, int feature) const;
  /// Values of the features of `state`, each drawn inside its bin (uniformly, or from the bin's
  /// quantiles when stored); one stream uniform per feature.
  void decode(std::size_t state, core::RandomStream& stream, std::span<double> values) const;

  /// K, the quantiles stored per bin (and state) and feature; 0: none, decoding is uniform.
  int quantiles_per_bin() const { return quantiles_per_bin_; }
  /// Whether quantiles are stored per basis state too (DecodingMode::state_quantiles).
  bool has_state_quantiles() const { return !state_quantiles_.empty(); }
  /// The K quantiles of bin b of feature f (quantiles_per_bin() > 0).
  std::span<const double> quantiles(int feature, std::size_t bin) const;
  /// The quantiles that decode feature f of `state`: the state's, else its bin's; empty when
  /// decoding is uniform.
  std::span<const double> decoding_quantiles(std::size_t state, int feature) const;
  /// Every per-bin quantile: [N, 2^q, K] row-major (files); empty when none are stored.
  const std::vector<double>& flat_quantiles() const { return quantiles_; }
  /// Every per-state quantile: [2^Q, N, K] row-major; empty when none are stored.
  const std::vector<double>& flat_state_quantiles() const { return state_quantiles_; }
  /// Stores K quantiles per bin (and with per_state, per basis state) from the events of
  /// `table` (its columns the features) whose every feature is inside the bins. A bin with fewer
  /// than two events gets uniform quantiles; a state with fewer than K events, its bins'
  /// quantiles (a state's own quantiles from a few events would hand back those events).
  /// InputError when K is out of range or the per-state quantiles would exceed 2^24 values.
  void fit_quantiles(const Table& table, int quantiles_per_bin, bool per_state);
  /// Stores quantiles read back from a file: per bin [N, 2^q, K], and per state [2^Q, N, K] or
  /// empty; DataError when a size is wrong or a bin's quantiles are not finite, ascending and
  /// inside its edges.
  void set_quantiles(int quantiles_per_bin, std::vector<double> per_bin, std::vector<double> per_state = {});
  /// Mean and variance of the decoded value of feature f in `state`, exactly (uniform: the bin
  /// centre and w^2 / 12).
  InBinMoments decoded_moments(std::size_t state, int feature) const;
  /// The probability that the decoded value of feature f in `state` is <= x (inside its bin).
  double decoded_cdf(std::size_t state, int feature, double x) const;

private:
  std::vector<std::string> features_;
  int qubits_per_feature_;
  std::vector<std::vector<double>> edges_;
  std::vector<bool> equal_width_;  // per feature: bins found by arithmetic, not search
  int quantiles_per_bin_ = 0;
  std::vector<double> quantiles_;        // [N, 2^q, K]
  std::vector<double> state_quantiles_;  // [2^Q, N, K] or empty
};

/// Bins for the columns of `table` (its columns are the features, in order); with
/// options.decoding = quantiles, the per-bin quantiles of its events too.
Binning make_binning(const Table& table, const BinningOptions& options);

struct Encoding {
  std::vector<double> probabilities;      // P(x) over the 2^Q basis states
  std::size_t events_used = 0;
  std::size_t events_outside = 0;
  std::vector<std::size_t> outside_per_feature;
  double total_weight = 0;  // of the events in the bins, after zeroing negative bins
  std::size_t negative_bins_zeroed = 0;
};

Encoding encode(const Table& table, const Binning& binning);

/// Marginal distribution of feature f (2^q bins) of a distribution over basis states.
std::vector<double> marginal(std::span<const double> probabilities, const Binning& binning,
                             int feature);

}  // namespace qgen::data
