// Shots from a distribution held in local slices over a group (sim/distributed_simulator.hpp),
// with exactly the counts sim::sample_counts draws from the whole distribution with the same
// counter-based stream (keyed by seed, step and circuit id), whatever the group size.
//
// Above kLargestAliasTable states (Q > 24) the single-rank sampler itself draws by the integer
// CDF (sim/cdf_sampling.hpp), whose counts no partition changes: every rank draws all the
// shots' words (so the streams stay in step), keeps those that land in its slice and counts
// them there. Nothing is gathered; per rank 4 B per state of its slice for the counts and 8 B
// per shot it keeps. Below, the alias table:
//
// How. The alias table (sim/sampling.hpp) is built in one sequential sweep whose outcome
// depends on the whole distribution in index order (its compensated total, which large column
// tops up which small one), so no partition of that work reproduces the single-rank table bit
// for bit. Instead the group's lead gathers the slices, in index order -- exactly the vector a
// single rank holds -- and draws the shots there with sim::sample_counts itself (one stream
// word per shot); every other rank moves its stream past the same words, so that all streams
// stay in step, and receives its slice of the counts. Since DistributedSimulator's
// probabilities equal the single-rank ones bit for bit, so do the counts.
//
// Cost: the lead holds the whole distribution, the table and the counts, 40 B x 2^Q (at most
// 640 MiB, at Q = 24), checked against its free memory before anything is gathered
// (core::InputError, one message, every rank). Drawing is sequential on the lead either way: the
// gather (8 B x 2^Q over the group's links) is the price of exact equality. As sim::ShotSampler,
// a DistributedShotSampler keeps its buffers from call to call (one per thread of work): for
// large slices first touching them costs more than drawing (at Q = 28 on 2 ranks, 2.8-3.3 s
// against 0.88 s: tests/bench/bench_distributed.cpp).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "qgen/core/parallel.hpp"
#include "qgen/core/random_stream.hpp"
#include "qgen/sim/sampling.hpp"

namespace qgen::sim {

class DistributedShotSampler {
public:
  /// This rank's slice of the counts of `shots` draws from the distribution whose local slices
  /// the ranks pass in `probabilities` (valid until the next call). Collective over the group.
  std::span<const std::uint32_t> count(const core::Ranks& group, std::span<const double> probabilities,
                                       std::uint64_t shots, core::RandomStream& stream);
  /// This rank's slice of counts / shots, as ShotSampler::estimate. Collective over the group.
  void estimate(const core::Ranks& group, std::span<const double> probabilities, std::uint64_t shots,
                core::RandomStream& stream, std::span<double> estimate);

private:
  std::span<const std::uint32_t> count_by_cdf(const core::Ranks& group, std::span<const double> probabilities,
                                              std::uint64_t shots, core::RandomStream& stream);

  std::vector<double> all_;  // the whole distribution, on the lead (alias table)
  ShotSampler sampler_;      // on the lead (alias table)
  CdfSlicer slicer_;         // on every rank (integer CDF)
  std::vector<std::uint32_t> mine_;
};

/// The same with a sampler of its own, as sim::sample_counts. Collective over the group.
std::vector<std::uint64_t> sample_counts(const core::Ranks& group,
                                         std::span<const double> probabilities,
                                         std::uint64_t shots, core::RandomStream& stream);

}  // namespace qgen::sim
