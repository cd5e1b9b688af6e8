// One of the QINN's circuits run on a chunk of events (qinn/event_chunk.hpp): each event's
// product input state, the circuit shared by all of them, and P(qubit i = 1) of each event;
// when differentiable, also the way back, from dL/dE (or from a final adjoint state) to the
// circuit's angles by the adjoint method (sim/adjoint.hpp) and to each event's input factors
// through their environments.
#pragma once

#include <span>
#include <vector>

#include "qgen/qinn/event_chunk.hpp"
#include "qgen/sim/adjoint.hpp"
#include "qgen/sim/simulator.hpp"

namespace qgen::qinn {

class ChunkCircuit {
public:
  ChunkCircuit(const sim::Circuit& circuit, const EventChunk& chunk, sim::FusionLevel fusion);

  /// E[e n + q] for `events` events whose input factors are factors[e n + q].
  void run(std::span<const double> angles, std::span<const Factor> factors, int events,
           std::span<double> expectations);
  /// The same, keeping what backward() needs.
  void run_differentiable(std::span<const double> angles, std::span<const Factor> factors,
                          int events, std::span<double> expectations);

  /// After run_differentiable: adds d/d(angles) of L to `gradient` (the circuit's parameters)
  /// for L with dL/dE = d_expectations, and writes each input factor's environment to `env`
  /// (event_chunk.hpp: dL/dp = 2 Re sum_b env(b) df(b)/dp).
  void backward(std::span<const double> d_expectations, std::span<double> gradient,
                std::span<Factor> env);
  /// The same for a loss of the final amplitudes with dL/d(final state)^* = lambda.
  void backward(const sim::StateVector& lambda, std::span<double> gradient, std::span<Factor> env);

  /// The final state of the last run_differentiable (the chunk's layout).
  const sim::StateVector& final_state() const { return adjoint_.final_state(); }
  const EventChunk& chunk() const { return chunk_; }

private:
  void finish_backward(std::span<double> gradient, std::span<Factor> env);

  const EventChunk& chunk_;
  sim::Simulator simulator_;
  sim::AdjointDifferentiator adjoint_;
  sim::StateVector state_;
  std::vector<double> probabilities_, weights_, gradient_;
  std::vector<Factor> factors_;  // of the last differentiable run
  int events_ = 0;
};

}  // namespace qgen::qinn
