#include "qgen/sim/cache_blocks.hpp"

#include <cstdint>
#include <stdexcept>
#include <string>

#include "qgen/sim/simulator.hpp"

namespace qgen::sim {
namespace {

using Bits = std::uint64_t;  // a set of index bits

Bits bits_of(const BoundGate& gate, int num_qubits) {
  Bits set = 0;
  for (int q : gate.qubits)
    if (q >= 0) set |= Bits{1} << (num_qubits - 1 - q);
  return set;
}

}  // namespace

int cache_block_bits(int num_qubits) { return num_qubits >= 19 ? 16 : 0; }

std::vector<CacheBlockRun> plan_cache_blocks(std::span<const BoundGate> gates, int num_qubits,
                                             int block_bits) {
  if (block_bits != 0 && (block_bits < kMinBlockBits || block_bits >= num_qubits))
    throw std::invalid_argument("cache blocks of 2^" + std::to_string(block_bits) +
                                " amplitudes for a " + std::to_string(num_qubits) +
                                "-qubit state (0, or " + std::to_string(kMinBlockBits) +
                                " up to Q - 1 bits)");
  const Bits block = (Bits{1} << block_bits) - 1;
  const auto within = [&](std::size_t g) { return (bits_of(gates[g], num_qubits) & ~block) == 0; };
  std::vector<CacheBlockRun> runs;
  for (std::size_t i = 0; i < gates.size();) {
    std::size_t end = i + 1;
    if (block_bits > 0 && within(i))
      while (end < gates.size() && within(end)) ++end;
    runs.push_back({i, end, end - i >= 2 ? block_bits : 0});
    i = end;
  }
  return runs;
}

void apply_cache_block_run(const CacheBlockRun& run, std::span<const BoundGate> gates,
                           StateVector& state, double* probabilities) {
  const auto these = gates.subspan(run.first, run.end - run.first);
  if (run.block_bits == 0) {
    for (std::size_t k = 0; k < these.size(); ++k)
      apply(these[k], state, k + 1 == these.size() ? probabilities : nullptr);
    return;
  }
  const std::size_t block = std::size_t{1} << run.block_bits;
  for (std::size_t first = 0; first < state.size(); first += block)
    for (std::size_t k = 0; k < these.size(); ++k)
      apply(these[k], state, k + 1 == these.size() ? probabilities : nullptr,
            {first, run.block_bits});
}

}  // namespace qgen::sim
