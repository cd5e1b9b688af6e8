// qgen-bench-noise: one LCD batch on the emulated ibm_cairo (paper 000, IV.B), split over the
// MPI ranks, and the density-matrix time of one 8-qubit circuit on the emulated ibmq_guadalupe.
//
// The batch: the 12-qubit ansatz 2 (d = 12, blocks of 4, 468 parameters, from |0>) with
// parameters drawn uniformly, one Rot layer, the theta angle of each of its 12 gates shifted by
// 25 values in [-pi/4, pi/4) (spacing pi/50 = 0.0628, the paper's for cairo): 300 circuits with
// gate noise, relaxation and readout; 20000 shots drawn from each circuit's estimated
// distribution, and the JS against the circuit's own noiseless distribution (a perfectly trained
// model: the JS values are what the noise adds, as near the end of a training). Ranks take whole
// gates (all 25 shifts of a gate) and share the prefix before each. Timed: emulation, shots, JS
// values and their gather on rank 0; the median over `repeats` runs; for three layers: the
// measurement-side one LCD starts with, a middle one, and the first (least to share).
//
// Statistical error of a JS value (not timed), against the target "the emulator adds no more
// noise to a JS value than the device's 20000 shots do":
//   shots         sigma_shot^2 = (sum g^2 Q - (sum g Q)^2) / N,  g = dJS/dQ = 1/2 log(Q/M)
//                 (the delta method for N multinomial shots from Q)
//   trajectories  sigma_traj = the standard deviation, over `seeds` runs with other trajectory
//                 seeds, of the JS of the estimated distribution itself (no shots)
//
// Configurations: the default emulator (the exact density matrix of each independent part of
// the register, here each 4-qubit block), trajectories of each part, and trajectories of the
// whole 12-qubit register (what a circuit that does not split costs).
//
//   mpiexec -n 2 build/release/tests/bench/qgen-bench-noise [trajectories (2000)] [repeats (3)]
//       [whole-register trajectories (100)] [seeds (5)]
#include <mpi.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <numbers>
#include <string>

#include "qgen/circuits/ansatz.hpp"
#include "qgen/circuits/initial_parameters.hpp"
#include "qgen/hw/noisy_emulator.hpp"
#include "qgen/sim/sampling.hpp"
#include "qgen/sim/simulator.hpp"
#include "qgen/train/loss.hpp"

