// The noisy emulator on the shipped device models: the noiseless limit equals the state-vector
// simulator (both methods, embedded and routed circuits); one x pulse and an idle readout
// against formulas written from the calibration; trajectories against the density matrix within
// their statistical error; over-rotation against dense matrices; drift statistics; batches
// against single circuits; counts reproducible by seed.
#include <gtest/gtest.h>

#include <cmath>

#include "../support/dense_reference.hpp"
#include "../support/expect_error.hpp"
#include "../support/temp_dir.hpp"
#include "shipped_devices.hpp"
#include "device_reference.hpp"
#include "qgen/circuits/ansatz.hpp"
#include "qgen/core/errors.hpp"
#include "qgen/hw/noisy_emulator.hpp"
#include "qgen/sim/noise_channel.hpp"
#include "qgen/sim/simulator.hpp"
#include "qgen/sim/trajectories.hpp"

namespace qgen::hw {
namespace {

using testing::guadalupe;


EmulatorOptions noiseless(EmulationMethod method) {
  EmulatorOptions o;
  o.method = method;
  o.trajectories = 2;
  o.noise.gate_errors = o.noise.relaxation = o.noise.readout = false;
  return o;
}

TEST(NoisyEmulator, NoiselessLimitEqualsTheSimulator) {
  const sim::Circuit a2 = circuits::build_qcbm_circuit({2, 8, 4, 4, circuits::InitialState::bell});
  sim::Circuit star(5);  // routed: SWAPs and a permuted readout
  for (int q = 0; q < 5; ++q) star.rot(q, sim::Angle::of(3 * q), sim::Angle::of(3 * q + 1), sim::Angle::of(3 * q + 2));
  for (int leaf = 1; leaf < 5; ++leaf) star.cnot(0, leaf);
  for (const sim::Circuit* c : {&a2, static_cast<const sim::Circuit*>(&star)})
    for (EmulationMethod m : {EmulationMethod::density_matrix, EmulationMethod::trajectories}) {
      const NoisyEmulator e(guadalupe(), *c, noiseless(m));
      const auto theta = testing::random_parameters(c->num_parameters(), 4);
      EXPECT_LT(testing::max_difference(e.probabilities(theta), sim::Simulator(*c).probabilities(theta)), 1e-12)
          << core::name_of(m) << " on " << c->num_qubits() << " qubits";
    }
}

TEST(NoisyEmulator, SplitRegisterEqualsTheWholeRegister) {
  // Ansatz 2 from |0>: three independent 4-qubit blocks; the 12-qubit density matrix of the
  // whole register (268 MB) is replaced by three of 4 qubits.
  const sim::Circuit c = circuits::build_qcbm_circuit({2, 8, 2, 4, circuits::InitialState::zero});
  const auto theta = testing::random_parameters(c.num_parameters(), 21);
  EmulatorOptions o;
  o.method = EmulationMethod::density_matrix;
  o.noise.over_rotation = 0.02;
  const NoisyEmulator split(guadalupe(), c, o);
  EXPECT_EQ(split.largest_part(), 4);
  o.split_register = false;
  const NoisyEmulator whole(guadalupe(), c, o);
  EXPECT_EQ(whole.largest_part(), 8);
  const auto p = split.probabilities(theta);
  EXPECT_LT(testing::max_difference(p, whole.probabilities(theta)), 1e-14);
  // Trajectories of the parts estimate the same distribution.
  o.split_register = true;
  o.method = EmulationMethod::trajectories;
  o.trajectories = 3000;
  EXPECT_LT(testing::max_difference(NoisyEmulator(guadalupe(), c, o).probabilities(theta), p), 2e-3);
}

TEST(NoisyEmulator, OneXPulseAndReadoutFollowTheCalibration) {
  sim::Circuit c(1);
  c.x(0);
  EmulatorOptions o;
  o.method = EmulationMethod::density_matrix;
  const NoisyEmulator e(guadalupe(), c, o);
  const int q = e.layout().physical[0];
  const QubitCalibration& cal = guadalupe().qubit(q);
  const GateCalibration& x = guadalupe().gate(BasisGate::x, q);
  // After the ideal X: depolarising p (P1 = 1 - p/2), then T1 decay over the pulse, then readout.
  const double gamma = 1 - std::exp(-x.length / cal.t1);
  const double c2 = std::exp(-x.length / cal.t2);
  const double relaxation_fidelity = ((2 + 2 * c2 - gamma) / 4 * 2 + 1) / 3;  // (d F_pro + 1)/(d + 1)
  const double p = 2 * (x.error - (1 - relaxation_fidelity)) / (2 * relaxation_fidelity - 1);
  const double p1 = (1 - p / 2) * (1 - gamma);
  const double read1 = p1 * (1 - cal.prob_meas0_prep1) + (1 - p1) * cal.prob_meas1_prep0;
  EXPECT_NEAR(e.probabilities(std::vector<double>{})[1], read1, 1e-15);
  EXPECT_GT(p, 0.0);

  // An idle qubit is misread with prob_meas1_prep0 of the device qubit it sits on.
  sim::Circuit idle(2);
  idle.rz(1, sim::Angle::constant(0.3));
  const NoisyEmulator f(guadalupe(), idle, o);
  const auto pr = f.probabilities(std::vector<double>{});
  const QubitCalibration& c0 = guadalupe().qubit(f.layout().physical[0]);
  const QubitCalibration& c1 = guadalupe().qubit(f.layout().physical[1]);
  EXPECT_NEAR(pr[0b00], (1 - c0.prob_meas1_prep0) * (1 - c1.prob_meas1_prep0), 1e-15);
  EXPECT_NEAR(pr[0b01], (1 - c0.prob_meas1_prep0) * c1.prob_meas1_prep0, 1e-15);
}

TEST(NoisyEmulator, TrajectoriesAgreeWithTheDensityMatrix) {
  const sim::Circuit c = circuits::build_qcbm_circuit({1, 4, 3, 0, circuits::InitialState::bell});
  const auto theta = testing::random_parameters(c.num_parameters(), 8);
  EmulatorOptions o;
  o.method = EmulationMethod::density_matrix;
  o.noise.readout = false;  // compare the distributions the two methods estimate, before readout
  const auto exact = NoisyEmulator(guadalupe(), c, o).probabilities(theta);
  o.method = EmulationMethod::trajectories;
  o.trajectories = 4000;
  const NoisyEmulator e(guadalupe(), c, o);
  const std::vector<std::vector<double>> sets{theta};
  const auto estimate = sim::trajectory_probabilities(e.noisy_circuits(sets, 0),
                                                      {.trajectories = 4000, .seed = o.seed})[0];
  EXPECT_EQ(e.measured_distribution(estimate.probabilities, 0), e.probabilities(theta));
  double chi2 = 0.0, total_error = 0.0;
  for (std::size_t x = 0; x < exact.size(); ++x) {
    if (estimate.standard_error[x] > 0)
      chi2 += std::pow((estimate.probabilities[x] - exact[x]) / estimate.standard_error[x], 2);
    total_error += estimate.standard_error[x];
  }
  EXPECT_LT(chi2, 3.0 * 16 + 12);  // 16 outcomes; far beyond the 99.9 % quantile
  EXPECT_GT(total_error, 1e-4);    // the noise makes trajectories differ
  // And the noise matters: the noisy distribution is not the ideal one.
  EXPECT_GT(testing::max_difference(exact, sim::Simulator(c).probabilities(theta)), 1e-3);
}

TEST(NoisyEmulator, OverRotationOfEveryPulse) {
  sim::Circuit c(1);
  c.rot(0, sim::Angle::of(0), sim::Angle::of(1), sim::Angle::of(2));
  const std::vector<double> theta{0.4, 1.3, -0.2};
  for (double eps : {-0.05, 0.0, 0.08}) {
    EmulatorOptions o = noiseless(EmulationMethod::density_matrix);
    o.noise.over_rotation = eps;
    const auto p = NoisyEmulator(guadalupe(), c, o).probabilities(theta);
    // rz(phi) sx' rz(theta + pi) sx' rz(omega + pi) with sx' = RX(eps pi/2) sqrt(X).
    const testing::Dense sx = testing::pauli_rotation(testing::pauli::x(), eps * M_PI / 2) * testing::sqrt_x();
    const auto rz = [](double a) { return testing::pauli_rotation(testing::pauli::z(), a); };
    const testing::Dense u = rz(theta[2] + M_PI) * sx * rz(theta[1] + M_PI) * sx * rz(theta[0]);
    EXPECT_NEAR(p[1], std::norm(u(1, 0)), 1e-14) << eps;
  }
  // Per-qubit spread: fixed by the seed, different between qubits.
  NoiseOptions spread;
  spread.over_rotation = 0.01;
  spread.over_rotation_spread = 0.02;
  const NoiseModel m(guadalupe(), spread);
  EXPECT_NE(m.over_rotation(0), m.over_rotation(1));
  EXPECT_EQ(m.over_rotation(3), NoiseModel(guadalupe(), spread).over_rotation(3));
  spread.over_rotation = 1.5;
  EXPECT_THROW(NoiseModel(guadalupe(), spread), core::InputError);
}

TEST(NoisyEmulator, CalibrationDriftsAsAGeometricRandomWalk) {
  NoiseOptions o;
  o.drift = 0.02;
  const NoiseModel m(guadalupe(), o);
  const NoiseModel still(guadalupe(), NoiseOptions{});
  std::vector<double> steps;  // log(v(100)/v(0)) / (drift sqrt(100)): standard normal
  for (int q = 0; q < 16; ++q) {
    EXPECT_EQ(m.qubit(q, 0).t1, guadalupe().qubit(q).t1);  // batch 0: the file
    EXPECT_EQ(still.qubit(q, 100).t1, guadalupe().qubit(q).t1);
    const QubitCalibration later = m.qubit(q, 100);
    EXPECT_LE(later.t2, 2 * later.t1);
    EXPECT_EQ(later.t1, m.qubit(q, 100).t1);  // deterministic
    steps.push_back(std::log(later.t1 / guadalupe().qubit(q).t1) / 0.2);
    steps.push_back(std::log(later.prob_meas1_prep0 / guadalupe().qubit(q).prob_meas1_prep0) / 0.2);
    steps.push_back(std::log(m.gate(BasisGate::sx, q, 100).error / guadalupe().gate(BasisGate::sx, q).error) / 0.2);
  }
  for (const auto& [a, b] : guadalupe().coupling_map())
    steps.push_back(std::log(m.cx(a, b, 100).error / guadalupe().cx(a, b).error) / 0.2);
  double mean = 0.0, square = 0.0;
  for (double s : steps) mean += s / steps.size();
  for (double s : steps) square += (s - mean) * (s - mean) / (steps.size() - 1);
  EXPECT_NEAR(mean, 0.0, 0.35);          // 80 draws: the mean's error is 0.11
  EXPECT_NEAR(std::sqrt(square), 1.0, 0.25);
  // Drift changes what the emulator returns from batch to batch.
  const sim::Circuit c = circuits::build_qcbm_circuit({2, 4, 2, 4, circuits::InitialState::zero});
  EmulatorOptions e;
  e.method = EmulationMethod::density_matrix;
  e.noise.drift = 0.05;
  const NoisyEmulator emulator(guadalupe(), c, e);
  const auto theta = testing::random_parameters(c.num_parameters(), 2);
  EXPECT_NE(emulator.probabilities(theta, 0), emulator.probabilities(theta, 30));
  EXPECT_EQ(emulator.probabilities(theta, 30), emulator.probabilities(theta, 30));
}

TEST(NoisyEmulator, BatchesEqualSingleCircuitsAndCountsAreReproducible) {
  const sim::Circuit c = circuits::build_qcbm_circuit({2, 8, 3, 4, circuits::InitialState::zero});
  const auto theta = testing::random_parameters(c.num_parameters(), 5);
  std::vector<std::vector<double>> sweep;
  for (int k = 0; k < 6; ++k) {  // one angle of the last Rot layer shifted, as in LCD
    sweep.push_back(theta);
    sweep.back()[c.num_parameters() - 10] += 0.1 * (k - 3);
  }
  for (EmulationMethod m : {EmulationMethod::density_matrix, EmulationMethod::trajectories}) {
    EmulatorOptions o;
    o.method = m;
    o.trajectories = 30;
    const NoisyEmulator e(guadalupe(), c, o);
    const auto all = e.probabilities(sweep, 7);
    for (std::size_t k = 0; k < sweep.size(); ++k) EXPECT_EQ(all[k], e.probabilities(sweep[k], 7)) << k;
    core::RandomStream s1(11, core::stream_id(7, 3)), s2(11, core::stream_id(7, 3));
    const auto counts = e.counts(sweep[3], 20000, s1, 7);
    EXPECT_EQ(counts, e.counts(sweep[3], 20000, s2, 7));
    std::uint64_t total = 0;
    for (auto n : counts) total += n;
    EXPECT_EQ(total, 20000u);
    EXPECT_EQ(counts.size(), 256u);
  }
}

TEST(NoisyEmulator, RefusesImpossibleSetUps) {
  EmulatorOptions dm;
  dm.method = EmulationMethod::density_matrix;
  sim::Circuit chain(15);  // one connected part of 15 qubits
  for (int q = 0; q + 1 < 15; ++q) chain.cnot(q, q + 1);
  testing::expect_error<core::InputError>([&] { NoisyEmulator(guadalupe(), chain, dm); },
                                          "the density-matrix method holds at most 14 qubits; the "
                                          "circuit needs 15 at once");
  EXPECT_EQ(NoisyEmulator(guadalupe(), sim::Circuit(15), dm).largest_part(), 1);  // 15 lone qubits
  dm.split_register = false;
  EXPECT_THROW(NoisyEmulator(guadalupe(), sim::Circuit(15), dm), core::InputError);
  EmulatorOptions none;
  none.method = EmulationMethod::trajectories;
  none.trajectories = 0;
  testing::expect_error<core::InputError>([&] { NoisyEmulator(guadalupe(), sim::Circuit(2), none); },
                                          "trajectories = 0");
  testing::expect_error<core::InputError>([] { NoisyEmulator(guadalupe(), sim::Circuit(17)); },
                                          "needs 17 qubits");
  EXPECT_EQ(core::parse_enum<EmulationMethod>("trajectories", "emulator.method"), EmulationMethod::trajectories);
  EXPECT_THROW(core::parse_enum<EmulationMethod>("exact", "emulator.method"), core::InputError);
}

}  // namespace
}  // namespace qgen::hw
