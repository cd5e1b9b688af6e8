// The QINN's pieces against independent references: a chunk of events simulated as one state
// against each event's own circuit (RY or Rot gates written into a sim::Circuit, run through the
// dense reference), the way back through a chunk against finite differences, the network's
// gradient against finite differences, the affine maps' bounds and derivatives, and the model's
// Jacobian and density (finite differences; the normal mass of the image on a model whose
// circuit is the identity).
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <random>

#include "../support/dense_reference.hpp"
#include "../support/finite_difference.hpp"
#include "qgen/circuits/qinn_ansatz.hpp"
#include "qgen/qinn/chunk_circuit.hpp"
#include "qgen/qinn/model.hpp"

namespace qgen::qinn {
namespace {

constexpr double kPi = std::numbers::pi;

std::vector<double> uniform(std::size_t n, double lo, double hi, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(lo, hi);
  std::vector<double> v(n);
  for (double& x : v) x = u(rng);
  return v;
}

// P(qubit q = 1) of one event's circuit by dense products.
std::vector<double> reference_expectations(const sim::Circuit& c, std::span<const double> theta, int n) {
  const auto p = testing::reference_probabilities(c, theta);
  std::vector<double> e(n, 0.0);
  for (std::size_t x = 0; x < p.size(); ++x)
    for (int q = 0; q < n; ++q)
      if ((x >> (n - 1 - q)) & 1) e[q] += p[x];
  return e;
}

TEST(EventChunk, ForwardAndInverseCircuitsMatchEachEventsOwnCircuit) {
  const int n = 3, layers = 2, isp = 1;
  for (int capacity : {1, 4, 8}) {
    const EventChunk chunk(n, capacity);
    const int P = circuits::qinn_layer_parameters(n, layers + isp);
    const auto theta = uniform(P, -kPi, kPi, 3);
    sim::Circuit forward(chunk.num_qubits()), inverse(chunk.num_qubits());
    circuits::add_qinn_layers(forward, n, layers, 0);
    circuits::add_qinn_layers(inverse, n, isp, 3 * n * layers);
    circuits::add_qinn_layers_adjoint(inverse, n, layers, 0);
    for (bool differentiable : {false, true}) {
      ChunkCircuit f(forward, chunk, sim::FusionLevel::two_qubit), g(inverse, chunk, sim::FusionLevel::one_qubit);
      const int events = capacity > 1 ? capacity - 1 : 1;  // one slot left empty
      const auto alpha = uniform(events * n, 0, kPi, 4);
      const auto psi = uniform(3 * events * n, -kPi, kPi, 5);
      std::vector<Factor> ry(events * n), rot(events * n);
      for (int i = 0; i < events * n; ++i) {
        ry[i] = ry_factor(alpha[i]);
        rot[i] = rot_factor(psi[3 * i], psi[3 * i + 1], psi[3 * i + 2]);
      }
      std::vector<double> ef(events * n), eg(events * n);
      if (differentiable) {
        f.run_differentiable(theta, ry, events, ef);
        g.run_differentiable(theta, rot, events, eg);
      } else {
        f.run(theta, ry, events, ef);
        g.run(theta, rot, events, eg);
      }
      for (int e = 0; e < events; ++e) {
        // The event's own circuits on n qubits: encoding gates then the layers.
        std::vector<double> t = theta;
        sim::Circuit cf(n), cg(n);
        for (int q = 0; q < n; ++q) {
          cf.ry(q, sim::Angle::of(P + q));
          t.push_back(alpha[e * n + q]);
        }
        circuits::add_qinn_layers(cf, n, layers, 0);
        for (int q = 0; q < n; ++q) {
          const int s = static_cast<int>(t.size());
          cg.rot(q, sim::Angle::of(s), sim::Angle::of(s + 1), sim::Angle::of(s + 2));
          for (int k = 0; k < 3; ++k) t.push_back(psi[3 * (e * n + q) + k]);
        }
        circuits::add_qinn_layers(cg, n, isp, 3 * n * layers);
        circuits::add_qinn_layers_adjoint(cg, n, layers, 0);
        const auto rf = reference_expectations(cf, t, n), rg = reference_expectations(cg, t, n);
        for (int q = 0; q < n; ++q) {
          EXPECT_NEAR(ef[e * n + q], rf[q], 1e-12) << capacity << " event " << e;
          EXPECT_NEAR(eg[e * n + q], rg[q], 1e-12) << capacity << " event " << e;
        }
      }
    }
  }
}

// L = sum_{e,q} c_{e,q} E_{e,q}: the chunk's gradient with respect to the circuit's angles and
// to each event's encoding angle (through the environments) against central differences.
TEST(EventChunk, BackwardMatchesFiniteDifferences) {
  const int n = 4, capacity = 8, events = 6;
  const EventChunk chunk(n, capacity);
  sim::Circuit c(chunk.num_qubits());
  circuits::add_qinn_layers(c, n, 2, 0);
  const auto theta = uniform(c.num_parameters(), -kPi, kPi, 7);
  const auto alpha = uniform(events * n, 0.1, 3.0, 8);
  const auto weight = uniform(events * n, -1, 1, 9);
  ChunkCircuit circuit(c, chunk, sim::FusionLevel::two_qubit);
  auto loss = [&](std::span<const double> t, std::span<const double> a) {
    std::vector<Factor> f(events * n);
    for (int i = 0; i < events * n; ++i) f[i] = ry_factor(a[i]);
    std::vector<double> e(events * n);
    ChunkCircuit plain(c, chunk, sim::FusionLevel::none);
    plain.run(t, f, events, e);
    double l = 0;
    for (int i = 0; i < events * n; ++i) l += weight[i] * e[i];
    return l;
  };
  std::vector<Factor> f(events * n), env(events * n);
  for (int i = 0; i < events * n; ++i) f[i] = ry_factor(alpha[i]);
  std::vector<double> e(events * n), g(c.num_parameters(), 0.0);
  circuit.run_differentiable(theta, f, events, e);
  circuit.backward(weight, g, env);
  const auto by_angles = testing::central_differences([&](const std::vector<double>& t) { return loss(t, alpha); }, theta);
  for (int j = 0; j < c.num_parameters(); ++j) EXPECT_NEAR(g[j], by_angles[j], 1e-7) << j;
  const auto by_inputs = testing::central_differences([&](const std::vector<double>& a) { return loss(theta, a); }, alpha);
  for (int i = 0; i < events * n; ++i) {
    const Factor d = ry_factor_derivative(alpha[i]);
    EXPECT_NEAR(2 * (env[i][0] * d[0] + env[i][1] * d[1]).real(), by_inputs[i], 1e-7) << i;
  }
}

TEST(EventChunk, RotFactorsAndDerivatives) {
  const double phi = 0.3, theta = 1.1, omega = -0.7;
  // Rot|0> by dense matrices: RZ(omega) RY(theta) RZ(phi) applied to (1, 0).
  const auto m = testing::pauli_rotation(testing::pauli::z(), omega) *
                 testing::pauli_rotation(testing::pauli::y(), theta) *
                 testing::pauli_rotation(testing::pauli::z(), phi);
  const Factor f = rot_factor(phi, theta, omega);
  EXPECT_LT(std::abs(f[0] - m(0, 0)), 1e-15);
  EXPECT_LT(std::abs(f[1] - m(1, 0)), 1e-15);
  const auto d = rot_factor_derivatives(phi, theta, omega);
  const double h = 1e-6;
  const double angles[3] = {phi, theta, omega};
  for (int t = 0; t < 3; ++t) {
    double up[3] = {angles[0], angles[1], angles[2]}, down[3] = {angles[0], angles[1], angles[2]};
    up[t] += h;
    down[t] -= h;
    const Factor a = rot_factor(up[0], up[1], up[2]), b = rot_factor(down[0], down[1], down[2]);
    for (int k = 0; k < 2; ++k) EXPECT_LT(std::abs(d[t][k] - (a[k] - b[k]) / (2 * h)), 1e-9);
  }
}

TEST(IspNetwork, ForwardByHandAndGradientByFiniteDifferences) {
  IspNetwork net(2, 3, 2);  // 2 -> 3 -> 6
  EXPECT_EQ(net.num_parameters(), 3 * 3 + 4 * 6);
  const auto p = uniform(net.num_parameters(), -1, 1, 11);
  net.set_parameters(p);
  Eigen::MatrixXd z(2, 3);
  z << 0.1, -0.5, 1.2, 0.7, 0.3, -0.9;
  Eigen::MatrixXd out;
  IspNetwork::Tape tape;
  net.forward(z, out, &tape);
  // By hand: W1 (3 x 2, column-major) at 0, b1 at 6, W2 (6 x 3) at 9, b2 at 27.
  for (int e = 0; e < 3; ++e)
    for (int o = 0; o < 6; ++o) {
      double y = p[27 + o];
      for (int h = 0; h < 3; ++h) {
        double a = p[6 + h];
        for (int i = 0; i < 2; ++i) a += p[i * 3 + h] * z(i, e);
        y += p[9 + h * 6 + o] * std::tanh(a);
      }
      EXPECT_NEAR(out(o, e), y, 1e-14);
    }
  // L = sum R .* out with a fixed R.
  Eigen::MatrixXd r = Eigen::MatrixXd::Random(6, 3);
  std::vector<double> g(net.num_parameters(), 0.0);
  Eigen::MatrixXd dz;
  net.backward(tape, r, g, &dz);
  auto loss = [&](const std::vector<double>& q, const Eigen::MatrixXd& zz) {
    IspNetwork other(2, 3, 2);
    other.set_parameters(q);
    Eigen::MatrixXd o;
    other.forward(zz, o);
    return (r.array() * o.array()).sum();
  };
  const auto fd = testing::central_differences([&](const std::vector<double>& q) { return loss(q, z); }, p);
  for (int j = 0; j < net.num_parameters(); ++j) EXPECT_NEAR(g[j], fd[j], 1e-8) << j;
  const double h = 1e-6;
  for (int i = 0; i < 2; ++i)
    for (int e = 0; e < 3; ++e) {
      Eigen::MatrixXd up = z, down = z;
      up(i, e) += h;
      down(i, e) -= h;
      EXPECT_NEAR(dz(i, e), (loss(p, up) - loss(p, down)) / (2 * h), 1e-8);
    }
}

TEST(AffineMaps, InputAnglesStayInRangeAndDerivativesMatch) {
  for (double u : {-30.0, -2.0, 0.0, 1.5, 30.0})
    for (double v : {-30.0, -1.0, 0.0, 2.0, 30.0}) {
      const InputMap m = InputMap::of(u, v);
      EXPECT_GE(m.a, 0.0);
      EXPECT_LE(m.a, 1.0);
      EXPECT_GE(m.b, 0.0);
      EXPECT_LE(m.b, 1.0 - m.a + 1e-15);
      EXPECT_GE(m.angle(0.0), 0.0);
      EXPECT_LE(m.angle(kPi), kPi * (1 + 1e-15));
      const double h = 1e-6;
      const InputMap up = InputMap::of(u + h, v), down = InputMap::of(u - h, v);
      const InputMap vu = InputMap::of(u, v + h), vd = InputMap::of(u, v - h);
      EXPECT_NEAR(m.da_du, (up.a - down.a) / (2 * h), 1e-8);
      EXPECT_NEAR(m.db_du, (up.b - down.b) / (2 * h), 1e-8);
      EXPECT_NEAR(m.db_dv, (vu.b - vd.b) / (2 * h), 1e-8);
      EXPECT_NEAR(m.scaled(m.angle(1.3)), 1.3, 1e-9 / std::max(m.a, 1e-6));
    }
  // The gradient never dies at moderate values: both derivatives are nonzero.
  const InputMap m = InputMap::of(kInitialU, kInitialV);
  EXPECT_NEAR(m.a, 0.9, 1e-12);
  EXPECT_NEAR(m.b, 0.05, 1e-12);
  EXPECT_GT(m.da_du, 0.0);
  EXPECT_GT(m.db_dv, 0.0);
}

FeatureScaling unit_scaling(int n) {
  FeatureScaling s;
  for (int q = 0; q < n; ++q) {
    s.columns.push_back("f" + std::to_string(q));
    s.low.push_back(-1.0 - q);
    s.high.push_back(2.0 + 3.0 * q);
  }
  return s;
}

TEST(Model, LatentMatchesTheSingleEventCircuitAndTheInverseRoundTripsTheEncoding) {
  ModelOptions o;
  o.shape = {3, 2, 1, 2, 4};
  o.chunk = 4;
  QinnModel model(o, unit_scaling(3));
  auto p = model.initial_parameters(5, kPi);
  const auto s = uniform(3 * 7, 0, kPi, 12);  // 7 events: two chunks
  std::vector<double> z(s.size());
  model.latent(p, s, z);
  const auto maps = model.input_maps(p);
  const ParameterLayout& l = model.layout();
  for (int e = 0; e < 7; ++e) {
    sim::Circuit c(3);
    std::vector<double> t(p.begin(), p.begin() + l.quantum);
    for (int q = 0; q < 3; ++q) {
      c.ry(q, sim::Angle::of(static_cast<int>(t.size())));
      t.push_back(maps[q].a * s[e * 3 + q] + kPi * maps[q].b);
    }
    circuits::add_qinn_layers(c, 3, 2, 0);
    const auto ref = reference_expectations(c, t, 3);
    for (int q = 0; q < 3; ++q)
      EXPECT_NEAR(z[e * 3 + q], p[l.output + q] * ref[q] + p[l.output + 3 + q], 1e-12);
  }
}

// J = dz/dx against central differences of latent() in physical units, and log p against the
// formula from that J.
TEST(Model, JacobianAndLogDensityAgainstFiniteDifferences) {
  ModelOptions o;
  o.shape = {5, 3, 0, 1, 1};
  o.chunk = 8;
  const FeatureScaling scaling = unit_scaling(5);
  QinnModel model(o, scaling);
  const auto p = model.initial_parameters(9, kPi);
  const int events = 11;
  const auto s = uniform(5 * events, 0.2, 2.9, 13);
  std::vector<double> log_p(events), z(5 * events), jac(25 * events);
  model.log_density(p, s, log_p, z, jac);
  const double h = 1e-6;
  for (int e = 0; e < events; ++e) {
    Eigen::MatrixXd j(5, 5);
    for (int k = 0; k < 5; ++k) {
      // x_k moves by h: s_k by h * slope_k.
      std::vector<double> up(s.begin() + 5 * e, s.begin() + 5 * e + 5), down = up, zu(5), zd(5);
      up[k] += h * scaling.slope(k);
      down[k] -= h * scaling.slope(k);
      model.latent(p, up, zu);
      model.latent(p, down, zd);
      for (int q = 0; q < 5; ++q) {
        j(q, k) = (zu[q] - zd[q]) / (2 * h);
        EXPECT_NEAR(jac[(e * 5 + q) * 5 + k], j(q, k), 1e-7 * (1 + std::abs(j(q, k)))) << e << " " << q << " " << k;
      }
    }
    double log_normal = 0;
    for (int q = 0; q < 5; ++q) log_normal += -0.5 * z[e * 5 + q] * z[e * 5 + q] - 0.5 * std::log(2 * kPi);
    EXPECT_NEAR(log_p[e], log_normal + std::log(std::abs(j.determinant())), 1e-5);
  }
}

double normal_cdf(double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); }

// A 2-feature model whose circuit is the identity (three layers of zero angles: the CNOT ring
// (a, b) -> (b, a xor b) has period 3) maps x one-to-one onto the box [d, c + d]^2 through
// z = c sin^2(alpha/2) + d, so its density integrates to the normal mass of the box:
// prod_q (Phi(c_q + d_q) - Phi(d_q)), about 1 for c = 12, d = -6 and less for c = 2, d = -1.
TEST(Model, DensityIntegratesToTheNormalMassOfTheImage) {
  ModelOptions o;
  o.shape = {2, 3, 0, 1, 1};
  o.chunk = 16;
  FeatureScaling scaling;
  scaling.columns = {"pT", "eta"};
  scaling.low = {15.0, -2.0};
  scaling.high = {150.0, 2.5};
  QinnModel model(o, scaling);
  for (auto [c, d, a] : {std::tuple{12.0, -6.0, 0.999999}, std::tuple{2.0, -1.0, 0.9}}) {
    auto p = model.initial_parameters(1, 0.0);  // zero angles
    const ParameterLayout& l = model.layout();
    for (int q = 0; q < 2; ++q) {
      p[l.input + q] = std::log(a / (1 - a));  // a
      p[l.input + 2 + q] = -40.0;              // b ~ 0
      p[l.output + q] = c;
      p[l.output + 2 + q] = d;
    }
    // Midpoint rule on a 600 x 600 grid over the physical box.
    const int grid = 600;
    std::vector<double> s;
    for (int i = 0; i < grid; ++i)
      for (int j = 0; j < grid; ++j) {
        s.push_back(kPi * (i + 0.5) / grid);
        s.push_back(kPi * (j + 0.5) / grid);
      }
    std::vector<double> log_p(grid * grid);
    model.log_density(p, s, log_p);
    double integral = 0;
    const double cell = (135.0 / grid) * (4.5 / grid);
    for (double v : log_p) integral += std::exp(v) * cell;
    const auto map = InputMap::of(p[l.input], p[l.input + 2]);
    // The image of [0, pi] under E = sin^2((a s + pi b) / 2): [E(0), E(pi)].
    const double e0 = std::pow(std::sin(map.angle(0) / 2), 2), e1 = std::pow(std::sin(map.angle(kPi) / 2), 2);
    const double mass = normal_cdf(c * e1 + d) - normal_cdf(c * e0 + d);
    EXPECT_NEAR(integral, mass * mass, 2e-3) << c << " " << d;
    if (c == 12.0) {
      EXPECT_NEAR(integral, 1.0, 2e-3);
    }
  }
}

}  // namespace
}  // namespace qgen::qinn
