// qgen-bench-mitigation: what readout-error mitigation (hw/readout_mitigation.hpp) recovers on
// the emulated ibmq_guadalupe, all noise on (gate errors, relaxation, readout; batch 0, no
// drift), for the 8-qubit ansatz 1 (d = 6, 276 parameters, from |0>).
//
// For each parameter set: the noiseless distribution P, the emulator's exact noisy distribution,
// and 20000 shots drawn from it; the JS distance to P of
//   noisy              the shots' estimate counts / shots
//   mitigated (file)   the NNLS mitigation with the calibration file's readout errors of the
//                      measured device qubits (from_device)
//   mitigated (meas.)  the same with a calibration measured on the emulator: 20000 shots each of
//                      |0...0> and |1...1> read out on the same device qubits (readout only)
//   clipped inverse    A^-1 f, negatives set to 0, renormalised (file calibration)
// and, without shots, of the exact noisy distribution before and after mitigation (file
// calibration); "shots only" is the JS of 20000 shots drawn from P itself (the floor no
// mitigation can go below). Two families of parameters: uniform in [0, 2 pi) (the papers'
// initialisation; a spread-out distribution, max P ~ 0.03) and uniform in [-0.3, 0.3) (small
// angles: max P ~ 0.3-0.55 and a tail, peaked as trained generators of the jet distributions
// are; column "max P"). Then the same with readout noise
// only (gate errors and relaxation off): what mitigation does where readout is all the noise.
//
//   build/release/tests/bench/qgen-bench-mitigation [parameter sets per family (5)]
#include <mpi.h>
#include <petscsys.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <numbers>
#include <numeric>

#include "qgen/circuits/ansatz.hpp"
#include "qgen/circuits/initial_parameters.hpp"
#include "qgen/hw/noisy_emulator.hpp"
#include "qgen/hw/readout_mitigation.hpp"
#include "qgen/sim/sampling.hpp"
#include "qgen/sim/simulator.hpp"
#include "qgen/train/loss.hpp"

namespace {

using namespace qgen;
constexpr std::uint64_t kShots = 20000;

std::vector<double> estimate(const std::vector<std::uint64_t>& counts) {
  std::vector<double> f(counts.begin(), counts.end());
  const double shots = std::accumulate(f.begin(), f.end(), 0.0);
  for (double& x : f) x /= shots;
  return f;
}

/// A calibration measured on the emulator: |0...0> and |1...1> on the compact qubits the
/// circuit is measured on, read out (readout errors only), kShots shots each.
hw::ReadoutCalibration measured_calibration(const hw::NoisyEmulator& e) {
  const hw::Layout& layout = e.layout();
  const int c = static_cast<int>(layout.physical.size());
  std::vector<double> all0(std::size_t{1} << c, 0.0), all1 = all0;
  std::size_t ones = 0;
  for (const int compact : layout.final) ones |= std::size_t{1} << (c - 1 - compact);
  all0[0] = 1.0;
  all1[ones] = 1.0;
  core::RandomStream s0(101, 0), s1(101, 1);
  return hw::from_calibration_counts(sim::sample_counts(e.measured_distribution(all0, 0), kShots, s0),
                                     sim::sample_counts(e.measured_distribution(all1, 0), kShots, s1));
}

}  // namespace

