#include "qgen/train/adam_update.hpp"

#include <cmath>

namespace qgen::train {

double adam_update(std::span<double> x, std::span<double> first, std::span<double> second,
                 std::span<const double> g, double eta, const AdamHyper& h, std::int64_t t) {
  const double td = static_cast<double>(t);
  const double eta_t = eta * std::sqrt(1.0 - std::pow(h.beta2, td)) / (1.0 - std::pow(h.beta1, td));
  for (std::size_t i = 0; i < x.size(); ++i) {
    first[i] = (1.0 - h.beta1) * g[i] + h.beta1 * first[i];
    second[i] = (1.0 - h.beta2) * (g[i] * g[i]) + h.beta2 * second[i];
    x[i] -= eta_t * first[i] / (std::sqrt(second[i]) + h.epsilon);
  }
  return eta_t;
}

}  // namespace qgen::train
