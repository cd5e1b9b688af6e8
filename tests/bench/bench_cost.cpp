// qgen-bench-cost: measures the constants of the step cost model (train/step_cost_model.hpp)
// on this machine and writes them as a calibration file for `qgen cost --calibration`.
//
//   mpiexec -n 2 build/release/qgen-bench-cost [--output cost-calibration.json] [--max-qubits 24]
//
// Every rank runs every measurement at the same time (a barrier before each repetition), as
// the ranks of a training run do: the figures include the contention for memory bandwidth a
// full node sees. Each figure is the median of its repetitions (rank 0's): on a machine shared
// with other jobs the mean is far above it (preemptions), and a training step, a sum of
// thousands of such pieces, sees the mean -- calibrate and validate on quiet cores.
//   pass        ansatz-1 parameter-shift walks (sim::ParameterShift, paired) at Q = 8, 10, ...,
//               max: seconds per amplitude of one pass (the work split's unit, sim::pass_cost);
//   estimate    shot estimates (sim::ShotSampler) of Porter-Thomas distributions at Q = 8, 12,
//               16 and 8192, 20000, 100000 shots: t = a 2^Q + b shots (relative least squares);
//   loss        JS loss and dL/dQ at Q = 8 ... 20: t = c 2^Q (relative least squares);
//   collectives MPI_Allreduce, MPI_Allgather, MPI_Reduce_scatter, MPI_Gather, MPI_Bcast and
//               MPI_Sendrecv with the partner from 8 B to 16 MiB: latency = the 8-byte time,
//               seconds per byte = relative least-squares slope of (t - latency) over the
//               sizes from 32 KiB. Run on 2 ranks of one node this measures shared memory; run it on
//               two nodes (srun -N 2 -n 2) for a network.
// Timing here is printed, never asserted.
#include <mpi.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include "qgen/circuits/ansatz.hpp"
#include "qgen/core/atomic_file.hpp"
#include "qgen/core/random_stream.hpp"
#include "qgen/sim/parameter_shift.hpp"
#include "qgen/sim/sampling.hpp"
#include "qgen/sim/simulator.hpp"
#include "qgen/train/loss.hpp"
#include "qgen/train/step_cost_model.hpp"

namespace {

using namespace qgen;

int world_rank = 0, world_size = 1;

// Median of `reps` timed calls, every rank starting together; rank 0's median, shared.
template <typename F>
double median_seconds(int reps, F work) {
  std::vector<double> t;
  for (int k = 0; k < reps; ++k) {
    MPI_Barrier(MPI_COMM_WORLD);
    const double start = MPI_Wtime();
    work();
    t.push_back(MPI_Wtime() - start);
  }
  std::sort(t.begin(), t.end());
  double m = t[t.size() / 2];
  MPI_Bcast(&m, 1, MPI_DOUBLE, 0, MPI_COMM_WORLD);
  return m;
}

std::string processor() {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("model name", 0) == 0) return line.substr(line.find(':') + 2);
  return "unknown processor";
}

// Least squares through the origin of y = slope x in relative terms (each point weighted by
// 1/y^2), so that the largest sizes, where a preempted partner costs most, do not decide alone.
double slope_through_origin(const std::vector<double>& x, const std::vector<double>& y) {
  double xy = 0, xx = 0;
  for (std::size_t k = 0; k < x.size(); ++k) {
    if (!(y[k] > 0)) continue;
    const double u = x[k] / y[k];
    xy += u, xx += u * u;
  }
  return xx > 0 ? xy / xx : 0.0;
}

train::LinkFigures measure_link(const char* name, const std::function<void(std::size_t)>& run) {
  std::vector<double> bytes_large, extra;
  double latency = 0;
  if (world_rank == 0) std::printf("  %-15s", name);
  for (std::size_t bytes = 8; bytes <= (std::size_t{16} << 20); bytes *= 8) {
    const int reps = bytes <= 4096 ? 400 : bytes <= (1u << 20) ? 40 : 10;
    run(bytes);  // warm up (buffers, shared-memory paths)
    const double t = median_seconds(reps, [&] { run(bytes); });
    if (bytes == 8) latency = t;
    if (bytes >= 32768) bytes_large.push_back(double(bytes)), extra.push_back(std::max(0.0, t - latency));
    if (world_rank == 0) std::printf(" %9.2e", t);
  }
  const train::LinkFigures f{latency, slope_through_origin(bytes_large, extra)};
  if (world_rank == 0)
    std::printf("   latency %.2f us, %.2f GB/s\n", f.latency * 1e6,
                f.seconds_per_byte > 0 ? 1e-9 / f.seconds_per_byte : 0.0);
  return f;
}

}  // namespace

