// The ranks a piece of work runs on, and the few collective patterns every layer needs.
//
// qgen's rule: no rank ever waits forever for another. Work that can fail on one rank (reading
// a file on the lead, a simulation on any rank) runs inside `on_lead`, `collectively` or ends
// in `agree`, which tell every rank the outcome with one MPI_Allreduce before the next
// collective. If any rank failed, every rank throws:
//   - the rank that failed first (the lowest) rethrows its own exception if it is the lead,
//   - the lead otherwise throws an error of the same kind with that rank's message,
//   - every other rank throws a core::RemoteError of that kind (main prints nothing for it),
// so exactly one line is printed, by the lead, and every rank exits with the same code.
//
// Rank groups (DESIGN.md, "Parallel design"): the world split into groups of S consecutive
// ranks that share one distributed state vector; the groups split the circuits among them.
#pragma once

#include <mpi.h>

#include <algorithm>
#include <cstdint>
#include <exception>
#include <functional>
#include <span>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace qgen::core {

/// A communicator and this process's place in it. The lead rank (rank 0) alone reads inputs,
/// writes checkpoints and results, and talks to hardware backends.
struct Ranks {
  MPI_Comm comm = MPI_COMM_SELF;
  int rank = 0;
  int size = 1;
  bool lead() const { return rank == 0; }

  static Ranks of(MPI_Comm comm);
};

/// The world split into groups of `size()` consecutive ranks (group i = world ranks
/// [i S, (i+1) S)), by MPI_Comm_split. Owns its two communicators (freed on destruction, which
/// is collective like MPI_Comm_free): `group()`, this rank's group, and `across()`, the ranks
/// holding the same place in every group (its rank is the group index; the group leads together
/// when group().rank == 0), for reductions over the groups' results.
class RankGroups {
public:
  RankGroups() = default;
  RankGroups(const RankGroups&) = delete;
  RankGroups& operator=(const RankGroups&) = delete;
  RankGroups(RankGroups&& other) noexcept { *this = std::move(other); }
  RankGroups& operator=(RankGroups&& other) noexcept;
  ~RankGroups() { release(); }

  const Ranks& group() const { return group_; }
  const Ranks& across() const { return across_; }
  int index() const { return across_.rank; }  // this rank's group, in [0, count())
  int count() const { return across_.size; }  // number of groups G
  int size() const { return group_.size; }    // ranks per group S

private:
  friend RankGroups split_into_groups(const Ranks& world, int group_size);
  void release();
  Ranks group_, across_;
  bool owned_ = false;
};

/// Splits `world` into groups of `group_size` ranks. Collective over `world`. core::InputError
/// on every rank (one message, from the lead) when group_size is not a power of two or does
/// not divide world.size; core::InternalError when the ranks pass different sizes.
RankGroups split_into_groups(const Ranks& world, int group_size);

/// How many ranks of `ranks` share this rank's node (MPI_COMM_TYPE_SHARED). Collective.
int ranks_on_node(const Ranks& ranks);

/// Throws the agreed error on every rank if `local` (this rank's failure, or null) is set on
/// any rank; returns on every rank otherwise. Collective.
void agree(const Ranks& ranks, std::exception_ptr local);

/// Runs `work` on every rank; a failure anywhere is a failure everywhere (agree).
void collectively(const Ranks& ranks, const std::function<void()>& work);

/// Runs `work` on the lead rank only; its failure is a failure everywhere (agree).
void on_lead(const Ranks& ranks, const std::function<void()>& work);

/// The pairwise sum (core/tree_sum.hpp) of terms split over the group in slices of 2^L
/// consecutive terms, rank r holding slice r and passing its own subtree's sum: the slice sums
/// gathered in rank order and added as the top of the tree, the same on every rank and, bit for
/// bit, the pairwise sum of the whole. Collective.
double tree_total(const Ranks& group, double slice_sum);

/// Items [first, last) of part `part` when `items` are cut into `parts` contiguous blocks of
/// nearly equal size: floor(items/parts) or one more, the larger ones spread over the parts
/// (items * part / parts), block 0 (the lead's) never one of them.
std::pair<std::size_t, std::size_t> block_of(std::size_t items, int parts, int part);
/// The boundaries of all the blocks: parts + 1 entries from 0 to items.
std::vector<std::size_t> block_boundaries(std::size_t items, int parts);

/// Every rank's `local` values concatenated in rank order, on every rank; rank r contributes
/// boundaries[r+1] - boundaries[r] values. Collective.
std::vector<double> gather_blocks(const Ranks& ranks, std::span<const double> local,
                                  std::span<const std::size_t> boundaries);

/// The lead's value, on every rank.
template <typename T>
  requires std::is_arithmetic_v<T>
void broadcast(const Ranks& ranks, T& value);
template <typename T>
  requires std::is_arithmetic_v<T>
void broadcast(const Ranks& ranks, std::vector<T>& values);
void broadcast(const Ranks& ranks, std::string& text);
void broadcast(const Ranks& ranks, std::vector<std::string>& texts);

namespace detail {
template <typename T>
MPI_Datatype mpi_type() {
  if constexpr (std::is_same_v<T, double>) return MPI_DOUBLE;
  else if constexpr (std::is_same_v<T, float>) return MPI_FLOAT;
  else if constexpr (std::is_same_v<T, bool>) return MPI_CXX_BOOL;
  else if constexpr (std::is_same_v<T, char>) return MPI_CHAR;
  else if constexpr (std::is_signed_v<T> && sizeof(T) == 4) return MPI_INT32_T;
  else if constexpr (std::is_signed_v<T> && sizeof(T) == 8) return MPI_INT64_T;
  else if constexpr (std::is_unsigned_v<T> && sizeof(T) == 4) return MPI_UINT32_T;
  else {
    static_assert(std::is_unsigned_v<T> && sizeof(T) == 8, "no MPI type for this T");
    return MPI_UINT64_T;
  }
}
}  // namespace detail

template <typename T>
  requires std::is_arithmetic_v<T>
void broadcast(const Ranks& ranks, T& value) {
  MPI_Bcast(&value, 1, detail::mpi_type<T>(), 0, ranks.comm);
}

template <typename T>
  requires std::is_arithmetic_v<T>
void broadcast(const Ranks& ranks, std::vector<T>& values) {
  std::uint64_t n = values.size();
  broadcast(ranks, n);
  values.resize(n);
  // MPI counts are int: send in pieces below 2^30 elements.
  constexpr std::uint64_t kPiece = std::uint64_t{1} << 30;
  for (std::uint64_t first = 0; first < n; first += kPiece)
    MPI_Bcast(values.data() + first, static_cast<int>(std::min(kPiece, n - first)),
              detail::mpi_type<T>(), 0, ranks.comm);
}

}  // namespace qgen::core
