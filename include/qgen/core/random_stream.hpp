// Counter-based random numbers: a stream is a pure function of (seed, stream id, position).
//
// Built on Random123's Philox4x32-10 (Salmon et al., SC'11): key = the 64-bit seed, counter =
// (64-bit block number, 64-bit stream id), four 32-bit outputs (v0, v1, v2, v3) per block.
// Words come in groups of 32 from 16 consecutive blocks: word 32g + j is (v1 << 32 | v0) of
// block 16g + j for j < 16, and (v3 << 32 | v2) of block 16g + j - 16 for j >= 16. That order
// lets a whole group be computed with vector instructions and stored directly (`fill`); tests
// hold every word equal to Random123's own Philox.
#pragma once

#include <cstdint>
#include <span>


namespace qgen::core {

/// The stream of the shots of circuit `circuit` at training step `step`.
constexpr std::uint64_t stream_id(std::uint32_t step, std::uint32_t circuit) {
  return (std::uint64_t{step} << 32) | circuit;
}

class RandomStream {
public:
  static constexpr int kGroupWords = 32;

  RandomStream(std::uint64_t seed, std::uint64_t stream);

  /// 64 uniformly distributed bits: word number position() of the stream.
  std::uint64_t next_u64() {
    const std::uint64_t group = position_ / kGroupWords;
    if (group != cached_group_) generate(group);
    return words_[position_++ % kGroupWords];
  }

  /// Uniform in [0, 1) with 53 random bits.
  double next_uniform() { return static_cast<double>(next_u64() >> 11) * 0x1.0p-53; }

  /// The next `out.size()` words, exactly those next_u64() would return, whole groups computed
  /// straight into `out`: the fast path for drawing shots.
  void fill(std::span<std::uint64_t> out);

  /// Number of 64-bit words drawn so far; seek(position()) on a stream with the same seed and
  /// id continues exactly where this one is.
  std::uint64_t position() const { return position_; }
  void seek(std::uint64_t position) { position_ = position; }

  /// The Philox block and output half behind word `position` (for tests against Random123).
  static std::uint64_t block_of(std::uint64_t position) {
    return position / kGroupWords * (kGroupWords / 2) + position % (kGroupWords / 2);
  }
  static bool high_half_of(std::uint64_t position) {
    return position % kGroupWords >= kGroupWords / 2;
  }

private:
  void generate(std::uint64_t group);

  std::uint32_t key_[2];
  std::uint64_t stream_;
  std::uint64_t position_ = 0;
  std::uint64_t cached_group_ = ~std::uint64_t{0};
  std::uint64_t words_[kGroupWords]{};
};

}  // namespace qgen::core
