#include "shared_segment.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <atomic>
#include <string>
#include <utility>

namespace qgen::sim::detail {
namespace {

// Whether every rank of `group` is on this rank's node.
bool one_node(const core::Ranks& group) {
  int all = core::ranks_on_node(group) == group.size ? 1 : 0;
  MPI_Allreduce(MPI_IN_PLACE, &all, 1, MPI_INT, MPI_MIN, group.comm);
  return all == 1;
}

}  // namespace

SharedSegment& SharedSegment::operator=(SharedSegment&& other) noexcept {
  if (this != &other) {
    unmap();
    base_ = std::exchange(other.base_, nullptr);
    part_bytes_ = std::exchange(other.part_bytes_, 0);
    total_bytes_ = std::exchange(other.total_bytes_, 0);
  }
  return *this;
}

void SharedSegment::unmap() {
  if (base_ != nullptr) munmap(base_, total_bytes_);
  base_ = nullptr;
}

SharedSegment SharedSegment::map(const core::Ranks& group, std::size_t bytes_per_rank) {
  SharedSegment segment;
  if (!one_node(group)) return segment;
  constexpr std::size_t kRound = std::size_t{2} << 20;
  // A page more per part, in which each part starts at its own stagger (part()).
  segment.part_bytes_ = (bytes_per_rank + kRound - 1) / kRound * kRound + 4096;
  segment.total_bytes_ = segment.part_bytes_ * group.size;

  // The lead creates and sizes it; tmpfs allocates pages on first touch, so each rank's part
  // lands on the memory of the rank that fills it. Free space is checked first: a write to a
  // page tmpfs cannot supply would be a SIGBUS, not an error.
  std::string name;
  if (group.lead()) {
    struct statvfs fs {};
    const bool room = statvfs("/dev/shm", &fs) == 0 &&
                      static_cast<double>(fs.f_bavail) * fs.f_frsize >= static_cast<double>(segment.total_bytes_);
    static std::atomic<int> counter{0};
    const std::string candidate = "/qgen-" + std::to_string(getpid()) + "-" + std::to_string(counter++);
    const int fd = room ? shm_open(candidate.c_str(), O_CREAT | O_EXCL | O_RDWR, 0600) : -1;
    if (fd >= 0) {
      if (ftruncate(fd, static_cast<off_t>(segment.total_bytes_)) == 0) name = candidate;
      else shm_unlink(candidate.c_str());
      close(fd);
    }
  }
  core::broadcast(group, name);
  int ok = 0;
  if (!name.empty()) {
    const int fd = shm_open(name.c_str(), O_RDWR, 0600);
    if (fd >= 0) {
      void* base = mmap(nullptr, segment.total_bytes_, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
      close(fd);
      if (base != MAP_FAILED) {
        segment.base_ = base;
        ok = 1;
      }
    }
  }
  MPI_Allreduce(MPI_IN_PLACE, &ok, 1, MPI_INT, MPI_MIN, group.comm);
  if (group.lead() && !name.empty()) shm_unlink(name.c_str());
  if (!ok) segment.unmap();
  return segment;
}

}  // namespace qgen::sim::detail
