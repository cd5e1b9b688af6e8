// The classical half of the learned inverse state preparation (paper 004, eq. 21, Fig. 4): a
// small dense network g_C mapping the latent z (n values) to the 3n angles psi of the Rot gates
// that prepare the ISP's state. `layers` dense layers, n -> h -> ... -> h -> 3n, with tanh
// between them and none after the last (the angles are periodic: no output squashing). tanh
// rather than ReLU keeps the network smooth, so its gradient matches finite differences
// everywhere (tested) and the density's inverse map has no kinks.
//
// Dense algebra through Eigen: the matrices are small (32 x 32 by default) and dense, a batch
// is a few matrix products, and Eigen is header-only and packaged by Debian (libeigen3-dev), so
// it adds no runtime and no download. libtorch would bring a large framework, its own thread
// pool and allocator, for 1.7k parameters whose gradient is three lines of back-propagation.
//
// Parameters, within the network's block of the model's vector: layer by layer, the weight
// matrix W (out x in, column-major, as Eigen stores it) then the bias b (out). Initial values
// as PyTorch's nn.Linear: W and b uniform in [-1/sqrt(in), 1/sqrt(in)], here drawn from a
// counter-based stream.
//
// Events are columns: Z is n x B, the output 3n x B. Results for one event do not depend on the
// other columns, but a batch's summed gradient depends on its size (summation order): callers
// that need the same bits on any number of ranks give the network the same batches.
#pragma once

#include <Eigen/Dense>

#include <cstdint>
#include <span>
#include <vector>

namespace qgen::qinn {

class IspNetwork {
public:
  IspNetwork(int inputs, int hidden, int layers);

  int inputs() const { return inputs_; }
  int outputs() const { return 3 * inputs_; }
  int num_parameters() const { return num_parameters_; }

  /// Copies the network's block of parameters (num_parameters() values) into its matrices.
  void set_parameters(std::span<const double> parameters);

  /// What the backward pass needs: each layer's input (z, then the hidden activations).
  struct Tape {
    std::vector<Eigen::MatrixXd> inputs;
  };

  /// out = g_C(z) for every column; keeps the activations in `tape` when given.
  void forward(const Eigen::MatrixXd& z, Eigen::MatrixXd& out, Tape* tape = nullptr) const;

  /// From dL/d(out) of the forward pass recorded in `tape`: adds dL/d(parameters) to
  /// `gradient` (the network's block) and, when `d_inputs` is given, writes dL/dz there.
  void backward(const Tape& tape, const Eigen::MatrixXd& d_out, std::span<double> gradient,
                Eigen::MatrixXd* d_inputs = nullptr) const;

  /// PyTorch's default initialisation, from the stream (seed, stream).
  std::vector<double> initial_parameters(std::uint64_t seed, std::uint64_t stream) const;

private:
  struct Layer {
    int in = 0, out = 0, offset = 0;  // offset of W in the block; b follows it
    Eigen::MatrixXd weight;
    Eigen::VectorXd bias;
  };
  int inputs_;
  int num_parameters_ = 0;
  std::vector<Layer> layers_;
};

}  // namespace qgen::qinn
