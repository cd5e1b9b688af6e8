#include "qgen/data/binning.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <sstream>

#include "qgen/core/errors.hpp"
#include "qgen/core/text.hpp"

namespace qgen::data {

Binning::Binning(std::vector<std::string> features, int qubits_per_feature,
                 std::vector<std::vector<double>> edges)
    : features_(std::move(features)), qubits_per_feature_(qubits_per_feature),
      edges_(std::move(edges)) {
  if (qubits_per_feature < 1 || qubits_per_feature > 16)
    throw core::DataError("qubits per feature must be in [1, 16], got " +
                    std::to_string(qubits_per_feature));
  if (features_.empty()) throw core::DataError("binning needs at least one feature");
  if (num_qubits() > 30)
    throw core::DataError(std::to_string(features_.size()) + " features x " +
                    std::to_string(qubits_per_feature) + " qubits = " +
                    std::to_string(num_qubits()) + " qubits: more than 30");
  if (edges_.size() != features_.size()) throw core::DataError("binning: one edge list per feature");
  for (std::size_t f = 0; f < edges_.size(); ++f) {
    if (edges_[f].size() != bins_per_feature() + 1)
      throw core::DataError("binning: feature '" + features_[f] + "' needs " +
                      std::to_string(bins_per_feature() + 1) + " edges");
    for (std::size_t k = 1; k < edges_[f].size(); ++k)
      if (!(edges_[f][k] > edges_[f][k - 1]))
        throw core::DataError("binning: edges of feature '" + features_[f] +
                        "' are not strictly increasing (a constant feature, or too many bins "
                        "for its distinct values?)");
    // Equal widths (to rounding): the bin is found by a division, then checked against edges.
    const auto& e = edges_[f];
    const double width = (e.back() - e.front()) / static_cast<double>(bins_per_feature());
    bool equal = true;
    for (std::size_t k = 0; k < e.size(); ++k)
      equal = equal && std::abs(e[k] - (e.front() + width * static_cast<double>(k))) <= 1e-12 * (std::abs(e.back()) + std::abs(e.front()));
    equal_width_.push_back(equal);
  }
}

std::vector<double> Binning::flat_edges() const {
  std::vector<double> flat;
  for (const auto& e : edges_) flat.insert(flat.end(), e.begin(), e.end());
  return flat;
}

Binning Binning::from_flat_edges(std::vector<std::string> features, int qubits_per_feature,
                                 std::span<const double> flat) {
  if (qubits_per_feature < 1 || qubits_per_feature > 16)
    throw core::DataError("qubits per feature must be in [1, 16], got " +
                          std::to_string(qubits_per_feature));
  const std::size_t per_feature = (std::size_t{1} << qubits_per_feature) + 1;
  if (flat.size() != features.size() * per_feature)
    throw core::DataError("binning: " + std::to_string(flat.size()) + " edges for " +
                          std::to_string(features.size()) + " features of " +
                          std::to_string(per_feature) + " edges each");
  std::vector<std::vector<double>> edges;
  for (std::size_t f = 0; f < features.size(); ++f)
    edges.emplace_back(flat.begin() + f * per_feature, flat.begin() + (f + 1) * per_feature);
  return Binning(std::move(features), qubits_per_feature, std::move(edges));
}

long Binning::bin(int feature, double value) const {
  const auto& e = edges_[feature];
  if (!(value >= e.front() && value <= e.back())) return -1;
  const long last = static_cast<long>(bins_per_feature()) - 1;
  if (equal_width_[feature]) {
    // Division, then one step either way if rounding put the value across an edge.
    long b = std::min(last, static_cast<long>((value - e.front()) / (e.back() - e.front()) *
                                              static_cast<double>(bins_per_feature())));
    if (b > 0 && value < e[b]) --b;
    if (b < last && value >= e[b + 1]) ++b;
    return b;
  }
  // upper_bound: the first edge above value; the last edge belongs to the last bin.
  const auto it = std::upper_bound(e.begin(), e.end(), value);
  return std::min<long>(static_cast<long>(it - e.begin()) - 1, last);
}

std::size_t Binning::state(std::span<const double> values) const {
  std::size_t s = 0;
  for (int f = 0; f < num_features(); ++f) {
    const long b = bin(f, values[f]);
    if (b < 0) return num_states();
    s = (s << qubits_per_feature_) | static_cast<std::size_t>(b);
  }
  return s;
}

std::size_t Binning::bin_of_state(std::size_t state, int feature) const {
  const int shift = (num_features() - 1 - feature) * qubits_per_feature_;
  return (state >> shift) & (bins_per_feature() - 1);
}

void Binning::decode(std::size_t state, core::RandomStream& stream,
                     std::span<double> values) const {
  for (int f = 0; f < num_features(); ++f) {
    const double u = stream.next_uniform();
    const auto q = decoding_quantiles(state, f);
    if (!q.empty()) {
      values[f] = inverse_cdf(q, u);
    } else {
      const std::size_t b = bin_of_state(state, f);
      const double lo = edges_[f][b], hi = edges_[f][b + 1];
      values[f] = lo + u * (hi - lo);
    }
  }
}

std::span<const double> Binning::quantiles(int feature, std::size_t bin) const {
  const std::size_t k = static_cast<std::size_t>(quantiles_per_bin_);
  return std::span<const double>(quantiles_).subspan(
      (static_cast<std::size_t>(feature) * bins_per_feature() + bin) * k, k);
}

std::span<const double> Binning::decoding_quantiles(std::size_t state, int feature) const {
  if (quantiles_per_bin_ == 0) return {};
  const std::size_t k = static_cast<std::size_t>(quantiles_per_bin_);
  if (!state_quantiles_.empty())
    return std::span<const double>(state_quantiles_)
        .subspan((state * static_cast<std::size_t>(num_features()) + static_cast<std::size_t>(feature)) * k, k);
  return quantiles(feature, bin_of_state(state, feature));
}

namespace {
void check_quantile_count(int k) {
  if (k < kMinQuantilesPerBin || k > kMaxQuantilesPerBin)
    throw core::InputError("quantiles per bin must be in [" + std::to_string(kMinQuantilesPerBin) + ", " +
                           std::to_string(kMaxQuantilesPerBin) + "], got " + std::to_string(k));
}
constexpr std::size_t kMaxStateQuantiles = std::size_t{1} << 24;  // 128 MiB of doubles
}  // namespace

void Binning::fit_quantiles(const Table& table, int quantiles_per_bin, bool per_state) {
  check_quantile_count(quantiles_per_bin);
  if (table.num_columns() != static_cast<std::size_t>(num_features()))
    throw core::DataError("fit_quantiles: the table has " + std::to_string(table.num_columns()) +
                          " columns, the binning " + std::to_string(num_features()) + " features");
  const std::size_t bins = bins_per_feature(), nf = static_cast<std::size_t>(num_features()),
                    k = static_cast<std::size_t>(quantiles_per_bin);
  if (per_state && num_states() * nf * k > kMaxStateQuantiles)
    throw core::InputError("per-state quantiles: " + std::to_string(num_states()) + " states x " + std::to_string(nf) +
                           " features x " + std::to_string(k) + " quantiles is more than 2^24 values; use "
                           "encoding.decoding = quantiles or fewer encoding.decoding-quantiles");
  // The values of each (feature, bin), and of each (state, feature), from the events encode() keeps.
  std::vector<std::vector<double>> values(nf * bins), state_values(per_state ? num_states() * nf : 0);
  for (std::size_t r = 0; r < table.rows(); ++r) {
    const auto row = table.row(r);
    const std::size_t s = state(row);
    if (s == num_states()) continue;
    for (std::size_t f = 0; f < nf; ++f) {
      values[f * bins + bin_of_state(s, static_cast<int>(f))].push_back(row[f]);
      if (per_state) state_values[s * nf + f].push_back(row[f]);
    }
  }
  std::vector<double> flat;
  flat.reserve(values.size() * k);
  for (std::size_t i = 0; i < values.size(); ++i) {
    auto& v = values[i];
    const auto& e = edges_[i / bins];
    const std::size_t b = i % bins;
    std::vector<double> q;
    if (v.size() < 2) {
      q = uniform_quantiles(e[b], e[b + 1], quantiles_per_bin);
    } else {
      std::sort(v.begin(), v.end());
      q = empirical_quantiles(v, quantiles_per_bin);
    }
    flat.insert(flat.end(), q.begin(), q.end());
  }
  quantiles_per_bin_ = quantiles_per_bin;
  quantiles_ = std::move(flat);
  state_quantiles_.clear();
  if (!per_state) return;
  std::vector<double> per_state_flat;
  per_state_flat.reserve(state_values.size() * k);
  for (std::size_t i = 0; i < state_values.size(); ++i) {
    auto& v = state_values[i];
    const std::size_t s = i / nf;
    const int f = static_cast<int>(i % nf);
    // Fewer events than quantiles: the bin's quantiles, pooled over more events (a state's own
    // quantiles from a handful of events would hand back those training events).
    if (v.size() < k) {
      const auto q = quantiles(f, bin_of_state(s, f));
      per_state_flat.insert(per_state_flat.end(), q.begin(), q.end());
    } else {
      std::sort(v.begin(), v.end());
      const auto q = empirical_quantiles(v, quantiles_per_bin);
      per_state_flat.insert(per_state_flat.end(), q.begin(), q.end());
    }
  }
  state_quantiles_ = std::move(per_state_flat);
}

void Binning::set_quantiles(int quantiles_per_bin, std::vector<double> per_bin, std::vector<double> per_state) {
  if (quantiles_per_bin < kMinQuantilesPerBin || quantiles_per_bin > kMaxQuantilesPerBin)
    throw core::DataError("bin quantiles: " + std::to_string(quantiles_per_bin) + " per bin, not in [" +
                          std::to_string(kMinQuantilesPerBin) + ", " + std::to_string(kMaxQuantilesPerBin) + "]");
  const std::size_t k = static_cast<std::size_t>(quantiles_per_bin), bins = bins_per_feature(),
                    nf = static_cast<std::size_t>(num_features());
  if (per_bin.size() != nf * bins * k)
    throw core::DataError("bin quantiles: " + std::to_string(per_bin.size()) + " values for " + std::to_string(nf) +
                          " features x " + std::to_string(bins) + " bins x " + std::to_string(k) + " quantiles");
  if (!per_state.empty() && per_state.size() != num_states() * nf * k)
    throw core::DataError("state quantiles: " + std::to_string(per_state.size()) + " values for " +
                          std::to_string(num_states()) + " states x " + std::to_string(nf) + " features x " +
                          std::to_string(k) + " quantiles");
  // Quantiles number i of `flat` hold feature f in bin b: finite, ascending, inside the edges.
  const auto check = [&](const std::vector<double>& flat, const std::string& what, auto feature_and_bin) {
    for (std::size_t i = 0; i < flat.size() / k; ++i) {
      const auto [f, b] = feature_and_bin(i);
      const auto& e = edges_[f];
      for (std::size_t j = 0; j < k; ++j) {
        const double x = flat[i * k + j];
        if (!std::isfinite(x) || x < e[b] || x > e[b + 1] || (j > 0 && x < flat[i * k + j - 1]))
          throw core::DataError(what + " of feature '" + features_[f] + "', bin " + std::to_string(b) +
                                ": not finite, ascending and inside the bin's edges [" + core::number_text(e[b]) +
                                ", " + core::number_text(e[b + 1]) + "]");
      }
    }
  };
  check(per_bin, "bin quantiles", [&](std::size_t i) { return std::pair{i / bins, i % bins}; });
  check(per_state, "state quantiles", [&](std::size_t i) {
    const std::size_t f = i % nf;
    return std::pair{f, bin_of_state(i / nf, static_cast<int>(f))};
  });
  quantiles_per_bin_ = quantiles_per_bin;
  quantiles_ = std::move(per_bin);
  state_quantiles_ = std::move(per_state);
}

InBinMoments Binning::decoded_moments(std::size_t state, int feature) const {
  const auto q = decoding_quantiles(state, feature);
  if (!q.empty()) return data::decoded_moments(q);
  const std::size_t bin = bin_of_state(state, feature);
  const double lo = edges_[feature][bin], hi = edges_[feature][bin + 1];
  return {(lo + hi) / 2, (hi - lo) * (hi - lo) / 12};
}

double Binning::decoded_cdf(std::size_t state, int feature, double x) const {
  const auto q = decoding_quantiles(state, feature);
  if (!q.empty()) return quantile_cdf(q, x);
  const std::size_t bin = bin_of_state(state, feature);
  const double lo = edges_[feature][bin], hi = edges_[feature][bin + 1];
  return std::clamp((x - lo) / (hi - lo), 0.0, 1.0);
}

Binning make_binning(const Table& table, const BinningOptions& options) {
  if (options.qubits_per_feature < 1 || options.qubits_per_feature > 16)
    throw core::DataError("qubits per feature must be in [1, 16], got " +
                    std::to_string(options.qubits_per_feature));
  const std::size_t bins = std::size_t{1} << options.qubits_per_feature;
  for (const auto& [name, range] : options.ranges) {
    if (std::find(table.columns().begin(), table.columns().end(), name) == table.columns().end())
      throw core::DataError("a range is given for '" + name + "', which is not a feature");
    if (!(range.first < range.second) || !std::isfinite(range.first) || !std::isfinite(range.second))
      throw core::DataError("range of '" + name + "' must be finite with lo < hi");
  }
  if (!(options.range_quantile >= 0 && options.range_quantile < 0.5))
    throw core::DataError("the range quantile must be in [0, 0.5), got " + std::to_string(options.range_quantile));
  if (table.rows() == 0) throw core::DataError("binning: no events");
  std::vector<std::vector<double>> edges;
  for (std::size_t f = 0; f < table.num_columns(); ++f) {
    const std::string& name = table.columns()[f];
    std::vector<double> column(table.rows());
    for (std::size_t r = 0; r < table.rows(); ++r) column[r] = table.at(r, f);
    const auto fixed = options.ranges.find(name);
    double lo, hi;
    if (fixed != options.ranges.end()) {
      lo = fixed->second.first;
      hi = fixed->second.second;
    } else if (options.range_quantile > 0) {
      std::vector<double> sorted = column;
      std::sort(sorted.begin(), sorted.end());
      const auto at = [&](double q) {
        return sorted[static_cast<std::size_t>(std::floor(q * static_cast<double>(sorted.size() - 1)))];
      };
      lo = at(options.range_quantile);
      hi = at(1.0 - options.range_quantile);
    } else {
      const auto [mn, mx] = std::minmax_element(column.begin(), column.end());
      lo = *mn;
      hi = *mx;
    }
    if (!(hi > lo))
      throw core::DataError("feature '" + name + "' is constant (" + std::to_string(lo) +
                      "): it cannot be binned");
    std::vector<double> e(bins + 1);
    if (options.mode == BinningMode::log_width && lo > 0) {
      for (std::size_t k = 0; k <= bins; ++k)
        e[k] = lo * std::pow(hi / lo, static_cast<double>(k) / static_cast<double>(bins));
      e[0] = lo;
    } else if (options.mode != BinningMode::equal_population) {
      for (std::size_t k = 0; k <= bins; ++k)
        e[k] = lo + (hi - lo) * static_cast<double>(k) / static_cast<double>(bins);
    } else {
      // Quantiles of the events inside [lo, hi] (counted, not weighted: NLO weights can be
      // negative, which makes weighted quantiles ill-defined).
      std::vector<double> inside;
      for (double x : column)
        if (x >= lo && x <= hi) inside.push_back(x);
      if (inside.empty())
        throw core::DataError("no events inside the range of '" + name + "' [" + core::number_text(lo) +
                        ", " + core::number_text(hi) + "]");
      std::sort(inside.begin(), inside.end());
      e[0] = lo;
      e[bins] = hi;
      for (std::size_t k = 1; k < bins; ++k)
        e[k] = inside[std::min(inside.size() - 1, k * inside.size() / bins)];
    }
    e[bins] = hi;
    edges.push_back(std::move(e));
  }
  Binning binning(table.columns(), options.qubits_per_feature, std::move(edges));
  if (options.decoding != DecodingMode::uniform)
    binning.fit_quantiles(table, options.quantiles_per_bin, options.decoding == DecodingMode::state_quantiles);
  return binning;
}

Encoding encode(const Table& table, const Binning& binning) {
  if (table.num_columns() != static_cast<std::size_t>(binning.num_features()))
    throw core::DataError("encode: the table has " + std::to_string(table.num_columns()) +
                    " columns, the binning " + std::to_string(binning.num_features()) + " features");
  Encoding out;
  out.probabilities.assign(binning.num_states(), 0.0);
  out.outside_per_feature.assign(binning.num_features(), 0);
  for (std::size_t r = 0; r < table.rows(); ++r) {
    const auto row = table.row(r);
    const std::size_t s = binning.state(row);
    if (s == binning.num_states()) {
      ++out.events_outside;
      for (int f = 0; f < binning.num_features(); ++f)
        if (binning.bin(f, row[f]) < 0) ++out.outside_per_feature[f];
      continue;
    }
    out.probabilities[s] += table.weight(r);
    ++out.events_used;
  }
  double total = 0.0;
  for (double& p : out.probabilities) {
    if (p < 0) {
      p = 0;
      ++out.negative_bins_zeroed;
    }
    total += p;
  }
  out.total_weight = total;
  if (!(total > 0)) throw core::DataError("encode: no events (of positive total weight) inside the bins");
  for (double& p : out.probabilities) p /= total;
  return out;
}

std::vector<double> marginal(std::span<const double> probabilities, const Binning& binning,
                             int feature) {
  std::vector<double> m(binning.bins_per_feature(), 0.0);
  for (std::size_t s = 0; s < probabilities.size(); ++s)
    m[binning.bin_of_state(s, feature)] += probabilities[s];
  return m;
}

}  // namespace qgen::data