namespace {

using namespace qgen;

constexpr int kGates = 12, kShifts = 25, kCircuits = kGates * kShifts;
constexpr std::uint64_t kShots = 20000, kShotSeed = 5;

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? NAN : v[v.size() / 2];
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

/// The 300 circuits of a batch: circuit g * 25 + k shifts theta of gate g of Rot layer `layer`.
std::vector<std::vector<double>> sweep(const std::vector<double>& theta, int layer) {
  std::vector<std::vector<double>> sets;
  for (int g = 0; g < kGates; ++g)
    for (int k = 0; k < kShifts; ++k) {
      sets.push_back(theta);
      sets.back()[3 * (layer * kGates + g) + 1] += -std::numbers::pi / 4 + k * (std::numbers::pi / 2) / kShifts;
    }
  return sets;
}

/// Concatenates every rank's values on rank 0, in rank order.
std::vector<double> gather(const std::vector<double>& mine, int size) {
  int count = static_cast<int>(mine.size());
  std::vector<int> counts(size), offsets(size, 0);
  MPI_Gather(&count, 1, MPI_INT, counts.data(), 1, MPI_INT, 0, MPI_COMM_WORLD);
  for (int r = 1; r < size; ++r) offsets[r] = offsets[r - 1] + counts[r - 1];
  std::vector<double> all(offsets.back() + counts.back());
  MPI_Gatherv(mine.data(), count, MPI_DOUBLE, all.data(), counts.data(), offsets.data(),
              MPI_DOUBLE, 0, MPI_COMM_WORLD);
  return all;
}

struct Setup {
  const hw::DeviceModel& device;
  const sim::Circuit& circuit;
  const std::vector<double>& theta;
  const train::Loss& loss;
  int rank, size, repeats, seeds;
};

struct Result {
  double seconds = 0;           // median batch time, the slowest rank
  std::vector<double> js;       // all circuits (rank 0)
  std::vector<double> sigma_shot, sigma_traj;
};

Result run(const Setup& s, const hw::EmulatorOptions& options, int layer) {
  const hw::NoisyEmulator emulator(s.device, s.circuit, options);
  const std::vector<std::vector<double>> sets = sweep(s.theta, layer);
  // Ranks take whole gates: gates [rank * 12 / size, (rank + 1) * 12 / size).
  const int first = s.rank * kGates / s.size * kShifts;
  const int count = ((s.rank + 1) * kGates / s.size) * kShifts - first;
  const std::span<const std::vector<double>> mine(sets.data() + first, count);
  const auto batch = static_cast<std::uint32_t>(layer);

  Result out;
  std::vector<double> times, js;
  std::vector<std::vector<double>> model;
  for (int r = 0; r < s.repeats; ++r) {
    MPI_Barrier(MPI_COMM_WORLD);
    const auto t0 = std::chrono::steady_clock::now();
    model = emulator.probabilities(mine, batch);
    sim::ShotSampler sampler;
    std::vector<double> estimate(model.front().size());
    js.clear();
    for (int i = 0; i < count; ++i) {
      core::RandomStream stream(kShotSeed, core::stream_id(batch, static_cast<std::uint32_t>(first + i)));
      sampler.estimate(model[i], kShots, stream, estimate);
      js.push_back(s.loss.value(estimate));
    }
    out.js = gather(js, s.size);
    times.push_back(seconds_since(t0));
  }
  const double t = median(times);
  MPI_Reduce(&t, &out.seconds, 1, MPI_DOUBLE, MPI_MAX, 0, MPI_COMM_WORLD);

  std::vector<double> shot(count), traj(count, 0.0);
  std::vector<double> g(model.front().size());
  for (int i = 0; i < count; ++i) {
    s.loss.value_and_gradient(model[i], g);
    double gq = 0.0, g2q = 0.0;
    for (std::size_t x = 0; x < g.size(); ++x) {
      gq += g[x] * model[i][x];
      g2q += g[x] * g[x] * model[i][x];
    }
    shot[i] = std::sqrt(std::max(0.0, g2q - gq * gq) / kShots);
  }
  if (options.method == hw::EmulationMethod::trajectories) {
    std::vector<std::vector<double>> values(count);  // JS of the estimate, per seed
    for (int seed = 0; seed < s.seeds; ++seed) {
      hw::EmulatorOptions other = options;
      other.seed = options.seed + 1000 + seed;
      const auto p = hw::NoisyEmulator(s.device, s.circuit, other).probabilities(mine, batch);
      for (int i = 0; i < count; ++i) values[i].push_back(s.loss.value(p[i]));
    }
    for (int i = 0; i < count; ++i) {
      double mean = 0.0, square = 0.0;
      for (double v : values[i]) mean += v / s.seeds;
      for (double v : values[i]) square += (v - mean) * (v - mean) / (s.seeds - 1);
      traj[i] = std::sqrt(square);
    }
  }
  out.sigma_shot = gather(shot, s.size);
  out.sigma_traj = gather(traj, s.size);
  return out;
}

void report(const Result& r, int layer, const char* label, int size) {
  std::vector<double> spread;
  for (int gate = 0; gate < kGates; ++gate) {
    const auto [lo, hi] = std::minmax_element(r.js.begin() + gate * kShifts, r.js.begin() + (gate + 1) * kShifts);
    spread.push_back(*hi - *lo);
  }
  const double s_shot = median(r.sigma_shot), s_traj = median(r.sigma_traj);
  std::printf("  Rot layer %2d, %-26s %6.2f s  (<= 10 s: %s)  JS %.4f [%.4f, %.4f], spread per gate "
              "%.1e;  error: traj %.1e, shots %.1e, traj/shots %.2f (<= 1: %s)\n",
              layer, label, r.seconds, size == 2 ? (r.seconds <= 10 ? "met" : "MISSED") : "n/a",
              median(r.js), *std::min_element(r.js.begin(), r.js.end()),
              *std::max_element(r.js.begin(), r.js.end()), median(spread), s_traj, s_shot,
              s_traj / s_shot, s_traj <= s_shot ? "met" : "MISSED");
}

}  // namespace

