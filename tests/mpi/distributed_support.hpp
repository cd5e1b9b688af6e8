// Shared by the distributed-state tests: the rank groups of every size the world allows, and
// states loaded from whole reference vectors.
#pragma once

#include <mpi.h>

#include <complex>
#include <vector>

#include "qgen/core/parallel.hpp"
#include "qgen/sim/distributed_state.hpp"

namespace qgen::testing {

inline core::Ranks world() { return core::Ranks::of(MPI_COMM_WORLD); }

/// Group sizes 1, 2, 4, ... up to the number of ranks (those that divide it).
inline std::vector<int> group_sizes() {
  std::vector<int> sizes;
  for (int s = 1; s <= world().size; s *= 2)
    if (world().size % s == 0) sizes.push_back(s);
  return sizes;
}

/// Canonical layout, amplitudes of this rank's slice of `all`.
inline void load(sim::DistributedStateVector& state, const std::vector<std::complex<double>>& all) {
  state.set_basis_state(0);
  const std::size_t n = state.local().size();
  for (std::size_t i = 0; i < n; ++i) state.local().set_amplitude(i, all[state.first_index() + i]);
}

/// The whole state on every rank (canonical layout).
inline std::vector<std::complex<double>> gather(const sim::DistributedStateVector& state) {
  const std::size_t n = state.local().size();
  std::vector<double> mine(2 * n), all(2 * n * state.group().size);
  for (std::size_t i = 0; i < n; ++i) {
    mine[2 * i] = state.local().real()[i];
    mine[2 * i + 1] = state.local().imag()[i];
  }
  MPI_Allgather(mine.data(), static_cast<int>(2 * n), MPI_DOUBLE, all.data(), static_cast<int>(2 * n),
                MPI_DOUBLE, state.group().comm);
  std::vector<std::complex<double>> out(n * state.group().size);
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = {all[2 * i], all[2 * i + 1]};
  return out;
}

}  // namespace qgen::testing
