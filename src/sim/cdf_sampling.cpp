#include "qgen/sim/cdf_sampling.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "qgen/core/tree_sum.hpp"
#include "qgen/sim/sampling.hpp"

namespace qgen::sim {
namespace {

std::uint64_t integer_weight(double p, double scale) {
  return static_cast<std::uint64_t>(p * scale);  // truncation: floor, p >= 0
}

}  // namespace

double cdf_slice_total(std::span<const double> slice) {
  core::TreeSum sum;
  for (double p : slice) {
    if (!(p >= 0.0) || !std::isfinite(p))
      throw std::invalid_argument("shot sampling: probabilities must be finite and non-negative");
    sum.add(p);
  }
  return sum.total();
}

double cdf_scale(double total) {
  if (!std::isfinite(total)) throw std::invalid_argument("shot sampling: probabilities sum to infinity");
  if (!(total > 0.0)) throw std::invalid_argument("shot sampling: all probabilities are zero");
  // 2^62 / total may overflow for totals below 2^-962; no distribution of probabilities has one.
  const double scale = std::ldexp(1.0, 62) / total;
  if (!std::isfinite(scale)) throw std::invalid_argument("shot sampling: probabilities sum to almost zero");
  return scale;
}

std::uint64_t cdf_integer_total(std::span<const double> slice, double scale) {
  std::uint64_t total = 0;
  for (double p : slice) total += integer_weight(p, scale);
  return total;
}

void CdfSlicer::draw(const CdfPlacement& placement, std::span<const double> slice, std::uint64_t shots,
                     core::RandomStream& stream, std::span<std::uint32_t> counts) {
  begin(placement);
  draw_words(stream, shots, words_, [&](auto words) { add(words); });
  count(slice, counts);
}

void CdfSlicer::begin(const CdfPlacement& placement) {
  placement_ = placement;
  kept_.clear();
}

void CdfSlicer::add(std::span<const std::uint64_t> words) {
  const auto [scale, first, size, whole] = placement_;
  for (std::uint64_t u : words) {
    const auto x = static_cast<std::uint64_t>((static_cast<unsigned __int128>(u) * whole) >> 64);
    // x - first wraps round for x < first, so one comparison keeps [first, first + size).
    if (x - first < size) kept_.push_back(x - first);
  }
}

void CdfSlicer::count(std::span<const double> slice, std::span<std::uint32_t> counts) {
  if (counts.size() != slice.size()) throw std::invalid_argument("shot sampling: counts and slice differ in size");
  std::fill(counts.begin(), counts.end(), 0u);
  std::sort(kept_.begin(), kept_.end());
  // Shot x lands on the state i with C_i <= x < C_(i+1), C counted from the slice's start.
  std::uint64_t end = 0;
  std::size_t next = 0;
  for (std::size_t i = 0; i < slice.size() && next < kept_.size(); ++i) {
    end += integer_weight(slice[i], placement_.scale);
    for (; next < kept_.size() && kept_[next] < end; ++next) ++counts[i];
  }
}

}  // namespace qgen::sim
