// The lead rank's traffic with a backend (DESIGN.md, "Parallel design"): a batch is submitted
// once, waited for with a timeout, its submission retried with back-off when the backend fails
// transiently, and its counts scattered so that each rank gets the circuits of its share.
//
//   parallel() backends (the emulator): no traffic; every rank computes its own share.
//   others (the exchange directory): rank 0 submits and polls; the others wait in the scatter.
//     A batch larger than the backend takes goes as several jobs (jobs_of): circuits in chunks
//     of max_experiments ("<id>-c1of3", ...), and more shots than max_shots as repeated jobs of
//     the same circuits ("<id>-p1of2", ...) whose counts are added, as Qiskit splits shots.
//     (The emulator draws any number of circuits and shots at once.)
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

/// The backend jobs a batch becomes: at most `max_experiments` circuits and `max_shots` shots
/// each, in order (chunk-major); each job's first_circuit says where its circuits start.
std::vector<BatchRequest> jobs_of(const BatchRequest& batch, int max_experiments, std::uint64_t max_shots);

/// core::DataError unless each of `counts` has 2^num_qubits entries summing to `shots`.
void check_counts(const std::vector<Counts>& counts, int num_qubits, std::uint64_t shots,
                  const std::string& where);

}  // namespace qgen::hw
