// The parameter-shift runner: its shifted probability vectors equal direct simulation of the
// shifted circuit, and the two-term rule equals a central finite difference of p.
#include <gtest/gtest.h>

#include <map>

#include "../support/dense_reference.hpp"
#include "../support/random_circuit.hpp"
#include "qgen/sim/parameter_shift.hpp"
#include "qgen/sim/sampling.hpp"
#include "qgen/sim/simulator.hpp"

namespace qgen::sim {
namespace {

constexpr FusionLevel kLevels[] = {FusionLevel::none, FusionLevel::one_qubit,
                                   FusionLevel::two_qubit};

// Probabilities of `c` with the angle (op, a) moved by delta, by the dense reference: the
// circuit is rebuilt with that one angle's offset changed.
std::vector<double> shifted_reference(const Circuit& c, std::span<const double> theta, int op,
                                      int a, double delta) {
  Circuit moved(c.num_qubits());
  for (int i = 0; i < static_cast<int>(c.size()); ++i) {
    Operation o = c[i];
    if (i == op) o.angles[a].offset += delta;
    moved.add(o);
  }
  return testing::reference_probabilities(moved, theta);
}

constexpr ShiftEvaluation kEvaluations[] = {ShiftEvaluation::paired, ShiftEvaluation::direct};

TEST(ParameterShift, ShiftedCircuitsEqualDirectSimulation) {
  for (std::uint64_t seed = 0; seed < 6; ++seed) {
    const Circuit c = testing::random_circuit(5, 40, 6, 77 + seed);
    const auto theta = testing::random_parameters(6, seed);
    for (FusionLevel level : kLevels)
    for (ShiftEvaluation evaluation : kEvaluations) {
      const ParameterShift shift(c, level, evaluation);
      std::vector<int> all(shift.sites().size());
      for (std::size_t i = 0; i < all.size(); ++i) all[i] = static_cast<int>(i);
      int calls = 0;
      shift.evaluate(theta, all, [&](int site, int sign, std::span<const double> p) {
        const AngleSite& s = shift.sites()[site];
        const auto expected = shifted_reference(c, theta, s.operation, s.angle, sign * M_PI / 2);
        for (double x : p) EXPECT_GE(x, 0.0);
        EXPECT_LT(testing::max_difference(p, expected), 1e-12)
            << "site " << site << " sign " << sign << " fusion " << core::name_of(level) << " "
            << core::name_of(evaluation);
        ++calls;
      });
      EXPECT_EQ(calls, 2 * static_cast<int>(all.size()));
    }
  }
}

TEST(ParameterShift, ExactZerosStayZeroAndCanBeSampled) {
  // Zero angles on a Bell start: most outcomes of the shifted circuits have probability exactly
  // zero. The paired evaluation must hand out non-negative vectors a sampler accepts.
  Circuit c(4);
  c.h(0);
  c.cnot(0, 1);
  c.h(2);
  c.cnot(2, 3);
  for (int q = 0; q < 4; ++q) c.rot(q, Angle::of(3 * q), Angle::of(3 * q + 1), Angle::of(3 * q + 2));
  c.cnot(1, 2);
  const std::vector<double> theta(12, 0.0);
  for (ShiftEvaluation evaluation : kEvaluations) {
    const ParameterShift shift(c, FusionLevel::two_qubit, evaluation);
    std::vector<int> all(shift.sites().size());
    for (std::size_t i = 0; i < all.size(); ++i) all[i] = static_cast<int>(i);
    int zeros = 0;
    shift.evaluate(theta, all, [&](int site, int sign, std::span<const double> p) {
      for (double x : p) {
        ASSERT_GE(x, 0.0);
        zeros += x == 0.0;
      }
      core::RandomStream stream(1, core::stream_id(0, 2 * site + (sign < 0)));
      EXPECT_NO_THROW(sample_counts(p, 100, stream));
    });
    EXPECT_GT(zeros, 0);
  }
}

TEST(ParameterShift, SubsetsVisitOnlyTheirSitesInOrder) {
  const Circuit c = testing::random_circuit(4, 30, 4, 5);
  const auto theta = testing::random_parameters(4, 1);
  for (ShiftEvaluation evaluation : kEvaluations) {
  const ParameterShift shift(c, FusionLevel::two_qubit, evaluation);
  ASSERT_GE(shift.sites().size(), 4u);
  const std::vector<int> subset{1, 3};
  std::vector<std::pair<int, int>> visited;
  shift.evaluate(theta, subset, [&](int site, int sign, std::span<const double>) {
    visited.emplace_back(site, sign);
  });
  EXPECT_EQ(visited, (std::vector<std::pair<int, int>>{{1, 1}, {1, -1}, {3, 1}, {3, -1}}));
  const std::vector<int> unsorted{3, 1};
  EXPECT_THROW(shift.evaluate(theta, unsorted, [](int, int, std::span<const double>) {}),
               std::invalid_argument);
  }
}

TEST(ParameterShift, RuleEqualsCentralFiniteDifference) {
  // dp/dtheta_j = sum over sites of j of scale * (p+ - p-)/2, against
  // (p(theta + h e_j) - p(theta - h e_j)) / 2h with h = 1e-5 (error O(h^2) ~ 1e-10).
  const int num_parameters = 7;
  for (std::uint64_t seed = 0; seed < 5; ++seed) {
    const Circuit c = testing::random_circuit(5, 50, num_parameters, 300 + seed);
    const auto theta = testing::random_parameters(num_parameters, 40 + seed);
    const ParameterShift shift(c);
    const Simulator sim(c);
    const std::size_t dim = std::size_t{1} << c.num_qubits();

    std::vector<std::vector<double>> rule(num_parameters, std::vector<double>(dim, 0.0));
    std::vector<int> all(shift.sites().size());
    for (std::size_t i = 0; i < all.size(); ++i) all[i] = static_cast<int>(i);
    shift.evaluate(theta, all, [&](int site, int sign, std::span<const double> p) {
      const AngleSite& s = shift.sites()[site];
      for (std::size_t x = 0; x < dim; ++x) rule[s.parameter][x] += sign * s.scale * p[x] / 2;
    });

    const double h = 1e-5;
    for (int j = 0; j < num_parameters; ++j) {
      auto plus = theta, minus = theta;
      plus[j] += h;
      minus[j] -= h;
      const auto pp = sim.probabilities(plus), pm = sim.probabilities(minus);
      for (std::size_t x = 0; x < dim; ++x)
        EXPECT_NEAR(rule[j][x], (pp[x] - pm[x]) / (2 * h), 1e-6)
            << "parameter " << j << " state " << x << " seed " << seed;
    }
  }
}

TEST(ParameterShift, ParseEvaluation) {
  for (ShiftEvaluation e : kEvaluations) EXPECT_EQ(core::parse_enum<ShiftEvaluation>(core::name_of(e), "shift evaluation"), e);
  EXPECT_THROW(core::parse_enum<ShiftEvaluation>("both", "shift evaluation"), std::invalid_argument);
}

TEST(ParameterShift, SiteCostsFallAlongTheCircuit) {
  const Circuit c = testing::random_circuit(4, 30, 10, 8);
  const ParameterShift shift(c);
  const auto costs = shift.site_costs();
  ASSERT_EQ(costs.size(), shift.sites().size());
  for (std::size_t i = 1; i < costs.size(); ++i) EXPECT_LE(costs[i], costs[i - 1]);
  EXPECT_GE(costs.back(), 1.0);
}

}  // namespace
}  // namespace qgen::sim
