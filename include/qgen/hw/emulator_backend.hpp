// The noisy emulator (noisy_emulator.hpp) as a backend: every rank computes the counts of its
// share of a batch itself (parallel()), so emulating a batch scales with the ranks.
//
// The shots of circuit i of batch b are drawn from its emulated distribution with the stream
// keyed by (shot_seed, stream_id(b, i)) (core/random_stream.hpp): the counts depend on the
// batch and the circuit's place in it, never on which rank computed them or what else shared
// its call. The calibration drift walks over the batch number b (noise_model.hpp).
#pragma once

#include <cstdint>
#include <memory>

#include "qgen/hw/backend.hpp"
#include "qgen/hw/noisy_emulator.hpp"

namespace qgen::hw {

class EmulatorBackend : public Backend {
public:
  /// `batch_limit` 0: the device's max_experiments.
  EmulatorBackend(std::shared_ptr<const NoisyEmulator> emulator, std::uint64_t shot_seed, int batch_limit = 0);

  std::string describe() const override;
  int num_qubits() const override { return emulator_->num_qubits(); }
  int max_experiments() const override { return batch_limit_; }
  std::uint64_t max_shots() const override { return emulator_->device().max_shots(); }
  bool parallel() const override { return true; }
  std::vector<Counts> counts_of_share(const BatchRequest& batch, std::size_t first,
                                      std::size_t count) const override;

  const NoisyEmulator& emulator() const { return *emulator_; }

private:
  std::shared_ptr<const NoisyEmulator> emulator_;
  std::uint64_t shot_seed_;
  int batch_limit_;
};

}  // namespace qgen::hw
