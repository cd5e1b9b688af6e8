#include "qgen/sim/distributed_state.hpp"

#include <algorithm>
#include <atomic>
#include <bit>
#include <chrono>
#include <cmath>
#include <cstring>
#include <numeric>
#include <utility>

#include "qgen/core/errors.hpp"
#include "qgen/core/memory.hpp"
#include "qgen/core/text.hpp"
#include "qgen/sim/simulator.hpp"
#include "shared_segment.hpp"

namespace qgen::sim {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// Amplitudes per exchange chunk: 2 x 512 KiB buffers in flight each way stay in a core's L2.
constexpr std::size_t kChunk = std::size_t{1} << 15;
constexpr int kExchangeTag = 7301;
// Pairs per block of a shared-memory swap: real parts, then imaginary ones (exchange_shared).
constexpr std::size_t kExchangeBlock = 1024;

// "1 qubit", "2 qubits"
std::string count_text(long long n, const std::string& noun) {
  return std::to_string(n) + " " + noun + (n == 1 ? "" : "s");
}

// for_each_run for runs of 2^kBit amplitudes, fewer than a cache line holds, with first and
// count multiples of the run: the run's length a constant, so that f's loops unroll. Without
// it an exchange on bit 0 made one call of unknown length per amplitude and cost 20x one on a
// high bit at Q = 26 (500-660 ms against 28-33 ms per exchange, 2 ranks).
template <int kBit, typename F>
void for_each_short_run(std::size_t first, std::size_t count, int value, F&& f) {
  constexpr std::size_t run = std::size_t{1} << kBit;
  const std::size_t set = std::size_t(value) << kBit;
  for (std::size_t k = first, end = first + count; k < end; k += run)
    f(((k >> kBit) << (kBit + 1)) | set, run);
}

// Local positions of the half that an exchange moves: the k-th amplitude with bit `bit` equal
// to `value` is at index insert_bit(k). Calls f(index, length) for each contiguous run in
// [first, first + count) of that sequence.
template <typename F>
void for_each_run(std::size_t first, std::size_t count, int bit, int value, F&& f) {
  if (bit < 3 && first % 4 == 0 && count % 4 == 0) {
    if (bit == 0) return for_each_short_run<0>(first, count, value, f);
    if (bit == 1) return for_each_short_run<1>(first, count, value, f);
    return for_each_short_run<2>(first, count, value, f);
  }
  const std::size_t run = std::size_t{1} << bit;
  for (std::size_t k = first, end = first + count; k < end;) {
    const std::size_t within = k & (run - 1);
    const std::size_t index = ((k >> bit) << (bit + 1)) | (std::size_t(value) << bit) | within;
    const std::size_t length = std::min(run - within, end - k);
    f(index, length);
    k += length;
  }
}

}  // namespace

void check_distributed_fit(const core::Ranks& group, int num_qubits, double states_per_rank,
                           const std::string& what) {
  const int on_node = core::ranks_on_node(group);
  core::collectively(group, [&] {
    const int s = group.size;
    const std::string where =
        what + ": " + count_text(num_qubits, "qubit") + " on a group of " + count_text(s, "rank");
    if (!std::has_single_bit(static_cast<unsigned>(s)))
      throw core::InputError(where + ": a distributed state needs a power-of-two group size");
    const int global = std::countr_zero(static_cast<unsigned>(s));
    if (num_qubits < 1 || num_qubits > 60)
      throw core::InputError(where + ": the number of qubits must be in [1, 60]");
    if (s > 1 && num_qubits - global < 2) {
      const int most = num_qubits >= 3 ? 1 << (num_qubits - 2) : 1;
      throw core::InputError(where + ": that leaves " +
                             std::to_string(std::max(0, num_qubits - global)) + " local per rank (" +
                             count_text(global, "global qubit") +
                             "), and two-qubit gates need 2 (groups of at most " +
                             count_text(most, "rank") + " for " + count_text(num_qubits, "qubit") +
                             ")");
    }
    const double per_rank = states_per_rank * 16.0 * std::ldexp(1.0, num_qubits - global);
    const double node_memory = static_cast<double>(core::available_memory());
    const double per_node = per_rank * on_node;
    if (node_memory > 0 && per_node > node_memory) {
      // With as many of the group's ranks per node, the state needs this many ranks.
      const int doublings = static_cast<int>(std::ceil(std::log2(per_node / node_memory)));
      const double needed = std::ldexp(static_cast<double>(s), doublings);
      throw core::InputError(
          where + " need " + core::bytes_text(per_rank) + " per rank (" +
          core::number_text(states_per_rank) + " x 16 B x 2^" + std::to_string(num_qubits) + " / " +
          std::to_string(s) + "), " + core::bytes_text(per_node) + " for the " +
          count_text(on_node, "rank") + " on this node, which has " + core::bytes_text(node_memory) +
          " available: use groups of at least " + core::number_text(needed) + " ranks with " +
          std::to_string(on_node) + " per node");
    }
  });
}

