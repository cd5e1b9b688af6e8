#include "qgen/sim/random_stream.hpp"

namespace qgen::sim {

RandomStream::RandomStream(std::uint64_t seed, std::uint64_t stream) : stream_(stream) {
  key_ = {{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32)}};
}

void RandomStream::generate(std::uint64_t block) {
  // Counter = (block, stream id), 2 x 64 bits; the four 32-bit outputs make two words.
  const r123::Philox4x32::ctr_type counter = {
      {static_cast<std::uint32_t>(block), static_cast<std::uint32_t>(block >> 32),
       static_cast<std::uint32_t>(stream_), static_cast<std::uint32_t>(stream_ >> 32)}};
  const auto r = generator_(counter, key_);
  words_[0] = (std::uint64_t{r.v[1]} << 32) | r.v[0];
  words_[1] = (std::uint64_t{r.v[3]} << 32) | r.v[2];
  cached_block_ = block;
}

}  // namespace qgen::sim
