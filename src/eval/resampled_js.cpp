#include "qgen/eval/resampled_js.hpp"

#include <cmath>
#include <string>

#include "qgen/core/errors.hpp"
#include "qgen/core/random_stream.hpp"
#include "qgen/sim/sampling.hpp"
#include "qgen/train/loss.hpp"

namespace qgen::eval {

ResampledJs resampled_js(const core::Ranks& ranks, std::span<const double> model,
                         std::span<const double> reference, std::uint64_t shots,
                         std::size_t repetitions, std::uint64_t seed) {
  if (shots == 0 || repetitions == 0)
    throw core::InputError("resampling needs at least one shot and one repetition (given " +
                           std::to_string(shots) + " shots, " + std::to_string(repetitions) +
                           " repetitions)");
  if (model.size() != reference.size())
    throw core::InputError("resampling: the model has " + std::to_string(model.size()) +
                           " basis states and the reference " + std::to_string(reference.size()));

  const std::vector<std::size_t> blocks = core::block_boundaries(repetitions, ranks.size);
  std::vector<double> mine;
  core::collectively(ranks, [&] {
    sim::ShotSampler sampler;
    std::vector<double> estimate(model.size());
    for (std::size_t r = blocks[ranks.rank]; r < blocks[ranks.rank + 1]; ++r) {
      core::RandomStream stream(seed, r);
      sampler.estimate(model, shots, stream, estimate);
      mine.push_back(train::jensen_shannon(reference, estimate));
    }
  });

  ResampledJs result;
  result.shots = shots;
  result.seed = seed;
  result.values = core::gather_blocks(ranks, mine, blocks);
  double sum = 0;
  for (const double v : result.values) sum += v;
  result.mean = sum / static_cast<double>(repetitions);
  double squares = 0;
  for (const double v : result.values) squares += (v - result.mean) * (v - result.mean);
  result.standard_deviation = repetitions > 1 ? std::sqrt(squares / static_cast<double>(repetitions - 1)) : 0.0;
  return result;
}

}  // namespace qgen::eval