int main(int argc, char** argv) {
  MPI_Init(&argc, &argv);
  PetscInitialize(&argc, &argv, nullptr, nullptr);  // -readout_mitigation_tao_* options
  PetscPushErrorHandler(PetscReturnErrorHandler, nullptr);
  const int sets = argc > 1 && argv[1][0] != '-' ? std::atoi(argv[1]) : 5;
  {
    const hw::DeviceModel device = hw::DeviceModel::read_folder(QGEN_SOURCE_DIR "/inputs/devices/ibmq_guadalupe");
    const sim::Circuit circuit = circuits::build_qcbm_circuit({1, 8, 6, 0, circuits::InitialState::zero});
    hw::EmulatorOptions readout_only;
    readout_only.noise.gate_errors = readout_only.noise.relaxation = false;
    const hw::NoisyEmulator all_noise(device, circuit, hw::EmulatorOptions{});
    const hw::NoisyEmulator readout_noise(device, circuit, readout_only);
    const hw::ReadoutCalibration file = hw::from_device(device, all_noise.layout());
    const hw::ReadoutCalibration measured = measured_calibration(all_noise);
    const hw::NoisyEmulator& e = all_noise;
    if (readout_noise.layout().physical != e.layout().physical || readout_noise.layout().final != e.layout().final) {
      std::fprintf(stderr, "the two emulators laid the circuit out differently\n");
      return 1;
    }

    std::printf("== qgen-bench-mitigation: ansatz 1, Q=8, d=6 on the ibmq_guadalupe model, "
                "%llu shots ==\n", static_cast<unsigned long long>(kShots));
    std::printf("measured on device qubits (p10, p01 file | measured):\n");
    for (int k = 0; k < 8; ++k)
      std::printf("  circuit qubit %d: device qubit %2d  %.4f %.4f | %.4f %.4f\n", k,
                  e.layout().physical[e.layout().final[k]], file.qubit(k).p1_given_0,
                  file.qubit(k).p0_given_1, measured.qubit(k).p1_given_0, measured.qubit(k).p0_given_1);

    struct Family {
      const char* name;
      double low, high;
    };
    for (const hw::NoisyEmulator* emulator : {&all_noise, &readout_noise})
    for (const Family& family : {Family{"uniform [0, 2pi)", 0.0, 2 * std::numbers::pi},
                                 Family{"small angles [-0.3, 0.3)", -0.3, 0.3}}) {
      std::printf("\n%s, parameters %s; JS to the noiseless distribution:\n",
                  emulator == &all_noise ? "all noise" : "readout noise only", family.name);
      std::printf("  %4s %6s %11s | %11s %11s %11s %11s | %11s %11s | %5s %8s\n", "set", "max P",
                  "shots only", "noisy", "mitig.file", "mitig.meas", "clip.inv", "exact noisy",
                  "exact mitig", "its", "solve ms");
      std::vector<double> sum(7, 0.0);
      for (int set = 1; set <= sets; ++set) {
        circuits::ParameterInitOptions init;
        init.low = family.low;
        init.high = family.high;
        init.seed = static_cast<std::uint64_t>(set);
        const std::vector<double> theta = circuits::initial_parameters(circuit.num_parameters(), init);
        const std::vector<double> ideal = sim::Simulator(circuit).probabilities(theta);
        const std::vector<double> noisy = emulator->probabilities(theta);
        core::RandomStream shots_ideal(7, core::stream_id(0, set)), shots_noisy(8, core::stream_id(0, set));
        const std::vector<double> floor = estimate(sim::sample_counts(ideal, kShots, shots_ideal));
        const std::vector<std::uint64_t> counts = sim::sample_counts(noisy, kShots, shots_noisy);
        const std::vector<double> f = estimate(counts);
        const auto t0 = std::chrono::steady_clock::now();
        const hw::MitigationResult by_file = hw::solve_mitigation(file, f);
        const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
        const std::vector<double> values{
            train::jensen_shannon(ideal, floor),
            train::jensen_shannon(ideal, f),
            train::jensen_shannon(ideal, by_file.probabilities),
            train::jensen_shannon(ideal, hw::mitigate(measured, counts)),
            train::jensen_shannon(ideal, hw::clipped_inverse_estimate(file, f)),
            train::jensen_shannon(ideal, noisy),
            train::jensen_shannon(ideal, hw::mitigate_distribution(file, noisy))};
        for (std::size_t i = 0; i < values.size(); ++i) sum[i] += values[i] / sets;
        std::printf("  %4d %6.3f %11.3e | %11.3e %11.3e %11.3e %11.3e | %11.3e %11.3e | %5d %8.2f\n",
                    set, *std::max_element(ideal.begin(), ideal.end()), values[0], values[1], values[2], values[3], values[4], values[5], values[6],
                    by_file.iterations, ms);
        if (!by_file.converged) std::printf("       TAO: %s\n", by_file.tao_reason.c_str());
      }
      std::printf("  %4s %6s %11.3e | %11.3e %11.3e %11.3e %11.3e | %11.3e %11.3e\n", "mean", "", sum[0],
                  sum[1], sum[2], sum[3], sum[4], sum[5], sum[6]);
    }
  }
  PetscPopErrorHandler();
  PetscFinalize();
  MPI_Finalize();
  return 0;
}
