#include "qgen/hw/emulator_backend.hpp"

#include "qgen/core/enum_names.hpp"
#include "qgen/core/random_stream.hpp"
#include "qgen/sim/sampling.hpp"

namespace qgen::hw {

EmulatorBackend::EmulatorBackend(std::shared_ptr<const NoisyEmulator> emulator, std::uint64_t shot_seed,
                                 int batch_limit)
    : emulator_(std::move(emulator)),
      shot_seed_(shot_seed),
      batch_limit_(batch_limit > 0 ? batch_limit : emulator_->device().max_experiments()) {}

std::string EmulatorBackend::describe() const {
  return "emulator(" + emulator_->device().name() + ", " +
         std::string(core::name_of(emulator_->options().method)) + ")";
}

std::vector<Counts> EmulatorBackend::counts_of_share(const BatchRequest& batch, std::size_t first,
                                                     std::size_t count) const {
  const std::span<const std::vector<double>> share(batch.parameter_sets.data() + first, count);
  const auto distributions = emulator_->probabilities(share, batch.number);
  std::vector<Counts> counts(count);
  for (std::size_t i = 0; i < count; ++i) {
    core::RandomStream stream(shot_seed_, core::stream_id(batch.number, static_cast<std::uint32_t>(first + i)));
    counts[i] = sim::sample_counts(distributions[i], batch.shots, stream);
  }
  return counts;
}

}  // namespace qgen::hw
