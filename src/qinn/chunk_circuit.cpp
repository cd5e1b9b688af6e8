#include "qgen/qinn/chunk_circuit.hpp"

namespace qgen::qinn {

ChunkCircuit::ChunkCircuit(const sim::Circuit& circuit, const EventChunk& chunk,
                           sim::FusionLevel fusion)
    : chunk_(chunk), simulator_(circuit, fusion), adjoint_(circuit, fusion),
      state_(chunk.num_qubits()), probabilities_(state_.size()), weights_(state_.size()),
      gradient_(circuit.num_parameters()) {}

void ChunkCircuit::run(std::span<const double> angles, std::span<const Factor> factors, int events,
                       std::span<double> expectations) {
  chunk_.prepare(factors, events, state_);
  simulator_.run(angles, state_, probabilities_.data());
  chunk_.expectations(probabilities_, events, expectations);
}

void ChunkCircuit::run_differentiable(std::span<const double> angles,
                                      std::span<const Factor> factors, int events,
                                      std::span<double> expectations) {
  chunk_.prepare(factors, events, state_);
  adjoint_.forward(angles, probabilities_, state_);
  chunk_.expectations(probabilities_, events, expectations);
  factors_.assign(factors.begin(), factors.begin() + static_cast<std::ptrdiff_t>(events) * chunk_.features());
  events_ = events;
}

void ChunkCircuit::backward(std::span<const double> d_expectations, std::span<double> gradient,
                            std::span<Factor> env) {
  chunk_.weights(d_expectations, events_, weights_);
  adjoint_.backward(weights_, gradient_);
  finish_backward(gradient, env);
}

void ChunkCircuit::backward(const sim::StateVector& lambda, std::span<double> gradient,
                            std::span<Factor> env) {
  adjoint_.backward(lambda, gradient_);
  finish_backward(gradient, env);
}

void ChunkCircuit::finish_backward(std::span<double> gradient, std::span<Factor> env) {
  for (std::size_t i = 0; i < gradient_.size(); ++i) gradient[i] += gradient_[i];
  chunk_.environments(adjoint_.initial_adjoint(), factors_, events_, env);
}

}  // namespace qgen::qinn
