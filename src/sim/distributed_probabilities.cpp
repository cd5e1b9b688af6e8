#include "qgen/sim/distributed_probabilities.hpp"

#include <algorithm>
#include <cstdint>

#include "qgen/core/errors.hpp"

namespace qgen::sim {
namespace {

// Pairwise sum of w_x p_x over [begin, end): the error grows as log(n), not n.
double pairwise_dot(const double* w, const double* p, std::size_t begin, std::size_t end) {
  if (end - begin <= 256) {
    double sum = 0.0;
    for (std::size_t i = begin; i < end; ++i) sum += w[i] * p[i];
    return sum;
  }
  const std::size_t middle = begin + (end - begin) / 2;
  return pairwise_dot(w, p, begin, middle) + pairwise_dot(w, p, middle, end);
}

// Messages of at most 2^26 doubles (MPI counts are int).
constexpr std::size_t kPiece = std::size_t{1} << 26;
constexpr int kGatherTag = 7302;
constexpr int kScatterTag = 7303;

}  // namespace

double weighted_sum(const core::Ranks& group, std::span<const double> weights,
                    std::span<const double> probabilities) {
  if (weights.size() != probabilities.size())
    throw core::InternalError("weighted_sum: weights and probabilities differ in size");
  double sum = probabilities.empty() ? 0.0 : pairwise_dot(weights.data(), probabilities.data(), 0, weights.size());
  MPI_Allreduce(MPI_IN_PLACE, &sum, 1, MPI_DOUBLE, MPI_SUM, group.comm);
  return sum;
}

std::vector<double> marginal(const core::Ranks& group, int num_qubits,
                             std::span<const double> probabilities, std::span<const int> qubits) {
  const int k = static_cast<int>(qubits.size());
  for (int q : qubits)
    if (q < 0 || q >= num_qubits)
      throw core::InternalError("marginal: qubit " + std::to_string(q) + " of " +
                                std::to_string(num_qubits));
  std::vector<double> out(std::size_t{1} << k, 0.0);
  const std::uint64_t first = static_cast<std::uint64_t>(group.rank) * probabilities.size();
  for (std::size_t i = 0; i < probabilities.size(); ++i) {
    const std::uint64_t x = first + i;
    std::size_t m = 0;
    for (int j = 0; j < k; ++j) m = (m << 1) | ((x >> (num_qubits - 1 - qubits[j])) & 1);
    out[m] += probabilities[i];
  }
  MPI_Allreduce(MPI_IN_PLACE, out.data(), static_cast<int>(out.size()), MPI_DOUBLE, MPI_SUM,
                group.comm);
  return out;
}

std::vector<double> gather_distribution(const core::Ranks& group, std::span<const double> local,
                                        bool everywhere) {
  std::vector<double> all;
  gather_distribution(group, local, all, everywhere);
  return all;
}

void gather_distribution(const core::Ranks& group, std::span<const double> local,
                         std::vector<double>& all, bool everywhere) {
  const std::size_t n = local.size();
  all.resize(group.lead() || everywhere ? n * group.size : 0);
  // Point to point in pieces: the offsets r 2^L overflow MPI's int displacements for Q > 31.
  if (group.lead()) {
    std::copy(local.begin(), local.end(), all.begin());
    for (int r = 1; r < group.size; ++r)
      for (std::size_t at = 0; at < n; at += kPiece)
        MPI_Recv(all.data() + r * n + at, static_cast<int>(std::min(kPiece, n - at)), MPI_DOUBLE, r,
                 kGatherTag, group.comm, MPI_STATUS_IGNORE);
  } else {
    for (std::size_t at = 0; at < n; at += kPiece)
      MPI_Send(local.data() + at, static_cast<int>(std::min(kPiece, n - at)), MPI_DOUBLE, 0,
               kGatherTag, group.comm);
  }
  if (everywhere)
    for (std::size_t at = 0; at < all.size(); at += kPiece)
      MPI_Bcast(all.data() + at, static_cast<int>(std::min(kPiece, all.size() - at)), MPI_DOUBLE, 0,
                group.comm);
}

std::vector<double> scatter_distribution(const core::Ranks& group, std::span<const double> all,
                                         std::size_t local_size) {
  const std::size_t n = local_size;
  std::vector<double> mine(n);
  if (group.lead()) {
    if (all.size() != n * group.size)
      throw core::InternalError("scatter_distribution: " + std::to_string(all.size()) +
                                " entries do not split into " + std::to_string(group.size) +
                                " slices of " + std::to_string(n));
    std::copy(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(n), mine.begin());
    for (int r = 1; r < group.size; ++r)
      for (std::size_t at = 0; at < n; at += kPiece)
        MPI_Send(all.data() + r * n + at, static_cast<int>(std::min(kPiece, n - at)), MPI_DOUBLE, r,
                 kScatterTag, group.comm);
  } else {
    for (std::size_t at = 0; at < n; at += kPiece)
      MPI_Recv(mine.data() + at, static_cast<int>(std::min(kPiece, n - at)), MPI_DOUBLE, 0,
               kScatterTag, group.comm, MPI_STATUS_IGNORE);
  }
  return mine;
}

std::span<const double> local_slice(const core::Ranks& group, std::span<const double> all) {
  if (all.size() % group.size != 0)
    throw core::InternalError("local_slice: the distribution does not split over the group");
  const std::size_t n = all.size() / group.size;
  return all.subspan(group.rank * n, n);
}

}  // namespace qgen::sim
