#include "qgen/qinn/isp_network.hpp"

#include <cmath>
#include <stdexcept>

#include "qgen/core/random_stream.hpp"

namespace qgen::qinn {

IspNetwork::IspNetwork(int inputs, int hidden, int layers) : inputs_(inputs) {
  int in = inputs;
  for (int k = 0; k < layers; ++k) {
    Layer l;
    l.in = in;
    l.out = k + 1 == layers ? 3 * inputs : hidden;
    l.offset = num_parameters_;
    l.weight = Eigen::MatrixXd::Zero(l.out, l.in);
    l.bias = Eigen::VectorXd::Zero(l.out);
    num_parameters_ += (l.in + 1) * l.out;
    in = l.out;
    layers_.push_back(std::move(l));
  }
}

void IspNetwork::set_parameters(std::span<const double> p) {
  if (static_cast<int>(p.size()) != num_parameters_)
    throw std::invalid_argument("IspNetwork: wrong number of parameters");
  for (Layer& l : layers_) {
    l.weight = Eigen::Map<const Eigen::MatrixXd>(p.data() + l.offset, l.out, l.in);
    l.bias = Eigen::Map<const Eigen::VectorXd>(p.data() + l.offset + l.in * l.out, l.out);
  }
}

void IspNetwork::forward(const Eigen::MatrixXd& z, Eigen::MatrixXd& out, Tape* tape) const {
  if (tape) tape->inputs.resize(layers_.size());
  Eigen::MatrixXd h = z;
  for (std::size_t k = 0; k < layers_.size(); ++k) {
    const Layer& l = layers_[k];
    Eigen::MatrixXd y = l.weight * h;
    y.colwise() += l.bias;
    if (tape) tape->inputs[k] = std::move(h);
    if (k + 1 < layers_.size()) h = y.array().tanh().matrix();
    else out = std::move(y);
  }
}

void IspNetwork::backward(const Tape& tape, const Eigen::MatrixXd& d_out, std::span<double> gradient,
                          Eigen::MatrixXd* d_inputs) const {
  if (static_cast<int>(gradient.size()) != num_parameters_)
    throw std::invalid_argument("IspNetwork: wrong gradient size");
  Eigen::MatrixXd dy = d_out;  // dL/d(pre-activation) of the current layer
  for (std::size_t k = layers_.size(); k-- > 0;) {
    const Layer& l = layers_[k];
    const Eigen::MatrixXd& h = tape.inputs[k];
    // Products into owned (aligned) matrices first, then added element by element: Eigen
    // peels unaligned destinations differently at different addresses, and small products
    // sum the peeled entries in another order, which would make the bits depend on where
    // `gradient` lives (the ranks' gradients must agree bit for bit).
    const Eigen::MatrixXd dw = dy * h.transpose();
    const Eigen::VectorXd db = dy.rowwise().sum();
    Eigen::Map<Eigen::MatrixXd>(gradient.data() + l.offset, l.out, l.in) += dw;
    Eigen::Map<Eigen::VectorXd>(gradient.data() + l.offset + l.in * l.out, l.out) += db;
    if (k == 0 && d_inputs == nullptr) break;
    Eigen::MatrixXd dh = l.weight.transpose() * dy;
    if (k == 0) {
      *d_inputs = std::move(dh);
      break;
    }
    // h = tanh(y) of the layer below: dy = dh (1 - h^2).
    dy = (dh.array() * (1.0 - h.array().square())).matrix();
  }
}

std::vector<double> IspNetwork::initial_parameters(std::uint64_t seed, std::uint64_t stream) const {
  std::vector<double> p(num_parameters_);
  core::RandomStream random(seed, stream);
  for (const Layer& l : layers_) {
    const double bound = 1.0 / std::sqrt(static_cast<double>(l.in));
    for (int i = 0; i < (l.in + 1) * l.out; ++i)
      p[l.offset + i] = bound * (2.0 * random.next_uniform() - 1.0);
  }
  return p;
}

}  // namespace qgen::qinn
