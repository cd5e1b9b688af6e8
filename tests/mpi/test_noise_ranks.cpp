// Noisy emulation does not depend on the number of ranks: a sweep batch (one angle shifted, as
// in LCD) split over the ranks in contiguous blocks, each rank emulating its block with shared
// prefixes, gives every circuit the distribution and the counts that one process computes for
// the whole batch, bit for bit, for both methods (trajectories keyed by trajectory id, not rank).
#include <gtest/gtest.h>
#include <mpi.h>

#include <vector>

#include "../support/dense_reference.hpp"
#include "../support/temp_dir.hpp"
#include "qgen/circuits/ansatz.hpp"
#include "qgen/core/parallel.hpp"
#include "qgen/hw/noisy_emulator.hpp"
#include "qgen/sim/sampling.hpp"

namespace qgen::hw {
namespace {

TEST(NoiseAcrossRanks, BatchResultsIndependentOfTheSplit) {
  const auto [comm, rank, size] = core::Ranks::of(MPI_COMM_WORLD);
  const DeviceModel device = DeviceModel::read_folder(testing::source_path("inputs/devices/ibmq_guadalupe"));
  const sim::Circuit c = circuits::build_qcbm_circuit({1, 6, 2, 0, circuits::InitialState::zero});
  const auto theta = testing::random_parameters(c.num_parameters(), 3);
  std::vector<std::vector<double>> sweep;
  for (int gate = 0; gate < 3; ++gate)
    for (int k = 0; k < 5; ++k) {
      sweep.push_back(theta);
      sweep.back()[3 * (6 + gate)] += 0.1 * k;
    }
  const int n = static_cast<int>(sweep.size()), first = rank * n / size, last = (rank + 1) * n / size;
  const std::uint32_t batch = 4;
  for (EmulationMethod method : {EmulationMethod::density_matrix, EmulationMethod::trajectories}) {
    EmulatorOptions options;
    options.method = method;
    options.trajectories = 40;
    options.noise.drift = 0.01;
    const NoisyEmulator emulator(device, c, options);
    const std::size_t dim = std::size_t{1} << c.num_qubits();

    std::vector<double> probabilities(n * dim, 0.0);
    std::vector<unsigned long long> counts(n * dim, 0);
    const std::vector<std::vector<double>> mine(sweep.begin() + first, sweep.begin() + last);
    const auto p = emulator.probabilities(mine, batch);
    for (int i = first; i < last; ++i) {
      std::copy(p[i - first].begin(), p[i - first].end(), probabilities.begin() + i * dim);
      core::RandomStream stream(9, core::stream_id(batch, i));
      const auto k = sim::sample_counts(p[i - first], 20000, stream);
      std::copy(k.begin(), k.end(), counts.begin() + i * dim);
    }
    MPI_Allreduce(MPI_IN_PLACE, probabilities.data(), static_cast<int>(probabilities.size()),
                  MPI_DOUBLE, MPI_SUM, comm);  // one non-zero term per entry: exact
    MPI_Allreduce(MPI_IN_PLACE, counts.data(), static_cast<int>(counts.size()),
                  MPI_UNSIGNED_LONG_LONG, MPI_SUM, comm);

    const auto all = emulator.probabilities(sweep, batch);  // the whole batch in one process
    for (int i = 0; i < n; ++i) {
      for (std::size_t x = 0; x < dim; ++x)
        ASSERT_EQ(probabilities[i * dim + x], all[i][x]) << core::name_of(method) << " circuit " << i;
      core::RandomStream stream(9, core::stream_id(batch, i));
      const auto k = sim::sample_counts(all[i], 20000, stream);
      for (std::size_t x = 0; x < dim; ++x) ASSERT_EQ(counts[i * dim + x], k[x]);
    }
  }
}

}  // namespace
}  // namespace qgen::hw