namespace {

int checked_global_qubits(const core::Ranks& group, int num_qubits) {
  check_distributed_fit(group, num_qubits, 1.0, "distributed state");
  return std::countr_zero(static_cast<unsigned>(group.size));
}

// The shared segment for a group on one node (null otherwise, or when messages are asked for).
std::unique_ptr<detail::SharedSegment> shared_segment(const core::Ranks& group, int local_qubits,
                                                      ExchangeTransport transport) {
  if (group.size == 1 || transport == ExchangeTransport::messages) return nullptr;
  auto segment = std::make_unique<detail::SharedSegment>(
      detail::SharedSegment::map(group, 16 * (std::size_t{1} << local_qubits)));
  return segment->mapped() ? std::move(segment) : nullptr;
}

StateVector local_state(const core::Ranks& group, int local_qubits,
                        const std::unique_ptr<detail::SharedSegment>& segment) {
  if (!segment) return StateVector(local_qubits);
  return StateVector(local_qubits, {segment->part(group.rank), 2 * (std::size_t{1} << local_qubits)});
}

}  // namespace

DistributedStateVector::DistributedStateVector(const core::Ranks& group, int num_qubits,
                                               ExchangeTransport transport)
    : group_(group), num_qubits_(num_qubits), global_(checked_global_qubits(group, num_qubits)),
      position_(num_qubits), qubit_(num_qubits),
      segment_(shared_segment(group, num_qubits - global_, transport)),
      local_(local_state(group, num_qubits - global_, segment_)) {
  std::iota(position_.begin(), position_.end(), 0);
  std::iota(qubit_.begin(), qubit_.end(), 0);
  set_basis_state(0);
}

DistributedStateVector::~DistributedStateVector() = default;

bool DistributedStateVector::canonical() const {
  for (int q = 0; q < num_qubits_; ++q)
    if (position_[q] != q) return false;
  return true;
}

void DistributedStateVector::reset(const std::vector<int>& positions) {
  if (static_cast<int>(positions.size()) != num_qubits_)
    throw core::InternalError("distributed state: a layout needs one position per qubit");
  std::vector<int> qubit(num_qubits_, -1);
  for (int q = 0; q < num_qubits_; ++q) {
    const int p = positions[q];
    if (p < 0 || p >= num_qubits_ || qubit[p] >= 0)
      throw core::InternalError("distributed state: the layout is not a permutation");
    qubit[p] = q;
  }
  set_basis_state(0);
  position_ = positions;
  qubit_ = std::move(qubit);
}

void DistributedStateVector::set_basis_state(std::uint64_t index) {
  std::iota(position_.begin(), position_.end(), 0);
  std::iota(qubit_.begin(), qubit_.end(), 0);
  const std::uint64_t owner = index >> local_qubits();
  if (owner == static_cast<std::uint64_t>(group_.rank)) {
    local_.set_basis_state(index & ((std::uint64_t{1} << local_qubits()) - 1));
  } else {
    local_.set_basis_state(0);
    local_.real()[0] = 0.0;
  }
}

void DistributedStateVector::copy_from(const DistributedStateVector& other) {
  if (other.num_qubits_ != num_qubits_ || other.group_.size != group_.size)
    throw core::InternalError("distributed state: copy between different sizes");
  local_.copy_from(other.local_);
  position_ = other.position_;
  qubit_ = other.qubit_;
}

BoundGate DistributedStateVector::localize(const BoundGate& gate) const {
  BoundGate local = gate;
  for (int& q : local.qubits) {
    if (q < 0) continue;
    const int p = position_.at(q);
    if (p < global_)
      throw core::InternalError("distributed state: gate on qubit " + std::to_string(q) +
                                ", which is global (position " + std::to_string(p) + ")");
    q = local_qubit(p);
  }
  return local;
}

void DistributedStateVector::apply(const BoundGate& gate, double* probabilities) {
  sim::apply(localize(gate), local_, probabilities);
}

void DistributedStateVector::swap_local(int position_a, int position_b, double* probabilities) {
  if (position_a < global_ || position_b < global_ || position_a == position_b)
    throw core::InternalError("distributed state: swap_local needs two distinct local positions");
  BoundGate swap{FusedKind::Matrix2, {local_qubit(position_a), local_qubit(position_b)}, gates::swap().m};
  sim::apply(swap, local_, probabilities);
  std::swap(qubit_[position_a], qubit_[position_b]);
  position_[qubit_[position_a]] = position_a;
  position_[qubit_[position_b]] = position_b;
}

