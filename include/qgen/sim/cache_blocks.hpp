// Cache blocking: fewer passes over a state vector that does not fit in the cache.
//
// A fused gate costs one pass over memory (sim/kernels.hpp). A run of consecutive gates whose
// targets all lie in the lowest B index bits maps every block of 2^B contiguous amplitudes
// onto itself, so the run can be applied one block at a time, each block going through the
// whole run while it sits in cache: one pass over memory for the run instead of one per gate.
// `plan_cache_blocks` finds the runs (from the gates' targets alone, as fusion is planned);
// `apply_cache_block_run` applies one, the kernels working on each block in place
// (AmplitudeBlock).
//
// Every amplitude still goes through the same gates in the same order with the same kernels:
// the result is the same bit for bit with any block size (tested), and the distributed and
// single-rank simulators, which block differently, agree exactly.
//
// Measured (qgen-bench, "cache blocks", AMD EPYC, 1 MiB L2, 32 MiB L3): ansatz 1 at Q = 24 runs
// 1.34x faster with blocks of 2^12 amplitudes, 1.44-1.59x with 2^14 to 2^18; at Q = 20
// (16 MiB, in the last-level cache) it neither gains nor loses (0.97-1.03x up to 2^17). Blocks gathered from scattered bits (so that runs on high qubits could be blocked
// too) were tried and lost: the kernels are close to compute-bound here, and the copies cost
// more than the memory passes they saved.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include "qgen/sim/fusion.hpp"
#include "qgen/sim/state_vector.hpp"

namespace qgen::sim {

/// The smallest block: 2^8 amplitudes, whole lane groups for any gate (sim/kernels.hpp).
constexpr int kMinBlockBits = 8;

/// Block bits for a state of `num_qubits` qubits: 0 (no blocking) below Q = 19, where the
/// state still sits in the last-level cache; beyond, 2^16 amplitudes (1 MiB: a core's L2 on
/// recent x86, or its share of the L3).
int cache_block_bits(int num_qubits);

/// Gates [first, end) of a sequence, applied block by block with blocks of 2^block_bits
/// amplitudes, or (block_bits 0) one gate at a time on the whole state.
struct CacheBlockRun {
  std::size_t first = 0, end = 0;
  int block_bits = 0;
};

/// The runs for `gates` on a `num_qubits`-qubit state: maximal runs of two or more gates on the
/// lowest `block_bits` bits, every other gate alone (block_bits 0: every gate alone).
/// std::invalid_argument unless block_bits is 0 or in [kMinBlockBits, num_qubits).
std::vector<CacheBlockRun> plan_cache_blocks(std::span<const BoundGate> gates, int num_qubits,
                                             int block_bits);

/// Applies `run` of `gates` to `state`; the run's last gate also writes `probabilities` (2^Q)
/// when given.
void apply_cache_block_run(const CacheBlockRun& run, std::span<const BoundGate> gates,
                           StateVector& state, double* probabilities);

}  // namespace qgen::sim
