// qgen-bench-distributed: a distributed state vector on 2 ranks against one rank.
//   mpiexec -n 2 build/release/tests/bench/qgen-bench-distributed [rounds (3)] [big (1)]
// Run it with nothing else on the machine (under the build lock here): both cores are in use.
// About 3 minutes here, 2 of them at Q = 28 (most of that first touching 12 GiB of fresh
// memory, which is slow in this virtual machine); `big` = 0 leaves Q = 28 out (1 minute).
//
//  1. Ansatz 1, Q = 24, d = 6, one circuit to its probabilities: both ranks in one group (S = 2)
//     against rank 0 alone (S = 1) while rank 1 waits without spinning; the two alternate, so
//     that the machine's drifts in speed hit both alike, and the speed-up is taken per round.
//     With the exchanges per circuit and the bytes each rank sends, and one exchange (on a high
//     bit and on bit 1, the plan's) and one 4x4 gate pass timed alone (what an exchange costs,
//     in gate passes); and where each rank's
//     time goes on S = 2: gates, exchanges and, within them, waiting for the partner.
//  2. Q = 28 on 2 ranks (2 GiB of amplitudes per rank): one circuit, then 20000 shots from it
//     (each rank from its own slice by the integer CDF, sim/cdf_sampling.hpp; until 2026-12-04
//     gathered to rank 0 for an alias table) twice with one sampler, timed once each.
//     `big` = 0 skips it.
//  3. The adjoint gradient of ansatz 1, Q = 20, d = 6 (forward and backward sweep), S = 2
//     against S = 1 as in 1; and its ratio to one forward simulation on S = 2, with the ratio
//     of the backward sweep's earlier form (R at every gate, no blocks) in the same rounds.
// Figures are medians over the rounds; times are the slowest rank's, of a run after an untimed
// one (timed_warm).
#include <mpi.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <thread>
#include <vector>

#include "qgen/circuits/ansatz.hpp"
#include "qgen/core/parallel.hpp"
#include "qgen/core/random_stream.hpp"
#include "qgen/sim/distributed_adjoint.hpp"
#include "qgen/sim/distributed_sampling.hpp"
#include "qgen/sim/distributed_simulator.hpp"
#include "rank_timing.hpp"

namespace {

using namespace qgen;
using Clock = std::chrono::steady_clock;
using bench::idle_barrier;
using bench::median;

// Seconds `work` takes on the slowest rank of `ranks`.
double timed(const core::Ranks& ranks, const std::function<void()>& work) {
  MPI_Barrier(ranks.comm);
  const auto start = Clock::now();
  work();
  double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  MPI_Allreduce(MPI_IN_PLACE, &seconds, 1, MPI_DOUBLE, MPI_MAX, ranks.comm);
  return seconds;
}

// The same after one untimed run: on this virtual machine a core that has idled (rank 1 while
// rank 0 ran alone) runs its first second or so 20-40 % slower (qgen-bench-train says more).
// A training run keeps its cores busy: the second run is what it sees.
double timed_warm(const core::Ranks& ranks, const std::function<void()>& work) {
  work();
  return timed(ranks, work);
}

std::vector<double> parameters(int count) {
  std::vector<double> theta(count);
  for (int k = 0; k < count; ++k) theta[k] = 0.1 + 0.37 * k;
  return theta;
}

struct Comparison {
  std::vector<double> together, alone, speedup;
};

// Rounds of `work(ranks)` on all ranks in one group, then on rank 0 alone.
Comparison compare(const core::Ranks& world, int rounds,
                   const std::function<double(const core::Ranks&)>& work) {
  const core::Ranks self = core::Ranks::of(MPI_COMM_SELF);
  Comparison c;
  for (int round = 0; round < rounds; ++round) {
    c.together.push_back(work(world));
    if (world.lead()) {
      c.alone.push_back(work(self));
      c.speedup.push_back(c.alone.back() / c.together.back());
    }
    idle_barrier(world.comm);
  }
  return c;
}

void print_comparison(const char* what, const Comparison& c, int ranks, double target) {
  const auto [low, high] = std::minmax_element(c.speedup.begin(), c.speedup.end());
  const double s = median(c.speedup);
  std::printf("  1 rank          %.3f s\n", median(c.alone));
  std::printf("  %d ranks (S=%d)  %.3f s\n", ranks, ranks, median(c.together));
  std::printf("  speed-up        %.2f (rounds %.2f-%.2f; target >= %.1f with 2 ranks: %s)  [%s]\n", s,
              *low, *high, target, ranks == 2 ? (s >= target ? "met" : "MISSED") : "n/a", what);
}

}  // namespace

