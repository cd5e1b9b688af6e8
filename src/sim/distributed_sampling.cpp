#include "qgen/sim/distributed_sampling.hpp"

#include <algorithm>
#include <bit>
#include <string>

#include "qgen/core/errors.hpp"
#include "qgen/core/memory.hpp"
#include "qgen/sim/distributed_probabilities.hpp"

namespace qgen::sim {
namespace {

constexpr std::size_t kPiece = std::size_t{1} << 26;  // MPI counts are int
constexpr int kCountsTag = 7303;
// Bytes per basis state on the lead: the gathered distribution (8), the alias table's
// thresholds, aliases and workspace (8 + 4 + 8 + 4 + 4) and the counts (4).
constexpr double kLeadBytesPerState = 40.0;

void check_lead_memory(const core::Ranks& group, std::size_t local_size, std::size_t held) {
  core::on_lead(group, [&] {
    const std::size_t n = local_size * group.size;
    const int num_qubits = std::bit_width(n) - 1;
    // What this sampler holds from earlier calls is reused, not allocated again.
    const double needed = kLeadBytesPerState * static_cast<double>(n - std::min(n, held));
    core::check_memory(needed, "drawing shots from " + std::to_string(num_qubits) +
                                   " qubits on the group's lead (the whole distribution and its alias table)");
  });
}

}  // namespace

std::span<const std::uint32_t> DistributedShotSampler::count(const core::Ranks& group,
                                                             std::span<const double> probabilities,
                                                             std::uint64_t shots,
                                                             core::RandomStream& stream) {
  const std::size_t n = probabilities.size();
  if (n * group.size > kLargestAliasTable) return count_by_cdf(group, probabilities, shots, stream);
  check_lead_memory(group, n, all_.size());
  gather_distribution(group, probabilities, all_);
  mine_.resize(n);
  std::span<const std::uint32_t> counts;
  core::on_lead(group, [&] { counts = sampler_.count(all_, shots, stream); });
  if (group.lead()) {
    std::copy_n(counts.begin(), n, mine_.begin());
    for (int r = 1; r < group.size; ++r)
      for (std::size_t at = 0; at < n; at += kPiece)
        MPI_Send(counts.data() + r * n + at, static_cast<int>(std::min(kPiece, n - at)),
                 MPI_UINT32_T, r, kCountsTag, group.comm);
  } else {
    // The same words as the lead drew: one per shot.
    stream.seek(stream.position() + shots);
    for (std::size_t at = 0; at < n; at += kPiece)
      MPI_Recv(mine_.data() + at, static_cast<int>(std::min(kPiece, n - at)), MPI_UINT32_T, 0,
               kCountsTag, group.comm, MPI_STATUS_IGNORE);
  }
  return mine_;
}

std::span<const std::uint32_t> DistributedShotSampler::count_by_cdf(const core::Ranks& group,
                                                                    std::span<const double> probabilities,
                                                                    std::uint64_t shots,
                                                                    core::RandomStream& stream) {
  // Each slice is a subtree of the whole's pairwise sum, so every rank finds the single-rank
  // total, scale and integer weights; the integer offsets are exact sums. Failures are agreed
  // (one message; a rank short of memory for its shots does not leave the others waiting).
  double slice_total = 0;
  core::collectively(group, [&] {
    check_shots(shots);
    slice_total = cdf_slice_total(probabilities);
  });
  const double total = core::tree_total(group, slice_total);
  CdfPlacement placement;
  core::collectively(group, [&] {
    placement.scale = cdf_scale(total);
    placement.slice = cdf_integer_total(probabilities, placement.scale);
  });
  MPI_Exscan(&placement.slice, &placement.offset, 1, MPI_UINT64_T, MPI_SUM, group.comm);
  if (group.lead()) placement.offset = 0;  // MPI_Exscan leaves rank 0's undefined
  MPI_Allreduce(&placement.slice, &placement.whole, 1, MPI_UINT64_T, MPI_SUM, group.comm);
  core::collectively(group, [&] {
    mine_.resize(probabilities.size());
    slicer_.draw(placement, probabilities, shots, stream, mine_);
  });
  return mine_;
}

void DistributedShotSampler::estimate(const core::Ranks& group, std::span<const double> probabilities,
                                      std::uint64_t shots, core::RandomStream& stream,
                                      std::span<double> estimate) {
  if (estimate.size() != probabilities.size())
    throw core::InternalError("estimate_probabilities: output size differs");
  const auto counts = count(group, probabilities, shots, stream);
  // As sim::ShotSampler::estimate: count times 1/shots.
  const double inverse = 1.0 / static_cast<double>(shots);
  for (std::size_t i = 0; i < estimate.size(); ++i) estimate[i] = counts[i] * inverse;
}

std::vector<std::uint64_t> sample_counts(const core::Ranks& group,
                                         std::span<const double> probabilities,
                                         std::uint64_t shots, core::RandomStream& stream) {
  DistributedShotSampler sampler;
  const auto counts = sampler.count(group, probabilities, shots, stream);
  return {counts.begin(), counts.end()};
}

}  // namespace qgen::sim
