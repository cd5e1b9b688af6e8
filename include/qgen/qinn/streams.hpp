// The QINN's random numbers: every draw comes from a counter-based stream (core/random_stream)
// keyed by (seed, purpose, step), and event i of a batch takes the words from a position fixed
// by i, so no result depends on the number of ranks or on which rank draws what.
#pragma once

#include <cstdint>
#include <span>

namespace qgen::qinn {

enum class Purpose : std::uint32_t {
  init_angles = 1,     // step 0
  init_network,        // step 0
  shuffle,             // step = epoch
  generated,           // step = optimiser update: latents of the batch's generated events
  reference,           // step = optimiser update: the N(0, 1) sample of the latent MMD
  validation_generated,  // step = validation batch
  validation_reference,  // step = validation batch
  test_generated,      // step = test batch (metrics)
  test_reference,      // step = test batch
  samples,             // step 0: qgen qinn sample's and the results' generated events
};

std::uint64_t stream_of(Purpose purpose, std::uint64_t step);

/// Standard normal values number first .. first + out.size() - 1 of the stream (Box-Muller:
/// value j from words 2j and 2j + 1, the cosine branch only).
void normal_values(std::uint64_t seed, std::uint64_t stream, std::uint64_t first,
                   std::span<double> out);

}  // namespace qgen::qinn