void DistributedStateVector::exchange(int global_position, int local_position) {
  if (global_position < 0 || global_position >= global_ || local_position < global_ ||
      local_position >= num_qubits_)
    throw core::InternalError("distributed state: exchange needs a global and a local position");
  // Swapping positions s (global) and p (local) moves the amplitudes whose two bits differ:
  // this rank (bit b of s) sends those with local bit p = 1 - b and receives into the same
  // places the partner's with bit p = b, in the same order.
  const int rank_bit = global_ - 1 - global_position;
  const int b = (group_.rank >> rank_bit) & 1;
  const int partner = group_.rank ^ (1 << rank_bit);
  const int bit = num_qubits_ - 1 - local_position;
  const auto start = Clock::now();
  if (segment_) exchange_shared(partner, bit, 1 - b);
  else exchange_messages(partner, bit, 1 - b);
  traffic_.seconds += seconds_since(start);
  std::swap(qubit_[global_position], qubit_[local_position]);
  position_[qubit_[global_position]] = global_position;
  position_[qubit_[local_position]] = local_position;
  ++traffic_.exchanges;
  traffic_.bytes_sent += 8 * local_.size();
}

void DistributedStateVector::exchange_shared(int partner, int bit, int value) {
  // Pair k joins this rank's k-th amplitude with bit `bit` = value and the partner's k-th
  // with bit = 1 - value, which sits at the same index but for that bit. The rank giving away
  // value 1 swaps the first half of the pairs, its partner the second: both work at once and
  // never on the same pair.
  const std::size_t half = local_.size() / 2;
  const std::size_t first = value == 1 ? 0 : half / 2;
  const std::size_t mask = std::size_t{1} << bit;
  double* re = local_.real();
  double* im = local_.imag();
  double* partner_re = segment_->part(partner);
  double* partner_im = partner_re + local_.size();
  // Both ranks are done with their parts before either touches the other's, and after.
  std::atomic_thread_fence(std::memory_order_seq_cst);
  const auto arrived = Clock::now();
  MPI_Barrier(group_.comm);
  traffic_.waiting_seconds += seconds_since(arrived);
  // Real parts, then imaginary ones, a block of pairs at a time: swapping both per amplitude
  // makes each store to re[i] alias the load of im[i] (2^L doubles further, the same address
  // modulo 4 KiB), which stalled exchanges on low bits 2.4x.
  for (std::size_t block = first, end = first + half / 2; block < end; block += kExchangeBlock) {
    const std::size_t count = std::min(kExchangeBlock, end - block);
    for_each_run(block, count, bit, value, [&](std::size_t index, std::size_t length) {
      std::swap_ranges(re + index, re + index + length, partner_re + (index ^ mask));
    });
    for_each_run(block, count, bit, value, [&](std::size_t index, std::size_t length) {
      std::swap_ranges(im + index, im + index + length, partner_im + (index ^ mask));
    });
  }
  std::atomic_thread_fence(std::memory_order_seq_cst);
  MPI_Barrier(group_.comm);
}

void DistributedStateVector::exchange_messages(int partner, int bit, int value) {
  const std::size_t half = local_.size() / 2;
  const std::size_t chunk = std::min(half, kChunk);
  const std::size_t chunks = half / chunk;
  buffers_.resize(8 * chunk);
  double* re = local_.real();
  double* im = local_.imag();
  auto send = [&](std::size_t c) { return buffers_.data() + (c % 2) * 2 * chunk; };
  auto recv = [&](std::size_t c) { return buffers_.data() + (4 + (c % 2) * 2) * chunk; };
  // Real parts, then imaginary ones (as exchange_shared, against 4K aliasing).
  auto pack = [&](std::size_t c) {
    for (int part = 0; part < 2; ++part) {
      const double* from = part == 0 ? re : im;
      double* to = send(c) + part * chunk;
      for_each_run(c * chunk, chunk, bit, value, [&](std::size_t index, std::size_t length) {
        std::memcpy(to, from + index, length * sizeof(double));
        to += length;
      });
    }
  };
  auto unpack = [&](std::size_t c) {
    for (int part = 0; part < 2; ++part) {
      double* to = part == 0 ? re : im;
      const double* from = recv(c) + part * chunk;
      for_each_run(c * chunk, chunk, bit, value, [&](std::size_t index, std::size_t length) {
        std::memcpy(to + index, from, length * sizeof(double));
        from += length;
      });
    }
  };
  // Chunk c travels while chunk c - 1 is unpacked and chunk c + 1 packed.
  const int count = static_cast<int>(2 * chunk);
  MPI_Request requests[2][2];
  for (std::size_t c = 0; c <= chunks; ++c) {
    if (c < chunks) {
      pack(c);
      MPI_Irecv(recv(c), count, MPI_DOUBLE, partner, kExchangeTag, group_.comm, &requests[c % 2][0]);
      MPI_Isend(send(c), count, MPI_DOUBLE, partner, kExchangeTag, group_.comm, &requests[c % 2][1]);
    }
    if (c > 0) {
      MPI_Waitall(2, requests[(c - 1) % 2], MPI_STATUSES_IGNORE);
      unpack(c - 1);
    }
  }
}

double DistributedStateVector::norm_squared() const {
  double norm = local_.norm_squared();
  MPI_Allreduce(MPI_IN_PLACE, &norm, 1, MPI_DOUBLE, MPI_SUM, group_.comm);
  return norm;
}

}  // namespace qgen::sim
