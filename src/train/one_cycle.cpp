#include "qgen/train/one_cycle.hpp"

#include <cmath>
#include <numbers>

namespace qgen::train {
namespace {

double anneal(double start, double end, double pct) {
  return end + (start - end) / 2.0 * (std::cos(std::numbers::pi * pct) + 1.0);
}

// (step - start) / (end - start), or 1 for an empty phase.
double fraction(double step, double start, double end) {
  return end > start ? (step - start) / (end - start) : 1.0;
}

}  // namespace

double OneCycle::rate(std::int64_t k) const {
  const double initial = max_rate * start_factor, last = initial * final_factor;
  const double total = static_cast<double>(total_steps);
  const double step = std::min(static_cast<double>(k), total - 1);
  const double up_end = warmup_fraction * total - 1;
  if (step <= up_end) return anneal(initial, max_rate, fraction(step, 0.0, up_end));
  return anneal(max_rate, last, fraction(step, up_end, total - 1));
}

}  // namespace qgen::train
