#include "qgen/hw/batch_queue.hpp"

#include <algorithm>
#include <chrono>
#include <numeric>
#include <thread>

#include "qgen/core/errors.hpp"
#include "qgen/core/text.hpp"

namespace qgen::hw {
namespace {

using Clock = std::chrono::steady_clock;

void sleep_for(double seconds) {
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
}

void submit_with_retries(Backend& backend, const BatchRequest& batch, const QueueOptions& options) {
  double wait = options.retry_backoff;
  for (int attempt = 0;; ++attempt) {
    try {
      backend.submit(batch);
      return;
    } catch (const core::InputError&) {
      throw;  // what retrying cannot help
    } catch (const core::DataError&) {
      throw;
    } catch (const core::InternalError&) {
      throw;
    } catch (const std::exception& e) {
      if (attempt >= options.submit_retries)
        throw core::DataError("backend " + backend.describe() + " refused batch '" + batch.id + "' " +
                              std::to_string(attempt + 1) + " times; last: " + e.what());
      if (options.log)
        options.log("submitting batch '" + batch.id + "' failed (" + e.what() + "); retrying in " +
                    core::number_text(wait) + " s");
      sleep_for(wait);
      wait *= 2;
    }
  }
}

// The lead's half: submit, poll until counts, a stop request or the timeout.
std::optional<std::vector<Counts>> wait_for_counts(Backend& backend, const BatchRequest& batch,
                                                   const QueueOptions& options) {
  submit_with_retries(backend, batch, options);
  const auto start = Clock::now();
  double interval = options.poll_interval;
  for (;;) {
    if (auto counts = backend.poll(batch)) {
      check_counts(*counts, backend.num_qubits(), batch.shots, "batch '" + batch.id + "' from " + backend.describe());
      if (counts->size() != batch.parameter_sets.size())
        throw core::DataError("batch '" + batch.id + "' from " + backend.describe() + " has counts of " +
                              std::to_string(counts->size()) + " circuits; it holds " +
                              std::to_string(batch.parameter_sets.size()));
      return counts;
    }
    if (options.stop_requested && options.stop_requested()) return std::nullopt;
    const double waited = std::chrono::duration<double>(Clock::now() - start).count();
    if (waited >= options.timeout)
      throw core::DataError("backend " + backend.describe() + " returned no counts for batch '" + batch.id +
                            "' within " + core::number_text(options.timeout) +
                            " s; every finished batch is kept (restart to continue)");
    sleep_for(std::min(interval, options.timeout - waited));
    interval = std::min(interval * 1.5, options.max_poll_interval);
  }
}

}  // namespace

std::vector<BatchRequest> jobs_of(const BatchRequest& batch, int max_experiments, std::uint64_t max_shots) {
  const std::size_t circuits = batch.parameter_sets.size(), per_job = static_cast<std::size_t>(max_experiments);
  const std::size_t chunks = std::max<std::size_t>(1, (circuits + per_job - 1) / per_job);
  const std::uint64_t parts = std::max<std::uint64_t>(1, (batch.shots + max_shots - 1) / max_shots);
  std::vector<BatchRequest> jobs;
  for (std::size_t chunk = 0; chunk < chunks; ++chunk)
    for (std::uint64_t part = 0; part < parts; ++part) {
      BatchRequest job{batch.id, batch.number, batch.shots / parts + (part < batch.shots % parts ? 1 : 0), {}};
      job.first_circuit = batch.first_circuit + chunk * per_job;
      const std::size_t end = std::min(circuits, (chunk + 1) * per_job);
      job.parameter_sets.assign(batch.parameter_sets.begin() + chunk * per_job, batch.parameter_sets.begin() + end);
      if (chunks > 1) job.id += "-c" + std::to_string(chunk + 1) + "of" + std::to_string(chunks);
      if (parts > 1) job.id += "-p" + std::to_string(part + 1) + "of" + std::to_string(parts);
      jobs.push_back(std::move(job));
    }
  return jobs;
}

void check_counts(const std::vector<Counts>& counts, int num_qubits, std::uint64_t shots, const std::string& where) {
  const std::size_t states = std::size_t{1} << num_qubits;
  for (std::size_t i = 0; i < counts.size(); ++i) {
    if (counts[i].size() != states)
      throw core::DataError(where + ": circuit " + std::to_string(i) + " has " + std::to_string(counts[i].size()) +
                            " outcomes; " + std::to_string(num_qubits) + " qubits have " + std::to_string(states));
    const std::uint64_t total = std::accumulate(counts[i].begin(), counts[i].end(), std::uint64_t{0});
    if (total != shots)
      throw core::DataError(where + ": the counts of circuit " + std::to_string(i) + " sum to " +
                            std::to_string(total) + "; " + std::to_string(shots) + " shots were asked for");
  }
}

std::optional<std::vector<Counts>> run_batch(const core::Ranks& ranks, Backend& backend, const BatchRequest& batch,
                                             std::span<const std::size_t> share, const QueueOptions& options) {
  if (share.size() != static_cast<std::size_t>(ranks.size) + 1 || share.back() != batch.parameter_sets.size())
    throw core::InternalError("run_batch: the share does not cover the batch on these ranks");
  const std::size_t first = share[ranks.rank], count = share[ranks.rank + 1] - first;
  if (backend.parallel()) {
    std::vector<Counts> mine;
    core::collectively(ranks, [&] { mine = backend.counts_of_share(batch, first, count); });
    return mine;
  }
  std::optional<std::vector<Counts>> all;
  core::on_lead(ranks, [&] {
    all.emplace();
    for (const BatchRequest& job : jobs_of(batch, backend.max_experiments(), backend.max_shots())) {
      auto counts = wait_for_counts(backend, job, options);
      if (!counts) return all.reset();
      const std::size_t first = job.first_circuit;
      for (std::size_t i = 0; i < counts->size(); ++i) {
        if (all->size() <= first + i) all->resize(first + i + 1);
        Counts& sum = (*all)[first + i];
        if (sum.empty()) sum = std::move((*counts)[i]);
        else
          for (std::size_t x = 0; x < sum.size(); ++x) sum[x] += (*counts)[i][x];
      }
    }
  });
  int stopped = ranks.lead() && !all ? 1 : 0;
  core::broadcast(ranks, stopped);
  if (stopped) return std::nullopt;

  // Scatter: rank r receives circuits [share[r], share[r+1]) as one block of uint64 words.
  const std::size_t states = std::size_t{1} << backend.num_qubits();
  std::vector<int> sizes(ranks.size), offsets(ranks.size);
  for (int r = 0; r < ranks.size; ++r) {
    sizes[r] = static_cast<int>((share[r + 1] - share[r]) * states);
    offsets[r] = static_cast<int>(share[r] * states);
  }
  std::vector<std::uint64_t> flat;
  if (ranks.lead()) {
    flat.reserve(batch.parameter_sets.size() * states);
    for (const Counts& c : *all) flat.insert(flat.end(), c.begin(), c.end());
  }
  std::vector<std::uint64_t> received(count * states);
  MPI_Scatterv(flat.data(), sizes.data(), offsets.data(), MPI_UINT64_T, received.data(), sizes[ranks.rank],
               MPI_UINT64_T, 0, ranks.comm);
  std::vector<Counts> mine(count);
  for (std::size_t i = 0; i < count; ++i)
    mine[i].assign(received.begin() + i * states, received.begin() + (i + 1) * states);
  return mine;
}

}  // namespace qgen::hw
