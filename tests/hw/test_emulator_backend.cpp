// The emulator as a backend (hw/emulator_backend.hpp): any share of a batch gives the counts
// the whole batch gives those circuits (what makes the counts independent of the ranks), every
// circuit's counts add up to the shots, and they follow NoisyEmulator::probabilities within
// shot noise (a chi-square test); the limits come from the device or the batch limit.
#include <gtest/gtest.h>
#include <mpi.h>

#include <cmath>
#include <numeric>

#include "../support/dense_reference.hpp"
#include "../support/temp_dir.hpp"
#include "shipped_devices.hpp"
#include "qgen/circuits/ansatz.hpp"
#include "qgen/hw/batch_queue.hpp"
#include "qgen/hw/emulator_backend.hpp"

namespace qgen::hw {
namespace {

using testing::guadalupe;


struct Fixture {
  sim::Circuit circuit = circuits::build_qcbm_circuit({1, 3, 1, 0, circuits::InitialState::zero});
  std::shared_ptr<const NoisyEmulator> emulator;
  BatchRequest batch;

  Fixture() {
    EmulatorOptions o;  // the device's full noise, with drift so that the batch number matters
    o.noise.drift = 0.02;
    emulator = std::make_shared<NoisyEmulator>(guadalupe(), circuit, o);
    batch = {"sweep", 3, 20000, {}};
    const auto theta = testing::random_parameters(circuit.num_parameters(), 12);
    for (int k = 0; k < 7; ++k) {
      batch.parameter_sets.push_back(theta);
      batch.parameter_sets.back()[k] += 0.3 * k;
    }
  }
};

TEST(EmulatorBackend, SharesEqualTheWholeBatch) {
  const Fixture f;
  EmulatorBackend backend(f.emulator, 5);
  EXPECT_TRUE(backend.parallel());
  EXPECT_EQ(backend.num_qubits(), 3);
  const auto whole = backend.counts_of_share(f.batch, 0, f.batch.parameter_sets.size());
  ASSERT_EQ(whole.size(), 7u);
  for (std::size_t first = 0; first < 7; ++first)
    for (std::size_t count = 0; first + count <= 7; ++count) {
      const auto part = backend.counts_of_share(f.batch, first, count);
      ASSERT_EQ(part.size(), count);
      for (std::size_t i = 0; i < count; ++i) ASSERT_EQ(part[i], whole[first + i]) << first << " + " << i;
    }
  // The queue hands a parallel backend's share straight through.
  const std::vector<std::size_t> share{0, 7};
  const auto queued = run_batch(core::Ranks::of(MPI_COMM_SELF), backend, f.batch, share);
  ASSERT_TRUE(queued);
  EXPECT_EQ(*queued, whole);
}

TEST(EmulatorBackend, CountsFollowTheEmulatedDistribution) {
  const Fixture f;
  const EmulatorBackend backend(f.emulator, 5);
  const auto counts = backend.counts_of_share(f.batch, 0, f.batch.parameter_sets.size());
  const auto p = f.emulator->probabilities(f.batch.parameter_sets, f.batch.number);
  double chi2 = 0.0;
  int dof = 0;
  for (std::size_t i = 0; i < counts.size(); ++i) {
    ASSERT_EQ(counts[i].size(), 8u);
    EXPECT_EQ(std::accumulate(counts[i].begin(), counts[i].end(), std::uint64_t{0}), 20000u);
    for (std::size_t x = 0; x < 8; ++x) {
      const double expected = 20000 * p[i][x];
      ASSERT_GT(expected, 5.0);  // noise puts weight on every outcome
      chi2 += std::pow(counts[i][x] - expected, 2) / expected;
    }
    dof += 7;
  }
  // 49 degrees of freedom: mean 49, standard deviation ~10; 100 is beyond 5 sigma.
  EXPECT_LT(chi2, 100.0) << dof << " degrees of freedom";
  EXPECT_GT(chi2, 15.0);  // not suspiciously exact either

  // The drift walks over the batch number: another number, another distribution and other counts.
  BatchRequest later = f.batch;
  later.number = 9;
  EXPECT_NE(backend.counts_of_share(later, 0, 1)[0], counts[0]);
  // Another shot seed, other counts of the same distribution.
  const EmulatorBackend reseeded(f.emulator, 6);
  EXPECT_NE(reseeded.counts_of_share(f.batch, 0, 1)[0], counts[0]);
}

TEST(EmulatorBackend, Limits) {
  const Fixture f;
  const EmulatorBackend device_limit(f.emulator, 1);
  EXPECT_EQ(device_limit.max_experiments(), guadalupe().max_experiments());
  EXPECT_EQ(device_limit.max_shots(), static_cast<std::uint64_t>(guadalupe().max_shots()));
  const EmulatorBackend own_limit(f.emulator, 1, 120);
  EXPECT_EQ(own_limit.max_experiments(), 120);
  EXPECT_NE(own_limit.describe().find("ibmq_guadalupe"), std::string::npos) << own_limit.describe();
}

}  // namespace
}  // namespace qgen::hw
