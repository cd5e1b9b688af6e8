// Counter-based random numbers: a stream is a pure function of (seed, stream id, position).
//
// Built on Random123's Philox4x32-10 (Salmon et al., SC'11): key = the 64-bit seed, counter =
// (64-bit position, 64-bit stream id). Because the n-th number of a stream depends on nothing
// but (seed, stream, n), whichever MPI rank draws a circuit's shots draws the same ones, and a
// restarted run continues the same sequence: the result never depends on the number of ranks.
#pragma once

#include <cstdint>

#include <Random123/philox.h>

namespace qgen::sim {

/// The stream of the shots of circuit `circuit` at training step `step`.
constexpr std::uint64_t stream_id(std::uint32_t step, std::uint32_t circuit) {
  return (std::uint64_t{step} << 32) | circuit;
}

class RandomStream {
public:
  RandomStream(std::uint64_t seed, std::uint64_t stream);

  /// 64 uniformly distributed bits: word number position() of the stream.
  std::uint64_t next_u64() {
    const std::uint64_t block = position_ >> 1;  // each Philox call yields two words
    if (block != cached_block_) generate(block);
    return words_[position_++ & 1];
  }

  /// Uniform in [0, 1) with 53 random bits.
  double next_uniform() { return static_cast<double>(next_u64() >> 11) * 0x1.0p-53; }

  /// Number of 64-bit words drawn so far; seek(position()) on a stream with the same seed and
  /// id continues exactly where this one is.
  std::uint64_t position() const { return position_; }
  void seek(std::uint64_t position) { position_ = position; }

private:
  void generate(std::uint64_t block);

  r123::Philox4x32 generator_;
  r123::Philox4x32::key_type key_;
  std::uint64_t stream_;
  std::uint64_t position_ = 0;
  std::uint64_t cached_block_ = ~std::uint64_t{0};
  std::uint64_t words_[2]{};
};

}  // namespace qgen::sim
