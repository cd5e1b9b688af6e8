// Internal to the distributed state: one POSIX shared-memory segment that every rank of a
// group on one node maps, each rank's amplitudes in its own part, so that an exchange is a
// direct swap between two ranks' parts instead of MPI messages (which cost 2-4 times more on
// one node here: tests/bench/bench_distributed.cpp).
//
// Mapping is collective and agreed: if any rank cannot map it (not one node, /dev/shm too
// small, shm_open refused), no rank uses it and the caller falls back to messages. Unmapping
// is local, so a state can be destroyed by one rank alone (no collective in a destructor).
// The name is unlinked as soon as every rank has mapped it: nothing is left behind in
// /dev/shm, even if the job is killed.
#pragma once

#include <cstddef>

#include "qgen/core/parallel.hpp"

namespace qgen::sim::detail {

class SharedSegment {
public:
  SharedSegment() = default;
  SharedSegment(const SharedSegment&) = delete;
  SharedSegment& operator=(const SharedSegment&) = delete;
  SharedSegment(SharedSegment&& other) noexcept { *this = std::move(other); }
  SharedSegment& operator=(SharedSegment&& other) noexcept;
  ~SharedSegment() { unmap(); }

  /// `bytes_per_rank` for every rank of `group` (rounded up to 2 MiB, and staggered: part()),
  /// or an empty segment on every rank when it cannot be mapped everywhere. Collective.
  static SharedSegment map(const core::Ranks& group, std::size_t bytes_per_rank);

  bool mapped() const { return base_ != nullptr; }
  /// Rank r's part (64-byte aligned).
  double* part(int rank) const {
    return reinterpret_cast<double*>(static_cast<char*>(base_) + rank * part_bytes_ + stagger(rank));
  }
  /// Parts a power of two apart put a rank's amplitudes and its partner's (rank ^ 2^j) at the
  /// same address modulo 4 KiB: every store then aliased the next loads (4K aliasing) and an
  /// exchange on a low bit ran 20-40x slower at Q = 26. Each part starts 64 B x (the sum of its
  /// rank's base-64 digits, modulo 64) into its page, which differs between any two partners.
  static std::size_t stagger(int rank) {
    std::size_t digits = 0;
    for (unsigned r = static_cast<unsigned>(rank); r != 0; r >>= 6) digits += r & 63;
    return 64 * (digits % 64);
  }

private:
  void unmap();

  void* base_ = nullptr;
  std::size_t part_bytes_ = 0, total_bytes_ = 0;
};

}  // namespace qgen::sim::detail
