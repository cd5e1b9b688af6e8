// Seeded starting angles of a circuit's parameters: uniform in [low, high) (the papers: [0, 2 pi))
// or all zero. Drawn from the counter-based stream (seed, kInitialParameterStream), so the same
// seed gives the same angles on every machine and rank.
#pragma once

#include <array>
#include <cstdint>
#include <numbers>
#include <vector>

#include "qgen/core/enum_names.hpp"

namespace qgen::circuits {

enum class ParameterInit { uniform, zeros };
constexpr auto enum_names(ParameterInit) {
  using enum ParameterInit;
  return std::array{core::EnumName{uniform, "uniform"}, core::EnumName{zeros, "zeros"}};
}

/// The stream of initial parameters: apart from the shots' (step << 32 | circuit) streams.
inline constexpr std::uint64_t kInitialParameterStream = 0x1A17ull << 48;

struct ParameterInitOptions {
  ParameterInit kind = ParameterInit::uniform;
  double low = 0.0;                     // radians
  double high = 2 * std::numbers::pi;  // radians
  std::uint64_t seed = 1;
};

/// InputError unless low < high (uniform).
void check_parameter_init(const ParameterInitOptions& options);

std::vector<double> initial_parameters(int count, const ParameterInitOptions& options);

}  // namespace qgen::circuits
