// Splitting a register into parts that no operation joins: the parts found, distributions
// joined against a Kronecker product, and split runs of both methods against the whole register
// (the density matrix exactly; trajectories within their statistical error).
#include <gtest/gtest.h>

#include <cmath>

#include "../support/dense_reference.hpp"
#include "../support/random_circuit.hpp"
#include "qgen/sim/density_matrix.hpp"
#include "qgen/sim/register_split.hpp"
#include "qgen/sim/trajectories.hpp"

namespace qgen::sim {
namespace {

/// Random noisy circuits on qubits {0, 3} and {1, 2, 4}, interleaved: two parts, not contiguous.
NoisyCircuit two_parts(std::uint64_t seed) {
  const NoisyCircuit a = testing::random_noisy_circuit(2, 30, 1.0, seed);
  const NoisyCircuit b = testing::random_noisy_circuit(3, 40, 1.0, seed + 100);
  const std::vector<int> qa{0, 3}, qb{1, 2, 4};
  NoisyCircuit out(5);
  auto copy = [&](const NoisyCircuit& from, const std::vector<int>& to, std::size_t i) {
    const NoisyOp& op = from.operations()[i];
    const int x = to[op.qubits[0]], y = op.qubits[1] >= 0 ? to[op.qubits[1]] : -1;
    switch (op.kind) {
      case NoisyOpKind::unitary1: out.unitary(x, from.matrix1(op)); break;
      case NoisyOpKind::unitary2: out.unitary(x, y, from.matrix2(op)); break;
      case NoisyOpKind::cnot: out.cnot(x, y); break;
      case NoisyOpKind::channel1: out.channel(x, std::make_shared<KrausChannel>(from.channel(op))); break;
      case NoisyOpKind::depolarizing2: out.depolarize(x, y, from.depolarizing(op)); break;
    }
  };
  for (std::size_t i = 0; i < 40; ++i) {
    if (i < a.size()) copy(a, qa, i);
    copy(b, qb, i);
  }
  return out;
}

TEST(RegisterSplit, FindsThePartsAndJoinsTheirDistributions) {
  const std::vector<NoisyCircuit> batch{two_parts(1)};
  const RegisterSplit split = split_register(batch);
  ASSERT_EQ(split.parts.size(), 2u);
  EXPECT_EQ(split.parts[0], (std::vector<int>{0, 3}));
  EXPECT_EQ(split.parts[1], (std::vector<int>{1, 2, 4}));
  // Joining: p(x) = pa(x0 x3) pb(x1 x2 x4) for a product distribution.
  const std::vector<double> pa{0.1, 0.2, 0.3, 0.4}, pb{0.05, 0.1, 0.15, 0.2, 0.02, 0.08, 0.1, 0.3};
  const std::vector<std::vector<double>> parts{pa, pb};
  const auto joined = join_parts(parts, split, 5);
  for (int x = 0; x < 32; ++x) {
    const int b0 = x >> 4 & 1, b1 = x >> 3 & 1, b2 = x >> 2 & 1, b3 = x >> 1 & 1, b4 = x & 1;
    EXPECT_DOUBLE_EQ(joined[x], pa[b0 * 2 + b3] * pb[b1 * 4 + b2 * 2 + b4]) << x;
  }
  // A circuit joining the parts is one part.
  NoisyCircuit joined_circuit = two_parts(2);
  joined_circuit.cnot(3, 4);
  EXPECT_EQ(split_register(std::vector<NoisyCircuit>{joined_circuit}).parts.size(), 1u);
  EXPECT_THROW(joined_circuit.restricted_to(std::vector<int>{0, 3}), std::invalid_argument);
}

TEST(RegisterSplit, SplitRunsEqualTheWholeRegister) {
  const std::vector<NoisyCircuit> batch{two_parts(3), two_parts(4), two_parts(3)};
  const auto whole = density_matrix_probabilities(batch);
  int parts_run = 0;
  const auto split = run_split(batch, [&](std::span<const NoisyCircuit> part, int) {
    parts_run += static_cast<int>(part.size());
    return density_matrix_probabilities(part);
  });
  EXPECT_EQ(parts_run, 4);  // circuits 0 and 2 are identical on both parts: run once each
  for (std::size_t i = 0; i < batch.size(); ++i)
    EXPECT_LT(testing::max_difference(split[i], whole[i]), 1e-14) << i;

  // Trajectories part by part (independent streams) against the exact distribution.
  const auto estimate = run_split(batch, [&](std::span<const NoisyCircuit> part, int index) {
    std::vector<std::vector<double>> p;
    for (auto& e : trajectory_probabilities(part, {.trajectories = 20000, .seed = 4, .batch = 0,
                                                   .part = static_cast<std::uint32_t>(index)}))
      p.push_back(e.probabilities);
    return p;
  });
  for (std::size_t i = 0; i < batch.size(); ++i) {
    double chi2 = 0.0;
    for (std::size_t x = 0; x < whole[i].size(); ++x)  // multinomial-like error bound per outcome
      chi2 += std::pow(estimate[i][x] - whole[i][x], 2) / (whole[i][x] / 20000 + 1e-12);
    EXPECT_LT(chi2, 3.0 * 32 + 12) << i;
  }
}

}  // namespace
}  // namespace qgen::sim
