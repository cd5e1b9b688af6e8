#include "qgen/qinn/inference.hpp"

#include <mpi.h>

#include <functional>

#include "qgen/qinn/streams.hpp"

namespace qgen::qinn {
namespace {

// Runs `work(first, count, out)` on this rank's block of `events` (whole chunks) and gathers
// every rank's `width` outputs per event. Failures are agreed before the gather.
std::vector<double> over_ranks(const core::Ranks& ranks, std::size_t events, int chunk, int width,
                               const std::function<void(std::size_t, std::size_t, std::span<double>)>& work) {
  const std::size_t chunks = (events + chunk - 1) / chunk;
  std::vector<int> counts(ranks.size), displacements(ranks.size);
  for (int r = 0; r < ranks.size; ++r) {
    const std::size_t a = std::min(events, chunks * r / ranks.size * chunk);
    const std::size_t b = std::min(events, chunks * (r + 1) / ranks.size * chunk);
    displacements[r] = static_cast<int>(a * width);
    counts[r] = static_cast<int>((b - a) * width);
  }
  std::vector<double> mine(counts[ranks.rank]), all(events * width);
  core::collectively(ranks, [&] {
    work(displacements[ranks.rank] / width, counts[ranks.rank] / width, mine);
  });
  MPI_Allgatherv(mine.data(), counts[ranks.rank], MPI_DOUBLE, all.data(), counts.data(),
                 displacements.data(), MPI_DOUBLE, ranks.comm);
  return all;
}

}  // namespace

std::vector<double> generate_events(const core::Ranks& ranks, QinnModel& model,
                                    std::span<const double> p, std::size_t count, std::uint64_t seed) {
  const int n = model.features();
  return over_ranks(ranks, count, model.options().chunk, n, [&](std::size_t first, std::size_t m, std::span<double> out) {
    std::vector<double> z(m * n);
    normal_values(seed, stream_of(Purpose::samples, 0), first * n, z);
    model.inverse(p, z, out);
    for (std::size_t i = 0; i < out.size(); ++i) out[i] = model.scaling().to_physical(i % n, out[i]);
  });
}

std::vector<double> reconstruct_events(const core::Ranks& ranks, QinnModel& model,
                                       std::span<const double> p, std::span<const double> scaled) {
  const int n = model.features();
  return over_ranks(ranks, scaled.size() / n, model.options().chunk, n,
                    [&](std::size_t first, std::size_t m, std::span<double> out) {
                      std::vector<double> z(m * n);
                      model.latent(p, scaled.subspan(first * n, m * n), z);
                      model.inverse(p, z, out);
                    });
}

std::vector<double> log_densities(const core::Ranks& ranks, QinnModel& model,
                                  std::span<const double> p, std::span<const double> scaled) {
  const int n = model.features();
  return over_ranks(ranks, scaled.size() / n, model.options().chunk, 1,
                    [&](std::size_t first, std::size_t m, std::span<double> out) {
                      model.log_density(p, scaled.subspan(first * n, m * n), out);
                    });
}

}  // namespace qgen::qinn
