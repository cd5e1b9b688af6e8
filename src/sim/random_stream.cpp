#include "qgen/sim/random_stream.hpp"

namespace qgen::sim {

RandomStream::RandomStream(std::uint64_t seed, std::uint64_t stream) : stream_(stream) {
  key_ = {{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32)}};
}

void RandomStream::seek(std::uint64_t position) {
  position_ = position;
  buffered_ = 0;
}

void RandomStream::refill() {
  const r123::Philox4x32::ctr_type counter = {
      {static_cast<std::uint32_t>(position_), static_cast<std::uint32_t>(position_ >> 32),
       static_cast<std::uint32_t>(stream_), static_cast<std::uint32_t>(stream_ >> 32)}};
  const auto r = generator_(counter, key_);
  ++position_;
  // Handed out in the order buffer_[1], buffer_[0].
  buffer_[1] = (std::uint64_t{r.v[1]} << 32) | r.v[0];
  buffer_[0] = (std::uint64_t{r.v[3]} << 32) | r.v[2];
  buffered_ = 2;
}

}  // namespace qgen::sim