int main(int argc, char** argv) {
  MPI_Init(&argc, &argv);
  MPI_Comm_rank(MPI_COMM_WORLD, &world_rank);
  MPI_Comm_size(MPI_COMM_WORLD, &world_size);
  std::string output = "cost-calibration.json";
  int max_qubits = 24;
  for (int k = 1; k < argc; ++k) {
    if (!std::strcmp(argv[k], "--output") && k + 1 < argc) output = argv[++k];
    else if (!std::strcmp(argv[k], "--max-qubits") && k + 1 < argc) max_qubits = std::atoi(argv[++k]);
    else {
      if (world_rank == 0)
        std::fprintf(stderr, "usage: mpiexec -n 2 qgen-bench-cost [--output FILE] [--max-qubits Q]\n");
      MPI_Finalize();
      return 2;
    }
  }
  train::CostCalibration c;
  c.machine = processor() + ", " + std::to_string(world_size) + (world_size == 1 ? " rank" : " ranks");
  {
    char when[64];
    const std::time_t now = std::time(nullptr);
    std::strftime(when, sizeof when, "%Y-%m-%d %H:%M UTC", std::gmtime(&now));
    c.measured = std::string("qgen-bench-cost, ") + when;
  }
  if (world_rank == 0)
    std::printf("qgen-bench-cost: %s, %d ranks (medians; every rank measuring at once)\n\n",
                processor().c_str(), world_size);

  // Seconds per amplitude-pass, measured where a step spends them: in the parameter-shift walk
  // (sim::ParameterShift::evaluate, paired) over a spread of sites, divided by the passes the
  // model counts for it (the sites' suffixes as site_costs gives them, the prefix walk to the
  // last one, the paired final state). A lone forward run is faster per pass at Q <= 14 (one
  // state in cache; the walk keeps five): both are printed, the walk's figure is used.
  if (world_rank == 0)
    std::printf("  pass            Q  depth  sites  walk passes  walk s     s/amp/pass  (lone forward s/amp/pass)\n");
  for (int q = 8; q <= max_qubits; q += 2) {
    circuits::AnsatzSpec spec;
    spec.num_qubits = q;
    spec.depth = q <= 16 ? 6 : 2;
    const sim::Circuit circuit = circuits::build_qcbm_circuit(spec);
    const sim::Simulator forward(circuit);
    const sim::ParameterShift shift(circuit);
    double passes = 0;
    for (const auto& g : shift.plan().groups) passes += sim::pass_cost(g.kind);
    const std::vector<double> theta(circuit.num_parameters(), 0.3);
    sim::StateVector psi(q);
    std::vector<double> probs(psi.size());
    forward.run(theta, psi, probs.data());
    const int reps = q <= 16 ? 7 : q <= 20 ? 5 : 3;
    const double t_forward = median_seconds(reps, [&] { forward.run(theta, psi, probs.data()); });
    // Every site up to Q = 14, 12 spread over the circuit beyond (6 from Q = 22).
    const auto site_costs = shift.site_costs();
    const int n = static_cast<int>(site_costs.size());
    const int stride = q <= 14 ? 1 : std::max(1, n / (q <= 20 ? 12 : 6));
    std::vector<int> chosen;
    double walk_passes = passes;  // the paired final state
    for (int k = 0; k < n; k += stride) chosen.push_back(k), walk_passes += site_costs[k];
    for (int g = 0; g < shift.sites()[chosen.back()].group; ++g) walk_passes += sim::pass_cost(shift.plan().groups[g].kind);
    double sink = 0;
    const double t_walk = median_seconds(q <= 16 ? 5 : 3, [&] {
      shift.evaluate(theta, chosen, [&](int, int, std::span<const double> p) { sink += p[0]; });
    });
    const double amplitudes = std::ldexp(1.0, q);
    const double per = t_walk / (walk_passes * amplitudes);
    c.pass_seconds_per_amplitude.emplace_back(q, per);
    if (world_rank == 0)
      std::printf("  %15d %6d %6zu %12.0f  %9.3e  %.3e   (%.3e)\n", q, spec.depth, chosen.size(), walk_passes, t_walk,
                  per, t_forward / (passes * amplitudes));
    if (sink < 0) std::printf("impossible\n");
  }

  // Shot estimates: t = a 2^Q + b shots, least squares over the grid, on Porter-Thomas
  // (exponential) weights, a random circuit's distribution. (A distribution concentrated on a
  // few states measured the same within 10 % at Q = 8 and 12.)
  {
    double saa = 0, sab = 0, sbb = 0, sat = 0, sbt = 0;
    if (world_rank == 0) std::printf("\n  shot estimate   Q   shots   seconds\n");
    sim::ShotSampler sampler;
    for (int q : {8, 12, 16}) {
      std::vector<double> p(std::size_t{1} << q), estimate(p.size());
      core::RandomStream fill(7, q);
      double sum = 0;
      for (double& x : p) sum += (x = -std::log(1.0 - fill.next_uniform()));
      for (double& x : p) x /= sum;
      for (std::uint64_t shots : {8192ull, 20000ull, 100000ull}) {
        core::RandomStream stream(1, 2);
        const double t = median_seconds(15, [&] { sampler.estimate(p, shots, stream, estimate); });
        // Relative least squares: each row divided by its time.
        const double a = std::ldexp(1.0, q) / t, b = double(shots) / t;
        saa += a * a, sab += a * b, sbb += b * b, sat += a, sbt += b;
        if (world_rank == 0) std::printf("  %15d %7llu  %.3e\n", q, static_cast<unsigned long long>(shots), t);
      }
    }
    const double det = saa * sbb - sab * sab;
    c.estimate_seconds_per_state = std::max(0.0, (sat * sbb - sbt * sab) / det);
    c.estimate_seconds_per_shot = std::max(0.0, (saa * sbt - sab * sat) / det);
    if (world_rank == 0)
      std::printf("  fit: %.3e s per state + %.3e s per shot\n", c.estimate_seconds_per_state,
                  c.estimate_seconds_per_shot);
  }

  // The loss and dL/dQ over 2^Q states.
  {
    std::vector<double> n, t;
    if (world_rank == 0) std::printf("\n  loss (JS)       Q   seconds\n");
    for (int q = 8; q <= std::min(20, max_qubits); q += 4) {
      std::vector<double> target(std::size_t{1} << q), model(target.size()), gradient(target.size());
      core::RandomStream fill(3, q);
      double st = 0, sm = 0;
      for (std::size_t x = 0; x < target.size(); ++x) {
        target[x] = x % 3 == 0 ? 0.0 : fill.next_uniform();  // some empty bins, as real targets have
        model[x] = fill.next_uniform();
        st += target[x], sm += model[x];
      }
      for (std::size_t x = 0; x < target.size(); ++x) target[x] /= st, model[x] /= sm;
      const train::Loss loss(train::LossOptions{}, target);
      const double s = median_seconds(q <= 16 ? 21 : 7, [&] { loss.value_and_gradient(model, gradient); });
      n.push_back(std::ldexp(1.0, q));
      t.push_back(s);
      if (world_rank == 0) std::printf("  %15d  %.3e\n", q, s);
    }
    c.loss_seconds_per_state = slope_through_origin(n, t);
    if (world_rank == 0) std::printf("  fit: %.3e s per state\n", c.loss_seconds_per_state);
  }

  // Collectives on the world, and the pairwise exchange.
  if (world_size > 1) {
    if (world_rank == 0) {
      std::printf("\n  collective     ");
      for (std::size_t bytes = 8; bytes <= (std::size_t{16} << 20); bytes *= 8) std::printf(" %8zuB", bytes);
      std::printf("   (seconds)\n");
    }
    const std::size_t most = (std::size_t{16} << 20) / 8;
    std::vector<double> a(most, 1.0), b(most * world_size, 0.0);
    const int R = world_size;
    c.allreduce = measure_link("MPI_Allreduce", [&](std::size_t bytes) {
      MPI_Allreduce(a.data(), b.data(), int(bytes / 8), MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD);
    });
    // Whole vectors of `bytes`: each rank contributes bytes / R.
    c.allgather = measure_link("MPI_Allgather", [&](std::size_t bytes) {
      const int each = std::max<int>(1, int(bytes / 8 / R));
      MPI_Allgather(a.data(), each, MPI_DOUBLE, b.data(), each, MPI_DOUBLE, MPI_COMM_WORLD);
    });
    c.reduce_scatter = measure_link("MPI_Reduce_scatter", [&](std::size_t bytes) {
      std::vector<int> counts(R, std::max<int>(1, int(bytes / 8 / R)));
      MPI_Reduce_scatter(a.data(), b.data(), counts.data(), MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD);
    });
    c.gather = measure_link("MPI_Gather", [&](std::size_t bytes) {
      const int each = std::max<int>(1, int(bytes / 8 / R));
      MPI_Gather(a.data(), each, MPI_DOUBLE, b.data(), each, MPI_DOUBLE, 0, MPI_COMM_WORLD);
    });
    c.broadcast = measure_link("MPI_Bcast", [&](std::size_t bytes) {
      MPI_Bcast(a.data(), int(bytes / 8), MPI_DOUBLE, 0, MPI_COMM_WORLD);
    });
    const int partner = world_rank ^ 1;
    c.exchange = measure_link("MPI_Sendrecv", [&](std::size_t bytes) {
      if (partner >= R) return;
      MPI_Sendrecv(a.data(), int(bytes / 8), MPI_DOUBLE, partner, 5, b.data(), int(bytes / 8), MPI_DOUBLE,
                   partner, 5, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    });
  } else if (world_rank == 0) {
    std::printf("\n  one rank: no collectives measured (run with mpiexec -n 2); they are left at 0\n");
  }

  if (world_rank == 0) {
    core::write_text_atomically(output, train::to_json(c));
    std::printf("\nwritten %s\n", output.c_str());
  }
  MPI_Finalize();
  return 0;
}
