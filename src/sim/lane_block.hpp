// Internal to the kernels: amplitudes in blocks of kLanes consecutive indices, one vector
// register of real parts and one of imaginary parts.
//
// A gate on target bits T partitions the index space into groups of 2^|T| amplitudes. Target
// bits below log2(kLanes) ("low" targets) stay inside one block: the partner of a lane is another
// lane of the same register, reached with a lane permutation. Target bits at or above it ("high"
// targets) pair whole blocks: a group of blocks {i0 + offset(h)} is loaded, mixed and stored
// together. Every kernel is written once over this scheme, whichever bits its targets occupy.
#pragma once

#include <array>
#include <cstddef>
#include <cstring>

namespace qgen::sim::detail {

constexpr int kLanes = 8;
constexpr int kLaneBits = 3;

using Vec = double __attribute__((vector_size(kLanes * sizeof(double))));
using LaneIndex = long long __attribute__((vector_size(kLanes * sizeof(long long))));

inline Vec load(const double* p) {
  Vec v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

inline void store(double* p, Vec v) { std::memcpy(p, &v, sizeof v); }

inline LaneIndex lane_xor(int mask) {
  LaneIndex index;
  for (int lane = 0; lane < kLanes; ++lane) index[lane] = lane ^ mask;
  return index;
}

inline Vec permute(Vec v, LaneIndex index) {
#if defined(__clang__)
  // clang (the sanitizer build) has no run-time-index __builtin_shuffle: a lane loop.
  Vec out;
  for (int lane = 0; lane < kLanes; ++lane) out[lane] = v[index[lane]];
  return out;
#else
  return __builtin_shuffle(v, index);
#endif
}

/// Inserts a zero at bit position `bit` of x, shifting the higher bits up.
inline std::size_t insert_zero_bit(std::size_t x, int bit) {
  const std::size_t low = x & ((std::size_t{1} << bit) - 1);
  return ((x >> bit) << (bit + 1)) | low;
}

/// Block groups of a gate whose high target bits are `high_bits` (ascending, all >= kLaneBits).
template <int KHigh>
struct BlockGroups {
  std::array<int, KHigh> high_bits{};
  std::size_t num_groups = 0;

  /// First index of group g: g's block number with zeros inserted at the high target bits.
  std::size_t first_index(std::size_t g) const {
    std::size_t i = g << kLaneBits;
    for (int bit : high_bits) i = insert_zero_bit(i, bit);
    return i;
  }
};

}  // namespace qgen::sim::detail
