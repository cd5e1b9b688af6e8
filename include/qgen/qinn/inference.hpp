// A trained QINN applied to many events, the events split over the ranks in blocks of whole
// chunks (a result per event does not depend on the split, qinn/event_chunk.hpp) and every
// rank receiving all results. Collective.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "qgen/core/parallel.hpp"
#include "qgen/qinn/model.hpp"

namespace qgen::qinn {

/// `count` generated events, physical units (count x n): latents z ~ N(0, 1)^n from the stream
/// (seed, samples), event i at position i n, through the inverse map.
std::vector<double> generate_events(const core::Ranks& ranks, QinnModel& model,
                                    std::span<const double> parameters, std::size_t count,
                                    std::uint64_t seed);

/// g(f(s)) of scaled events (N x n): the reconstruction that the invertibility loss trains.
std::vector<double> reconstruct_events(const core::Ranks& ranks, QinnModel& model,
                                       std::span<const double> parameters,
                                       std::span<const double> scaled);

/// log p(x) of scaled events (qinn/model.hpp), per unit of the physical features.
std::vector<double> log_densities(const core::Ranks& ranks, QinnModel& model,
                                  std::span<const double> parameters, std::span<const double> scaled);

}  // namespace qgen::qinn
