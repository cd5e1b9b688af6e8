// The lead rank's traffic with a backend (DESIGN.md, "Parallel design"): a batch is submitted
// once, waited for with a timeout, its submission retried with back-off when the backend fails
// transiently, and its counts scattered so that each rank gets the circuits of its share.
//
//   parallel() backends (the emulator): no traffic; every rank computes its own share.
//   others (the exchange directory): rank 0 submits and polls; the others wait in the scatter.
//     A batch with more shots than the backend's max_shots goes as several jobs of the same
//     circuits ("<id>-part1of3", ...), their counts added, as Qiskit splits shots. (The emulator
//     draws any number of shots at once.)
//
// Failures: a submission that throws core::InputError/DataError (what retrying cannot fix) or a
// result the backend rejects as wrong fails at once; any other exception from submit is retried
// `submit_retries` times, waiting retry_backoff, 2 retry_backoff, ... seconds; no counts within
// `timeout` seconds is a core::DataError naming the batch and the backend. Every failure reaches
// every rank (core::on_lead), so no rank waits in the scatter for counts that never come.
// A stop request (a signal) while waiting ends the wait; the batch stays with the backend, and a
// backend with a journal returns its counts to the restarted run without running it again.
#pragma once

#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "qgen/core/parallel.hpp"
#include "qgen/hw/backend.hpp"

namespace qgen::hw {

struct QueueOptions {
  double timeout = 86400;          // seconds from submission to counts
  double poll_interval = 0.2;      // seconds between polls at first; grows 1.5x per poll ...
  double max_poll_interval = 30;   // ... up to this
  int submit_retries = 5;
  double retry_backoff = 1.0;      // seconds before the first retry, doubled per retry
  std::function<bool()> stop_requested;               // polled on the lead while waiting
  std::function<void(const std::string&)> log;        // the lead's progress lines
};

/// Runs `batch` on `backend`; returns the counts of circuits [share[r], share[r+1]) on rank r
/// (share has ranks.size + 1 ascending entries from 0 to the batch's size), or nothing on every
/// rank when a stop was requested while waiting. Collective.
std::optional<std::vector<Counts>> run_batch(const core::Ranks& ranks, Backend& backend,
                                             const BatchRequest& batch, std::span<const std::size_t> share,
                                             const QueueOptions& options = {});

/// core::DataError unless each of `counts` has 2^num_qubits entries summing to `shots`.
void check_counts(const std::vector<Counts>& counts, int num_qubits, std::uint64_t shots,
                  const std::string& where);

}  // namespace qgen::hw
