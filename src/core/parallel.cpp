#include "qgen/core/parallel.hpp"

#include <string>
#include <utility>

#include "qgen/core/errors.hpp"
#include "qgen/core/tree_sum.hpp"

namespace qgen::core {

Ranks Ranks::of(MPI_Comm comm) {
  Ranks r;
  r.comm = comm;
  MPI_Comm_rank(comm, &r.rank);
  MPI_Comm_size(comm, &r.size);
  return r;
}

RankGroups& RankGroups::operator=(RankGroups&& other) noexcept {
  if (this != &other) {
    release();
    group_ = std::exchange(other.group_, Ranks{});
    across_ = std::exchange(other.across_, Ranks{});
    owned_ = std::exchange(other.owned_, false);
  }
  return *this;
}

void RankGroups::release() {
  if (!owned_) return;
  int finalized = 0;
  MPI_Finalized(&finalized);  // a group kept past MPI_Finalize has nothing left to free
  if (finalized) return;
  MPI_Comm_free(&group_.comm);
  MPI_Comm_free(&across_.comm);
  owned_ = false;
}

RankGroups split_into_groups(const Ranks& world, int group_size) {
  // Every rank checks the same numbers, but through agree(): the lead alone prints the message.
  collectively(world, [&] {
    int sizes[2] = {-group_size, group_size};
    MPI_Allreduce(MPI_IN_PLACE, sizes, 2, MPI_INT, MPI_MAX, world.comm);
    if (-sizes[0] != sizes[1])
      throw InternalError("rank groups: the ranks asked for different group sizes (" +
                          std::to_string(-sizes[0]) + " to " + std::to_string(sizes[1]) + ")");
    const bool power_of_two = group_size > 0 && (group_size & (group_size - 1)) == 0;
    if (!power_of_two)
      throw InputError("group size " + std::to_string(group_size) +
                       " is not a power of two (1, 2, 4, 8, ...)");
    if (world.size % group_size != 0)
      throw InputError("group size " + std::to_string(group_size) + " does not divide the " +
                       std::to_string(world.size) + " ranks");
  });
  RankGroups groups;
  MPI_Comm group, across;
  // Consecutive ranks form a group: under block placement they share a node, where the
  // exchanges of a distributed state are cheapest.
  MPI_Comm_split(world.comm, world.rank / group_size, world.rank % group_size, &group);
  MPI_Comm_split(world.comm, world.rank % group_size, world.rank / group_size, &across);
  groups.group_ = Ranks::of(group);
  groups.across_ = Ranks::of(across);
  groups.owned_ = true;
  return groups;
}

int ranks_on_node(const Ranks& ranks) {
  MPI_Comm node;
  MPI_Comm_split_type(ranks.comm, MPI_COMM_TYPE_SHARED, ranks.rank, MPI_INFO_NULL, &node);
  int size = 1;
  MPI_Comm_size(node, &size);
  MPI_Comm_free(&node);
  return size;
}

void agree(const Ranks& ranks, std::exception_ptr local) {
  int mine = local ? ranks.rank : ranks.size, origin = ranks.size;
  MPI_Allreduce(&mine, &origin, 1, MPI_INT, MPI_MIN, ranks.comm);
  if (origin == ranks.size) return;

  // The first failing rank tells everyone what went wrong.
  ErrorText text;
  if (ranks.rank == origin) text = error_text(local);
  int kind = static_cast<int>(text.kind);
  MPI_Bcast(&kind, 1, MPI_INT, origin, ranks.comm);
  std::uint64_t length = text.message.size();
  MPI_Bcast(&length, 1, MPI_UINT64_T, origin, ranks.comm);
  text.message.resize(length);
  MPI_Bcast(text.message.data(), static_cast<int>(length), MPI_CHAR, origin, ranks.comm);
  text.kind = static_cast<ErrorKind>(kind);

  if (ranks.lead() && origin == ranks.rank) std::rethrow_exception(local);
  if (ranks.lead()) {
    // Input and data messages name their file or option already; others say where they arose.
    const bool say_rank = text.kind == ErrorKind::petsc || text.kind == ErrorKind::internal;
    throw_error(text.kind, (say_rank ? "rank " + std::to_string(origin) + ": " : "") + text.message);
  }
  throw RemoteError(text.kind, text.message);
}

void collectively(const Ranks& ranks, const std::function<void()>& work) {
  std::exception_ptr failure;
  try {
    work();
  } catch (...) {
    failure = std::current_exception();
  }
  agree(ranks, failure);
}

void on_lead(const Ranks& ranks, const std::function<void()>& work) {
  std::exception_ptr failure;
  if (ranks.lead()) {
    try {
      work();
    } catch (...) {
      failure = std::current_exception();
    }
  }
  agree(ranks, failure);
}

void broadcast(const Ranks& ranks, std::string& text) {
  std::vector<char> bytes(text.begin(), text.end());
  broadcast(ranks, bytes);
  text.assign(bytes.begin(), bytes.end());
}

void broadcast(const Ranks& ranks, std::vector<std::string>& texts) {
  std::uint64_t n = texts.size();
  broadcast(ranks, n);
  texts.resize(n);
  for (std::string& t : texts) broadcast(ranks, t);
}

std::pair<std::size_t, std::size_t> block_of(std::size_t items, int parts, int part) {
  const auto p = static_cast<std::size_t>(part), n = static_cast<std::size_t>(parts);
  return {items * p / n, items * (p + 1) / n};
}

std::vector<std::size_t> block_boundaries(std::size_t items, int parts) {
  std::vector<std::size_t> boundaries(parts + 1);
  for (int part = 0; part < parts; ++part) boundaries[part] = block_of(items, parts, part).first;
  boundaries[parts] = items;
  return boundaries;
}

std::vector<double> gather_blocks(const Ranks& ranks, std::span<const double> local,
                                  std::span<const std::size_t> boundaries) {
  std::vector<int> sizes(ranks.size), offsets(ranks.size);
  for (int r = 0; r < ranks.size; ++r) {
    sizes[r] = static_cast<int>(boundaries[r + 1] - boundaries[r]);
    offsets[r] = static_cast<int>(boundaries[r]);
  }
  if (local.size() != static_cast<std::size_t>(sizes[ranks.rank]))
    throw InternalError("gather_blocks: rank " + std::to_string(ranks.rank) + " holds " +
                        std::to_string(local.size()) + " values, its block " + std::to_string(sizes[ranks.rank]));
  std::vector<double> all(boundaries.back());
  MPI_Allgatherv(local.data(), sizes[ranks.rank], MPI_DOUBLE, all.data(), sizes.data(), offsets.data(),
                 MPI_DOUBLE, ranks.comm);
  return all;
}

double tree_total(const Ranks& group, double slice_sum) {
  if (group.size == 1) return slice_sum;
  std::vector<double> sums(group.size);
  MPI_Allgather(&slice_sum, 1, MPI_DOUBLE, sums.data(), 1, MPI_DOUBLE, group.comm);
  TreeSum total;
  for (double s : sums) total.add(s);
  return total.total();
}

}  // namespace qgen::core
