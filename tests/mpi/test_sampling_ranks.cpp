// Shot counts do not depend on which rank draws them: every circuit's counts, drawn by
// whichever rank owns it under a round-robin split, equal the counts every rank computes alone.
#include <gtest/gtest.h>
#include <mpi.h>

#include <vector>

#include "qgen/circuits/ansatz.hpp"
#include "qgen/core/random_stream.hpp"
#include "qgen/sim/sampling.hpp"
#include "qgen/sim/simulator.hpp"
#include "../support/dense_reference.hpp"

namespace qgen::sim {
namespace {

TEST(SamplingAcrossRanks, CountsIndependentOfTheDrawingRank) {
  int rank = 0, size = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);

  const Circuit c = circuits::build_qcbm_circuit({2, 8, 3, 4, circuits::InitialState::bell});
  const Simulator sim(c);
  const int num_circuits = 13;
  const std::uint64_t shots = 8192, seed = 12345;
  const std::size_t dim = std::size_t{1} << c.num_qubits();

  auto counts_of = [&](int circuit) {
    const auto theta = testing::random_parameters(c.num_parameters(), circuit);
    core::RandomStream stream(seed, core::stream_id(/*step=*/7, circuit));
    return sample_counts(sim.probabilities(theta), shots, stream);
  };

  std::vector<unsigned long long> shared(num_circuits * dim, 0);
  for (int k = rank; k < num_circuits; k += size) {
    const auto counts = counts_of(k);
    std::copy(counts.begin(), counts.end(), shared.begin() + k * dim);
  }
  MPI_Allreduce(MPI_IN_PLACE, shared.data(), static_cast<int>(shared.size()),
                MPI_UNSIGNED_LONG_LONG, MPI_SUM, MPI_COMM_WORLD);

  for (int k = 0; k < num_circuits; ++k) {
    const auto mine = counts_of(k);
    for (std::size_t x = 0; x < dim; ++x)
      ASSERT_EQ(shared[k * dim + x], mine[x]) << "circuit " << k << " outcome " << x;
  }
}

}  // namespace
}  // namespace qgen::sim
