// A state vector of Q qubits spread over a group of S = 2^g ranks (DESIGN.md, "Rank groups").
//
// Physical position p of a basis index is its bit Q-1-p (position 0 the most significant, as
// qubit 0). Positions [0, g) are global: their bits are the rank's number in the group, high
// bit first. Positions [g, Q) are local: each rank holds the 2^L amplitudes (L = Q - g) of its
// rank number in an ordinary sim::StateVector of L qubits, its local qubit p - g sitting at
// position p. Which logical qubit sits at which position is the state's layout; in the
// canonical one qubit q is at position q, so rank r holds basis states [r 2^L, (r+1) 2^L) in
// order.
//
// Gates run on the local StateVector through the existing kernels (sim/kernels.hpp,
// sim/simulator.hpp) once their qubits are local. A global qubit becomes local by exchange():
// it trades positions with a local qubit, which swaps half of every rank's amplitudes with its
// partner rank's. Two transports:
//  - shared memory, when the whole group is on one node (the default then): the ranks' states
//    live in one shared segment and each pair of partners swaps the halves directly, each rank
//    doing half of the swap between two barriers;
//  - messages otherwise (or when asked for): MPI_Isend/Irecv in chunks, packing the next chunk
//    while the last one travels.
// Which exchanges a circuit needs is planned once (sim/distribution_plan.hpp).
//
// Every collective here (constructor, exchange, norm) is called by all ranks of the group.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "qgen/core/parallel.hpp"
#include "qgen/sim/fusion.hpp"
#include "qgen/sim/state_vector.hpp"

namespace qgen::sim {

namespace detail {
class SharedSegment;
}

enum class ExchangeTransport {
  automatic,  // shared memory when the group is on one node, messages otherwise
  messages,   // MPI messages always
};

/// Checks, before anything is allocated, that `states_per_rank` states of `num_qubits` qubits
/// (counted in units of 16 B x 2^Q / S) fit the memory of the nodes the group runs on, and
/// that the group can hold the state at all: S a power of two, at least 2 local qubits (or
/// S = 1), Q <= 60. Collective; core::InputError (one message, from the lead; agree()) naming
/// `what`, the bytes per rank and node, and how many ranks the state needs.
void check_distributed_fit(const core::Ranks& group, int num_qubits, double states_per_rank,
                           const std::string& what);

/// Bytes moved by exchanges: each exchange sends (and receives) 2^(L-1) amplitudes per rank.
/// With the time spent in them: an exchange is where a rank that ran ahead waits for its
/// partner, so `waiting_seconds` (shared memory only: the barrier before the swap) shows how
/// unevenly the group's ranks progress.
struct ExchangeTraffic {
  std::uint64_t exchanges = 0;
  std::uint64_t bytes_sent = 0;  // by this rank
  double seconds = 0;            // in exchange(), waiting included
  double waiting_seconds = 0;    // of which waiting for the partner (shared memory)
};

class DistributedStateVector {
public:
  /// |0...0> in the canonical layout. Collective; checks the fit (check_distributed_fit).
  DistributedStateVector(const core::Ranks& group, int num_qubits,
                         ExchangeTransport transport = ExchangeTransport::automatic);
  DistributedStateVector(const DistributedStateVector&) = delete;
  DistributedStateVector& operator=(const DistributedStateVector&) = delete;
  ~DistributedStateVector();

  /// Whether exchanges go through shared memory (else MPI messages).
  bool shared_memory() const { return segment_ != nullptr; }

  const core::Ranks& group() const { return group_; }
  int num_qubits() const { return num_qubits_; }
  int global_qubits() const { return global_; }
  int local_qubits() const { return num_qubits_ - global_; }

  /// This rank's amplitudes (2^L of them).
  StateVector& local() { return local_; }
  const StateVector& local() const { return local_; }
  /// The basis index of local amplitude 0 in the canonical layout: rank * 2^L.
  std::uint64_t first_index() const { return static_cast<std::uint64_t>(group_.rank) << local_qubits(); }

  int position_of(int qubit) const { return position_[qubit]; }
  int qubit_at(int position) const { return qubit_[position]; }
  bool canonical() const;

  /// |0...0>, with qubit q at `positions[q]` (a permutation; every layout stores |0...0>
  /// alike). No communication.
  void reset(const std::vector<int>& positions);
  /// The basis state |index>, canonical layout.
  void set_basis_state(std::uint64_t index);
  /// Amplitudes and layout of a state of the same size and group.
  void copy_from(const DistributedStateVector& other);

  /// Gate `gate`, on logical qubits, all of which must be local (core::InternalError
  /// otherwise); with `probabilities` (2^L), also writes |amp|^2 there in the same pass.
  void apply(const BoundGate& gate, double* probabilities = nullptr);
  /// The same gate on this rank's StateVector: qubits replaced by local ones.
  BoundGate localize(const BoundGate& gate) const;

  /// Exchanges the qubits at global position `global_position` and local position
  /// `local_position`. Collective over the group.
  void exchange(int global_position, int local_position);
  /// Swaps the qubits at two local positions (a SWAP gate, no communication).
  void swap_local(int position_a, int position_b, double* probabilities = nullptr);

  const ExchangeTraffic& traffic() const { return traffic_; }
  void reset_traffic() { traffic_ = {}; }

  /// sum |amp|^2 over the group. Collective.
  double norm_squared() const;

private:
  int local_qubit(int position) const { return position - global_; }
  void exchange_shared(int partner, int bit, int value);
  void exchange_messages(int partner, int bit, int value);

  core::Ranks group_;
  int num_qubits_ = 0;
  int global_ = 0;
  std::vector<int> position_, qubit_;  // layout: logical -> physical and back
  std::unique_ptr<detail::SharedSegment> segment_;  // null: private memory, messages
  StateVector local_;
  ExchangeTraffic traffic_;
  std::vector<double> buffers_;  // exchange chunks: two to send, two to receive
};

}  // namespace qgen::sim
