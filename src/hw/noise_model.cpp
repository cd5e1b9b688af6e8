#include "qgen/hw/noise_model.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <string>

#include "qgen/core/errors.hpp"
#include "qgen/core/random_stream.hpp"
#include "qgen/core/text.hpp"

namespace qgen::hw {
namespace {

// Streams of the emulated device's own randomness, apart from shots (step << 32 | circuit),
// trajectories and initial parameters (circuits/initial_parameters.hpp).
constexpr std::uint64_t kDriftStream = 0xD21Full << 48;
constexpr std::uint64_t kOverRotationStream = 0x0E07ull << 48;

/// Keys of the drifting calibration values.
enum DriftQuantity : std::uint64_t { kT1, kT2, kMeas1Prep0, kMeas0Prep1, kSxError, kXError, kRzError };
std::uint64_t qubit_key(int q, DriftQuantity what) { return static_cast<std::uint64_t>(q) << 4 | what; }
std::uint64_t cx_key(int control, int target) {
  return std::uint64_t{1} << 40 | static_cast<std::uint64_t>(control) << 20 | static_cast<std::uint64_t>(target);
}

/// Standard normal from words 2j and 2j+1 of `stream` (Box-Muller).
double normal(core::RandomStream& stream, std::uint64_t j) {
  stream.seek(2 * j);
  const double u1 = 1.0 - stream.next_uniform();  // (0, 1]: log is finite
  const double u2 = stream.next_uniform();
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
}

std::shared_ptr<const sim::KrausChannel> shared(sim::KrausChannel channel) {
  return std::make_shared<const sim::KrausChannel>(std::move(channel));
}

}  // namespace

void check_noise_options(const NoiseOptions& o) {
  if (!(std::abs(o.over_rotation) < 1.0))
    throw core::InputError("noise.over-rotation = " + core::number_text(o.over_rotation) +
                           " must lie in (-1, 1) (a relative error of the pulse angle)");
  if (!(o.over_rotation_spread >= 0.0) || !std::isfinite(o.over_rotation_spread))
    throw core::InputError("noise.over-rotation-spread = " + core::number_text(o.over_rotation_spread) +
                           " must be >= 0");
  if (!(o.drift >= 0.0) || !std::isfinite(o.drift))
    throw core::InputError("noise.drift = " + core::number_text(o.drift) + " must be >= 0");
}

NoiseModel::NoiseModel(const DeviceModel& device, const NoiseOptions& options)
    : device_(device), options_(options) {
  check_noise_options(options);
}

double NoiseModel::drift_factor(std::uint64_t key, std::uint32_t batch) const {
  if (options_.drift == 0.0 || batch == 0) return 1.0;
  core::RandomStream stream(options_.seed, kDriftStream | key);
  double walk = 0.0;
  for (std::uint32_t b = 1; b <= batch; ++b) walk += normal(stream, b);
  return std::exp(options_.drift * walk);
}

QubitCalibration NoiseModel::qubit(int q, std::uint32_t batch) const {
  QubitCalibration c = device_.qubit(q);
  c.t1 *= drift_factor(qubit_key(q, kT1), batch);
  c.t2 = std::min(c.t2 * drift_factor(qubit_key(q, kT2), batch), 2 * c.t1);
  c.prob_meas1_prep0 = std::min(1.0, c.prob_meas1_prep0 * drift_factor(qubit_key(q, kMeas1Prep0), batch));
  c.prob_meas0_prep1 = std::min(1.0, c.prob_meas0_prep1 * drift_factor(qubit_key(q, kMeas0Prep1), batch));
  return c;
}

GateCalibration NoiseModel::gate(BasisGate g, int q, std::uint32_t batch) const {
  GateCalibration c = device_.gate(g, q);
  const DriftQuantity what = g == BasisGate::sx ? kSxError : g == BasisGate::x ? kXError : kRzError;
  c.error = std::min(1.0, c.error * drift_factor(qubit_key(q, what), batch));
  return c;
}

GateCalibration NoiseModel::cx(int control, int target, std::uint32_t batch) const {
  GateCalibration c = device_.cx(control, target);
  c.error = std::min(1.0, c.error * drift_factor(cx_key(control, target), batch));
  return c;
}

double NoiseModel::over_rotation(int q) const {
  if (options_.over_rotation_spread == 0.0) return options_.over_rotation;
  core::RandomStream stream(options_.seed, kOverRotationStream | static_cast<std::uint64_t>(q));
  return options_.over_rotation + options_.over_rotation_spread * normal(stream, 0);
}

NoiseModel::Compiled NoiseModel::compile(std::span<const int> physical, std::uint32_t batch) const {
  Compiled out;
  const int n = static_cast<int>(physical.size());
  out.num_qubits_ = n;
  out.one_qubit_.resize(n);
  out.cx_.assign(n, std::vector<Compiled::CxNoise>(n));
  out.has_cx_.assign(n, std::vector<char>(n, 0));
  out.readout_.assign(n, {});

  std::vector<QubitCalibration> qubits;
  for (int k = 0; k < n; ++k) qubits.push_back(qubit(physical[k], batch));
  // Relaxation over `length` seconds and its average gate fidelity (1 without).
  auto relaxation = [&](int k, double length) -> std::shared_ptr<const sim::KrausChannel> {
    if (!options_.relaxation || length <= 0.0) return nullptr;
    return shared(sim::thermal_relaxation_channel(qubits[k].t1, qubits[k].t2, length));
  };
  auto process_fidelity = [](const std::shared_ptr<const sim::KrausChannel>& c) {
    return c ? sim::process_fidelity(*c) : 1.0;
  };

  for (int k = 0; k < n; ++k) {
    const int q = physical[k];
    const double eps = over_rotation(q);
    for (BasisGate g : {BasisGate::rz, BasisGate::sx, BasisGate::x}) {
      const GateCalibration cal = gate(g, q, batch);
      Compiled::GateNoise& noise = out.one_qubit_[k][static_cast<int>(g)];
      noise.pulse = basis_matrix(g);
      if (g != BasisGate::rz && eps != 0.0)
        noise.pulse = sim::x_over_rotation(g == BasisGate::sx ? std::numbers::pi / 2 : std::numbers::pi, eps) *
                      noise.pulse;
      noise.relaxation = relaxation(k, cal.length);
      if (options_.gate_errors) {
        const double f = sim::average_gate_fidelity(process_fidelity(noise.relaxation), 1);
        const double p = sim::depolarizing_parameter(cal.error, 1, f);
        if (p > 0.0) noise.depolarizing = shared(sim::depolarizing_channel(p));
      }
    }
    if (options_.readout) out.readout_[k] = {qubits[k].prob_meas1_prep0, qubits[k].prob_meas0_prep1};
  }
  for (int a = 0; a < n; ++a)
    for (int b = 0; b < n; ++b) {
      if (a == b || !device_.has_cx(physical[a], physical[b])) continue;
      const GateCalibration cal = cx(physical[a], physical[b], batch);
      Compiled::CxNoise& noise = out.cx_[a][b];
      out.has_cx_[a][b] = 1;
      noise.relax_control = relaxation(a, cal.length);
      noise.relax_target = relaxation(b, cal.length);
      if (options_.gate_errors) {
        const double f = sim::average_gate_fidelity(
            process_fidelity(noise.relax_control) * process_fidelity(noise.relax_target), 2);
        noise.depolarizing = sim::depolarizing_parameter(cal.error, 2, f);
      }
    }
  return out;
}

sim::NoisyCircuit NoiseModel::Compiled::noisy(const DeviceCircuit& circuit) const {
  if (circuit.num_qubits != num_qubits_)
    throw core::InternalError("noise model: a circuit on " + std::to_string(circuit.num_qubits) +
                              " qubits, noise compiled for " + std::to_string(num_qubits_));
  sim::NoisyCircuit out(num_qubits_);
  for (const DeviceGate& g : circuit.gates) {
    const int a = g.qubits[0], b = g.qubits[1];
    if (g.gate == BasisGate::cx) {
      if (!has_cx_[a][b])
        throw core::InternalError("noise model: cx(" + std::to_string(a) + ", " + std::to_string(b) +
                                  ") on an uncoupled pair");
      const CxNoise& noise = cx_[a][b];
      out.cnot(a, b);
      if (noise.depolarizing > 0.0) out.depolarize(a, b, noise.depolarizing);
      if (noise.relax_control) out.channel(a, noise.relax_control);
      if (noise.relax_target) out.channel(b, noise.relax_target);
      continue;
    }
    const GateNoise& noise = one_qubit_[a][static_cast<int>(g.gate)];
    out.unitary(a, g.gate == BasisGate::rz ? basis_matrix(BasisGate::rz, g.angle) : noise.pulse);
    if (noise.depolarizing) out.channel(a, noise.depolarizing);
    if (noise.relaxation) out.channel(a, noise.relaxation);
  }
  return out;
}

}  // namespace qgen::hw