int main(int argc, char** argv) {
  MPI_Init(&argc, &argv);
  const core::Ranks world = core::Ranks::of(MPI_COMM_WORLD);
  const int rounds = argc > 1 ? std::atoi(argv[1]) : 3;
  const bool big = argc > 2 ? std::atoi(argv[2]) != 0 : true;
  const bool lead = world.lead();
  // Rounds must be a number >= 1 and the ranks a power of two >= 2 (one group of all of them).
  if (argc > 3 || rounds < 1 || world.size < 2 || (world.size & (world.size - 1)) != 0) {
    if (lead)
      std::fprintf(stderr,
                   "usage: mpiexec -n 2 qgen-bench-distributed [rounds (3)] [big (1)]\n"
                   "  (on a power-of-two number of ranks >= 2; this run has %d)\n",
                   world.size);
    MPI_Finalize();
    return 2;
  }
  if (lead)
    std::printf("== qgen-bench-distributed: %d ranks, medians of %d rounds ==\n", world.size, rounds);

  // 1. One circuit at Q = 24.
  {
    const sim::Circuit circuit = circuits::build_qcbm_circuit({1, 24, 6});
    const auto theta = parameters(circuit.num_parameters());
    std::uint64_t exchanges = 0, bytes = 0;
    // Per rank, of the last S = 2 round: seconds in exchanges and waiting there, per circuit.
    std::vector<double> in_exchanges(world.size), waiting(world.size);
    double last_together = 0;
    const Comparison c = compare(world, rounds, [&](const core::Ranks& ranks) {
      const sim::DistributedSimulator sim(ranks, circuit);
      sim::DistributedStateVector state(ranks, circuit.num_qubits());
      std::vector<double> p(sim.local_size());
      const double t = timed_warm(ranks, [&] { sim.run(theta, state, p); });
      if (ranks.size == world.size) {
        const sim::ExchangeTraffic& traffic = state.traffic();  // of both runs
        exchanges = traffic.exchanges / 2;
        bytes = traffic.bytes_sent / 2;
        const double mine[2] = {traffic.seconds / 2, traffic.waiting_seconds / 2};
        std::vector<double> all(2 * world.size);
        MPI_Gather(mine, 2, MPI_DOUBLE, all.data(), 2, MPI_DOUBLE, 0, world.comm);
        for (int r = 0; r < world.size; ++r) in_exchanges[r] = all[2 * r], waiting[r] = all[2 * r + 1];
        last_together = t;
      }
      return t;
    });
    // One exchange (with a high bit, and with bit 1, where ansatz 1's plan makes them) and one
    // 4x4 gate pass on the distributed state, alone.
    std::vector<double> exchange_s, low_exchange_s, pass_s;
    {
      sim::DistributedStateVector state(world, 24);
      const sim::BoundGate gate{sim::FusedKind::Matrix2, {10, 11}, sim::gates::swap().m};
      for (int k = 0; k < 5; ++k) {
        exchange_s.push_back(timed(world, [&] { state.exchange(0, 1); }));
        low_exchange_s.push_back(timed(world, [&] { state.exchange(0, 22); }));
        pass_s.push_back(timed(world, [&] { state.apply(gate); }));
      }
    }
    if (lead) {
      std::printf("\nansatz 1, Q=24, d=6, one circuit to its probabilities (%zu fused gates)\n",
                  sim::plan_fusion(circuit, sim::FusionLevel::two_qubit).groups.size());
      print_comparison("Q=24 circuit", c, world.size, 1.6);
      std::printf("  exchanges       %llu per circuit, %.0f MiB sent per rank (%.0f MiB each)\n",
                  static_cast<unsigned long long>(exchanges), bytes / 1048576.0,
                  exchanges ? bytes / 1048576.0 / exchanges : 0.0);
      std::printf("  one exchange    %.1f ms (bit 22), %.1f ms (bit 1); one 4x4 gate pass on the same state %.1f ms\n",
                  1e3 * median(exchange_s), 1e3 * median(low_exchange_s), 1e3 * median(pass_s));
      std::printf("  where S=2 goes  last round, %.3f s per circuit:", last_together);
      for (int r = 0; r < world.size; ++r)
        std::printf("%s rank %d gates %.3f s, exchanges %.3f s (waiting for the partner %.3f s)",
                    r ? ";" : "", r, last_together - in_exchanges[r], in_exchanges[r], waiting[r]);
      std::printf("\n");
    }
  }

  // 2. Q = 28 on all ranks: one circuit and 20000 shots.
  if (big) {
    const sim::Circuit circuit = circuits::build_qcbm_circuit({1, 28, 6});
    const auto theta = parameters(circuit.num_parameters());
    const sim::DistributedSimulator sim(world, circuit);
    double run_s = 0, first_shots_s = 0, shots_s = 0;
    std::uint64_t drawn = 0, exchanges = 0;
    {
      sim::DistributedStateVector state(world, circuit.num_qubits());
      std::vector<double> p(sim.local_size());
      run_s = timed(world, [&] { sim.run(theta, state, p); });
      exchanges = state.traffic().exchanges;
      // The sampler's first call allocates (and first touches) its buffers, later ones reuse them.
      sim::DistributedShotSampler sampler;
      std::span<const std::uint32_t> counts;
      core::RandomStream stream(12345, core::stream_id(0, 0));
      first_shots_s = timed(world, [&] { counts = sampler.count(world, p, 20000, stream); });
      core::RandomStream next(12345, core::stream_id(1, 0));
      shots_s = timed(world, [&] { counts = sampler.count(world, p, 20000, next); });
      for (std::uint32_t n : counts) drawn += n;
      MPI_Allreduce(MPI_IN_PLACE, &drawn, 1, MPI_UINT64_T, MPI_SUM, world.comm);
    }
    if (lead) {
      std::printf("\nansatz 1, Q=28, d=6 on %d ranks (%.1f GiB of amplitudes per rank)\n", world.size,
                  16.0 * sim.local_size() / (1 << 30));
      std::printf("  one circuit     %.2f s (%llu exchanges)\n", run_s,
                  static_cast<unsigned long long>(exchanges));
      std::printf("  20000 shots     %.2f s (%llu drawn; each rank from its slice, integer CDF;\n"
                  "                  the sampler's first call, allocating its buffers: %.2f s)\n",
                  shots_s, static_cast<unsigned long long>(drawn), first_shots_s);
    }
  }

  // 3. The adjoint gradient at Q = 20.
  {
    const sim::Circuit circuit = circuits::build_qcbm_circuit({1, 20, 6});
    const auto theta = parameters(circuit.num_parameters());
    std::vector<double> forward_s, old_form_s;
    const Comparison c = compare(world, rounds, [&](const core::Ranks& ranks) {
      sim::DistributedAdjoint adjoint(ranks, circuit);
      std::vector<double> p(adjoint.local_size()), w(adjoint.local_size()),
          gradient(circuit.num_parameters());
      for (std::size_t i = 0; i < w.size(); ++i) w[i] = std::sin(0.001 * i);
      const double t = timed_warm(ranks, [&] {
        adjoint.forward(theta, p);
        adjoint.backward(w, gradient);
      });
      if (ranks.size == world.size) {
        const sim::DistributedSimulator sim(ranks, circuit);
        sim::DistributedStateVector state(ranks, circuit.num_qubits());
        forward_s.push_back(timed_warm(ranks, [&] { sim.run(theta, state, p); }));
        // The backward sweep as before 2026-12-04 (R at every gate, no blocks), same round.
        sim::DistributedAdjoint old_form(ranks, circuit);
        old_form.set_factored_steps(false);
        old_form.set_block_bits(0);
        old_form_s.push_back(timed_warm(ranks, [&] {
          old_form.forward(theta, p);
          old_form.backward(w, gradient);
        }));
      }
      return t;
    });
    if (lead) {
      std::printf("\nadjoint gradient, ansatz 1, Q=20, d=6 (%d parameters)\n", circuit.num_parameters());
      print_comparison("Q=20 adjoint", c, world.size, 1.6);
      std::printf("  on %d ranks: %.2f forward simulations per gradient (forward %.3f s)\n", world.size,
                  median(c.together) / median(forward_s), median(forward_s));
      std::printf("  the same with the backward sweep as before 2026-12-04 (R at every gate, no\n"
                  "  blocks): %.2f forward simulations (%.3f s)\n",
                  median(old_form_s) / median(forward_s), median(old_form_s));
    }
  }
  MPI_Finalize();
  return 0;
}
