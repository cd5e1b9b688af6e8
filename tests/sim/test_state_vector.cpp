// StateVector: storage, copies, moves, basis states, norms and size limits.
#include <gtest/gtest.h>

#include <cmath>

#include "qgen/core/errors.hpp"
#include "qgen/sim/state_vector.hpp"

namespace qgen::sim {
namespace {

TEST(StateVector, StartsInZeroStateAligned) {
  for (int n : {1, 3, 10}) {
    StateVector s(n);
    EXPECT_EQ(s.size(), std::size_t{1} << n);
    EXPECT_EQ(s.amplitude(0), Complex(1.0, 0.0));
    for (std::size_t i = 1; i < s.size(); ++i) EXPECT_EQ(s.amplitude(i), Complex(0.0, 0.0));
    EXPECT_EQ(reinterpret_cast<std::uintptr_t>(s.real()) % 64, 0u);
    EXPECT_EQ(s.bit_of(0), n - 1);  // qubit 0 is the most significant bit
  }
}

TEST(StateVector, CopyAssignMoveAndReuse) {
  StateVector a(4);
  a.set_amplitude(0, 0.0);
  a.set_amplitude(5, Complex(0.6, -0.8));
  StateVector b(a);
  EXPECT_EQ(b.amplitude(5), Complex(0.6, -0.8));
  StateVector c(2);
  c = a;  // different size: reallocates
  EXPECT_EQ(c.size(), 16u);
  EXPECT_EQ(c.amplitude(5), Complex(0.6, -0.8));

  StateVector moved(std::move(b));
  EXPECT_EQ(moved.amplitude(5), Complex(0.6, -0.8));
  EXPECT_EQ(b.size(), 0u);  // NOLINT(bugprone-use-after-move): documented empty state
  b = a;                     // a moved-from state can be assigned to again
  EXPECT_EQ(b.amplitude(5), Complex(0.6, -0.8));
  StateVector d(4);
  d = std::move(c);
  EXPECT_EQ(d.amplitude(5), Complex(0.6, -0.8));
  EXPECT_THROW(c.copy_from(a), std::invalid_argument);  // NOLINT(bugprone-use-after-move)
  StateVector e(3);
  EXPECT_THROW(e.copy_from(a), std::invalid_argument);
}

TEST(StateVector, BasisStatesAndNorm) {
  StateVector s(6);
  s.set_basis_state(37);
  EXPECT_EQ(s.amplitude(37), Complex(1.0, 0.0));
  EXPECT_EQ(s.amplitude(0), Complex(0.0, 0.0));
  EXPECT_THROW(s.set_basis_state(64), std::out_of_range);
  for (std::size_t i = 0; i < s.size(); ++i) s.set_amplitude(i, Complex(0.125, 0.0));
  EXPECT_NEAR(s.norm_squared(), 1.0, 1e-15);
}

TEST(StateVector, PairwiseNormStaysAccurateForLargeStates) {
  // 2^20 equal amplitudes 2^-10: the sum must be 1 to near machine precision.
  StateVector s(20);
  const double a = std::ldexp(1.0, -10);
  for (std::size_t i = 0; i < s.size(); ++i) s.set_amplitude(i, Complex(a * 0.6, a * 0.8));
  EXPECT_NEAR(s.norm_squared(), 1.0, 1e-14);
}

TEST(StateVector, RejectsImpossibleSizes) {
  EXPECT_THROW(StateVector(0), std::invalid_argument);
  EXPECT_THROW(StateVector(41), std::invalid_argument);
  // 40 qubits need 16 TiB: refused up front with the size in plain words, not a crash.
  try {
    StateVector s(40);
    FAIL() << "a 40-qubit state was allocated";
  } catch (const core::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("a 40-qubit state vector needs 16 TiB; this machine has"),
              std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace qgen::sim
