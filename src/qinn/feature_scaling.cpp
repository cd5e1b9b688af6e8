#include "qgen/qinn/feature_scaling.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "qgen/core/errors.hpp"
#include "qgen/core/text.hpp"

namespace qgen::qinn {

void check_finite(const data::Table& t, const std::string& where) {
  for (std::size_t r = 0; r < t.rows(); ++r)
    for (std::size_t c = 0; c < t.num_columns(); ++c)
      if (!std::isfinite(t.at(r, c)))
        throw core::DataError(where + ": row " + std::to_string(r + 1) + ", column '" +
                              t.columns()[c] + "' is " + core::number_text(t.at(r, c)) +
                              " (not finite)");
}

FeatureScaling FeatureScaling::of(const data::Table& t) {
  check_finite(t, "scaling the features");
  if (t.rows() == 0) throw core::DataError("scaling the features: no events");
  FeatureScaling s;
  s.columns = t.columns();
  for (std::size_t c = 0; c < t.num_columns(); ++c) {
    double lo = t.at(0, c), hi = lo;
    for (std::size_t r = 1; r < t.rows(); ++r) {
      lo = std::min(lo, t.at(r, c));
      hi = std::max(hi, t.at(r, c));
    }
    if (!(hi > lo))
      throw core::DataError("scaling the features: column '" + t.columns()[c] +
                            "' is constant (" + core::number_text(lo) + ") in the training split");
    s.low.push_back(lo);
    s.high.push_back(hi);
  }
  return s;
}

double FeatureScaling::slope(std::size_t f) const { return std::numbers::pi / (high[f] - low[f]); }

double FeatureScaling::to_physical(std::size_t f, double s) const {
  return low[f] + (high[f] - low[f]) * (s / std::numbers::pi);
}

std::size_t scale_events(const FeatureScaling& scaling, const data::Table& t,
                         std::vector<double>& scaled, std::vector<char>* outside) {
  if (t.columns() != scaling.columns)
    throw core::InternalError("scale_events: the table's columns differ from the scaling's");
  check_finite(t, "scaling the events");
  const std::size_t n = scaling.size();
  scaled.resize(t.rows() * n);
  if (outside) outside->assign(t.rows(), 0);
  std::size_t count = 0;
  for (std::size_t r = 0; r < t.rows(); ++r) {
    bool out = false;
    for (std::size_t f = 0; f < n; ++f) {
      const double s = (t.at(r, f) - scaling.low[f]) * scaling.slope(f);
      out |= s < 0 || s > std::numbers::pi;
      scaled[r * n + f] = std::clamp(s, 0.0, std::numbers::pi);
    }
    count += out;
    if (outside) (*outside)[r] = out;
  }
  return count;
}

}  // namespace qgen::qinn
