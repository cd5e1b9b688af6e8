// Timing helpers for benchmarks that compare runs on all ranks with runs on rank 0 alone.
#pragma once

#include <mpi.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <thread>
#include <vector>

namespace qgen::bench {

inline double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? NAN : v[v.size() / 2];
}

// A barrier that waits without occupying a core (a spinning MPI_Barrier would, and the other
// ranks must not slow rank 0's solo run). Every rank calls it: MPI_Ibarrier matches only itself.
inline void idle_barrier(MPI_Comm comm) {
  MPI_Request request;
  MPI_Ibarrier(comm, &request);
  for (int done = 0; !done;) {
    MPI_Test(&request, &done, MPI_STATUS_IGNORE);
    if (!done) std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
}

}  // namespace qgen::bench
