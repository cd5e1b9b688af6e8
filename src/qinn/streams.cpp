#include "qgen/qinn/streams.hpp"

#include <cmath>
#include <numbers>

#include "qgen/core/random_stream.hpp"

namespace qgen::qinn {

std::uint64_t stream_of(Purpose purpose, std::uint64_t step) {
  return core::stream_id(static_cast<std::uint32_t>(step), static_cast<std::uint32_t>(purpose));
}

void normal_values(std::uint64_t seed, std::uint64_t stream, std::uint64_t first,
                   std::span<double> out) {
  core::RandomStream random(seed, stream);
  random.seek(2 * first);
  for (double& z : out) {
    const double u1 = 1.0 - random.next_uniform();  // (0, 1]: the logarithm stays finite
    const double u2 = random.next_uniform();
    z = std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
  }
}

}  // namespace qgen::qinn
