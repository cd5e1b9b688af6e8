#include "qgen/circuits/initial_parameters.hpp"

#include <cmath>

#include "qgen/core/errors.hpp"
#include "qgen/core/random_stream.hpp"
#include "qgen/core/text.hpp"

namespace qgen::circuits {

void check_parameter_init(const ParameterInitOptions& o) {
  if (o.kind == ParameterInit::uniform &&
      !(std::isfinite(o.low) && std::isfinite(o.high) && o.low < o.high))
    throw core::InputError("initial parameters: the uniform range needs finite low < high, got [" +
                           core::number_text(o.low) + ", " + core::number_text(o.high) + ")");
}

std::vector<double> initial_parameters(int count, const ParameterInitOptions& o) {
  check_parameter_init(o);
  std::vector<double> theta(count, 0.0);
  if (o.kind == ParameterInit::zeros) return theta;
  core::RandomStream stream(o.seed, kInitialParameterStream);
  for (double& t : theta) t = o.low + (o.high - o.low) * stream.next_uniform();
  return theta;
}

}  // namespace qgen::circuits