int main(int argc, char** argv) {
  MPI_Init(&argc, &argv);
  int rank = 0, size = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  const int trajectories = argc > 1 ? std::atoi(argv[1]) : 2000;
  const int repeats = argc > 2 ? std::atoi(argv[2]) : 3;
  const int whole_trajectories = argc > 3 ? std::atoi(argv[3]) : 100;
  const int seeds = argc > 4 ? std::atoi(argv[4]) : 5;

  const hw::DeviceModel cairo = hw::DeviceModel::read_folder(QGEN_SOURCE_DIR "/inputs/devices/ibm_cairo");
  const sim::Circuit circuit = circuits::build_qcbm_circuit({2, 12, 12, 4, circuits::InitialState::zero});
  circuits::ParameterInitOptions init;
  init.seed = 3;
  const std::vector<double> theta = circuits::initial_parameters(circuit.num_parameters(), init);
  const train::Loss loss({train::LossKind::js}, sim::Simulator(circuit).probabilities(theta));
  const Setup setup{cairo, circuit, theta, loss, rank, size, repeats, seeds};

  hw::EmulatorOptions exact;  // the default emulator: density matrices of the register's parts
  if (rank == 0) {
    const hw::NoisyEmulator e(cairo, circuit, exact);
    const auto noisy = e.noisy_circuits(std::vector<std::vector<double>>{theta}, 0).front();
    std::printf("== qgen-bench-noise: LCD batch on the ibm_cairo model: Q=12, ansatz 2 (d=12, blocks "
                "of 4), %d circuits (%d gates x %d shifts), %llu shots each, %d ranks ==\n",
                kCircuits, kGates, kShifts, static_cast<unsigned long long>(kShots), size);
    std::printf("layout on device qubits:");
    for (int p : e.layout().physical) std::printf(" %d", p);
    std::printf(" (%d SWAPs, expected errors %.3f); per circuit %zu operations, %d noise sites, "
                "parts of %d qubits\n", e.layout().swaps, e.layout().expected_errors, noisy.size(),
                noisy.num_noise_sites(), e.largest_part());
    std::printf("noise: depolarising from gate errors, thermal relaxation, readout; batch times are "
                "medians of %d runs; trajectory errors from %d seeds\n", repeats, seeds);
  }
  const std::pair<int, const char*> layers[] = {{12, "last (LCD's first batch)"}, {6, "middle"},
                                                {0, "first (least sharing)"}};

  if (rank == 0) std::printf("\ndensity matrix of each 4-qubit part (the default emulator; exact):\n");
  for (const auto& [layer, label] : layers) {
    const Result r = run(setup, exact, layer);
    if (rank == 0) report(r, layer, label, size);
  }

  hw::EmulatorOptions traj;
  traj.method = hw::EmulationMethod::trajectories;
  traj.trajectories = trajectories;
  if (rank == 0) std::printf("\ntrajectories of each 4-qubit part, %d per circuit:\n", trajectories);
  for (const auto& [layer, label] : layers) {
    const Result r = run(setup, traj, layer);
    if (rank == 0) report(r, layer, label, size);
  }

  hw::EmulatorOptions whole = traj;
  whole.split_register = false;
  whole.trajectories = whole_trajectories;
  if (rank == 0)
    std::printf("\ntrajectories of the whole 12-qubit register, %d per circuit (a circuit that does "
                "not split):\n", whole_trajectories);
  for (const auto& [layer, label] : layers) {
    const Result r = run(setup, whole, layer);
    if (rank == 0) {
      report(r, layer, label, size);
      const double ratio = median(r.sigma_traj) / median(r.sigma_shot);
      std::printf("      trajectory error = shot error needs about %.0f trajectories per circuit\n",
                  whole_trajectories * ratio * ratio);
    }
  }

  if (rank == 0) {
    // The density matrix of one 8-qubit circuit on the ibmq_guadalupe model, whole and split.
    const hw::DeviceModel guadalupe =
        hw::DeviceModel::read_folder(QGEN_SOURCE_DIR "/inputs/devices/ibmq_guadalupe");
    const sim::Circuit c8 = circuits::build_qcbm_circuit({2, 8, 12, 4, circuits::InitialState::zero});
    const sim::Circuit c8a1 = circuits::build_qcbm_circuit({1, 8, 6, 0, circuits::InitialState::zero});
    const auto theta8 = circuits::initial_parameters(c8.num_parameters(), init);
    const auto theta8a1 = circuits::initial_parameters(c8a1.num_parameters(), init);
    std::printf("\ndensity matrix, one 8-qubit circuit on the ibmq_guadalupe model, all noise (median of 5):\n");
    for (const auto& [c, th, name] : {std::tuple{&c8, &theta8, "ansatz 2, d=12"}, std::tuple{&c8a1, &theta8a1, "ansatz 1, d=6"}})
      for (bool split : {false, true}) {
        hw::EmulatorOptions dm;
        dm.method = hw::EmulationMethod::density_matrix;
        dm.split_register = split;
        const hw::NoisyEmulator e(guadalupe, *c, dm);
        std::vector<double> t;
        for (int r = 0; r < 5; ++r) {
          const auto t0 = std::chrono::steady_clock::now();
          e.probabilities(*th, 0);
          t.push_back(seconds_since(t0));
        }
        std::printf("  %-15s %-34s %.4f s\n", name,
                    split ? (e.largest_part() < 8 ? "split into 4-qubit parts" : "split (one 8-qubit part)")
                          : "whole register (16-qubit vec(rho))", median(t));
      }
  }
  MPI_Finalize();
  return 0;
}
