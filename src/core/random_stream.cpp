#include "qgen/core/random_stream.hpp"

#if defined(__AVX512F__)
#include <immintrin.h>
#endif

namespace qgen::core {
namespace {

// Philox4x32-10 on the 16 blocks of a word group, 8 blocks per vector. Each 32-bit word of a
// counter lives in a 64-bit lane, so that the round's 32x32->64 products are one widening
// multiply per vector (vpmuludq with AVX-512, which reads the low halves; elsewhere a plain
// lane multiply of the masked low halves, exact because both factors are below 2^32). Constants: Random123's PHILOX_M4x32_0/1 and PHILOX_W32_0/1.
constexpr int kLanes = 8;
constexpr int kVectors = RandomStream::kGroupWords / 2 / kLanes;
using Lanes = std::uint64_t __attribute__((vector_size(kLanes * sizeof(std::uint64_t))));
constexpr std::uint64_t kM0 = 0xD2511F53, kM1 = 0xCD9E8D57;
constexpr std::uint64_t kW0 = 0x9E3779B9, kW1 = 0xBB67AE85;
constexpr std::uint64_t kLow = 0xffffffffu;

inline Lanes multiply_low_words(Lanes a, std::uint64_t b) {
#if defined(__AVX512F__)
  const __m512i factor = _mm512_set1_epi64(static_cast<long long>(b));
  // GCC 12 warns inside its own intrinsic (_mm512_undefined_epi32 as the pass-through).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wuninitialized"
  return reinterpret_cast<Lanes>(_mm512_mul_epu32(reinterpret_cast<__m512i>(a), factor));
#pragma GCC diagnostic pop
#else
  return (a & kLow) * b;
#endif
}

// Philox on `Groups` consecutive word groups at once: a round's multiply has a latency of
// several cycles, and only with several groups in flight do the vector units stay busy.
template <int Groups>
void philox_groups(std::uint64_t first_group, std::uint64_t stream, const std::uint32_t key[2],
                   std::uint64_t* words) {
  constexpr int kAll = Groups * kVectors;
  const Lanes lane = {0, 1, 2, 3, 4, 5, 6, 7};
  const std::uint64_t first_block = first_group * (RandomStream::kGroupWords / 2);
  Lanes c0[kAll], c1[kAll], c2[kAll], c3[kAll];
  for (int v = 0; v < kAll; ++v) {
    const Lanes block = lane + (first_block + static_cast<std::uint64_t>(v * kLanes));
    c0[v] = block & kLow;
    c1[v] = block >> 32;
    c2[v] = Lanes{} + (stream & kLow);
    c3[v] = Lanes{} + (stream >> 32);
  }
  std::uint64_t key0 = key[0], key1 = key[1];
  for (int round = 0; round < 10; ++round) {
    for (int v = 0; v < kAll; ++v) {
      // Only the low halves of the lanes matter: the multiply reads only those, and the words
      // are masked once, at the end. So c1 and c3 keep the products' high words above.
      const Lanes p0 = multiply_low_words(c0[v], kM0), p1 = multiply_low_words(c2[v], kM1);
      c0[v] = (p1 >> 32) ^ c1[v] ^ key0;
      c2[v] = (p0 >> 32) ^ c3[v] ^ key1;
      c1[v] = p1;
      c3[v] = p0;
    }
    key0 = (key0 + kW0) & kLow;
    key1 = (key1 + kW1) & kLow;
  }
  for (int v = 0; v < kAll; ++v) {
    const Lanes low = (c1[v] << 32) | (c0[v] & kLow), high = (c3[v] << 32) | (c2[v] & kLow);
    std::uint64_t* group = words + (v / kVectors) * RandomStream::kGroupWords;
    const int offset = (v % kVectors) * kLanes;
    __builtin_memcpy(group + offset, &low, sizeof low);
    __builtin_memcpy(group + RandomStream::kGroupWords / 2 + offset, &high, sizeof high);
  }
}

}  // namespace

RandomStream::RandomStream(std::uint64_t seed, std::uint64_t stream)
    : key_{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32)},
      stream_(stream) {}

void RandomStream::generate(std::uint64_t group) {
  philox_groups<1>(group, stream_, key_, words_);
  cached_group_ = group;
}

void RandomStream::fill(std::span<std::uint64_t> out) {
  std::size_t k = 0;
  // Finish the current group word by word, then whole groups straight into `out`.
  while (k < out.size() && position_ % kGroupWords != 0) out[k++] = next_u64();
  constexpr int kBatch = 4;  // groups per call
  while (out.size() - k >= kBatch * kGroupWords) {
    philox_groups<kBatch>(position_ / kGroupWords, stream_, key_, out.data() + k);
    position_ += kBatch * kGroupWords;
    k += kBatch * kGroupWords;
  }
  while (out.size() - k >= kGroupWords) {
    philox_groups<1>(position_ / kGroupWords, stream_, key_, out.data() + k);
    position_ += kGroupWords;
    k += kGroupWords;
  }
  while (k < out.size()) out[k++] = next_u64();
}

}  // namespace qgen::core
