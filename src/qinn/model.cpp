#include "qgen/qinn/model.hpp"

#include <Eigen/LU>

#include <algorithm>
#include <bit>
#include <cmath>
#include <numbers>

#include "qgen/circuits/qinn_ansatz.hpp"
#include "qgen/core/errors.hpp"
#include "qgen/core/random_stream.hpp"
#include "qgen/qinn/streams.hpp"

namespace qgen::qinn {
namespace {

constexpr double kPi = std::numbers::pi;

sim::Circuit build_forward(const QinnShape& s, int qubits) {
  sim::Circuit c(qubits);
  circuits::add_qinn_layers(c, s.features, s.layers, 0);
  return c;
}

sim::Circuit build_inverse(const QinnShape& s, int qubits) {
  sim::Circuit c(qubits);
  const ParameterLayout layout(s);
  circuits::add_qinn_layers(c, s.features, s.isp_layers, layout.isp);
  circuits::add_qinn_layers_adjoint(c, s.features, s.layers, layout.model);
  return c;
}

const ModelOptions& checked(const ModelOptions& o);

}  // namespace

void check_model_options(const ModelOptions& o) {
  check_shape(o.shape);
  if (o.chunk < 1 || o.chunk > 1024 || !std::has_single_bit(static_cast<unsigned>(o.chunk)))
    throw core::InputError("model.chunk = " + std::to_string(o.chunk) +
                           ": events per simulated state must be a power of two from 1 to 1024");
}

namespace {
const ModelOptions& checked(const ModelOptions& o) {
  check_model_options(o);
  return o;
}
}  // namespace

double decode_angle(double e) { return 2.0 * std::asin(std::sqrt(std::clamp(e, 0.0, 1.0))); }

double decode_angle_derivative(double e) {
  const double c = std::clamp(e, 1e-6, 1.0 - 1e-6);
  return 1.0 / std::sqrt(c * (1.0 - c));
}

QinnModel::QinnModel(const ModelOptions& options, FeatureScaling scaling)
    : options_(checked(options)), scaling_(std::move(scaling)), layout_(options.shape),
      chunk_(options.shape.features, options.chunk),
      forward_(build_forward(options.shape, chunk_.num_qubits())),
      inverse_(build_inverse(options.shape, chunk_.num_qubits())),
      network_(options.shape.features, options.shape.network_hidden, options.shape.network_layers) {
  if (static_cast<int>(scaling_.size()) != options.shape.features)
    throw core::InternalError("QinnModel: the scaling has another number of features");
  // Circuits of the quantum block: the parameter vector's first entries.
  if (inverse_.num_parameters() > layout_.quantum || forward_.num_parameters() > layout_.quantum)
    throw core::InternalError("QinnModel: circuit slots beyond the quantum block");
  run_forward_ = std::make_unique<ChunkCircuit>(forward_, chunk_, options.fusion);
  run_inverse_ = std::make_unique<ChunkCircuit>(inverse_, chunk_, options.fusion);
  factors_.resize(static_cast<std::size_t>(options.chunk) * features());
  expectations_.resize(factors_.size());
}

std::vector<double> QinnModel::initial_parameters(std::uint64_t seed, double width) const {
  std::vector<double> p(layout_.size, 0.0);
  core::RandomStream angles(seed, stream_of(Purpose::init_angles, 0));
  for (int i = 0; i < layout_.quantum; ++i) p[i] = width * (2.0 * angles.next_uniform() - 1.0);
  const int n = features();
  for (int q = 0; q < n; ++q) {
    p[layout_.input + q] = kInitialU;
    p[layout_.input + n + q] = kInitialV;
    p[layout_.output + q] = kInitialC;
    p[layout_.output + n + q] = kInitialD;
  }
  const auto net = network_.initial_parameters(seed, stream_of(Purpose::init_network, 0));
  std::copy(net.begin(), net.end(), p.begin() + layout_.network);
  return p;
}

std::vector<InputMap> QinnModel::input_maps(std::span<const double> p) const {
  const int n = features();
  std::vector<InputMap> maps;
  for (int q = 0; q < n; ++q) maps.push_back(InputMap::of(p[layout_.input + q], p[layout_.input + n + q]));
  return maps;
}

void latents_from_expectations(std::span<const double> p, const ParameterLayout& layout, int n,
                               std::span<const double> e, std::span<double> z) {
  for (std::size_t i = 0; i < e.size(); ++i) {
    const std::size_t q = i % n;
    z[i] = p[layout.output + q] * e[i] + p[layout.output + n + q];
  }
}

void rot_factors(const Eigen::MatrixXd& psi, int n, std::vector<Factor>& f) {
  f.resize(static_cast<std::size_t>(psi.cols()) * n);
  for (Eigen::Index e = 0; e < psi.cols(); ++e)
    for (int q = 0; q < n; ++q)
      f[e * n + q] = rot_factor(psi(3 * q, e), psi(3 * q + 1, e), psi(3 * q + 2, e));
}

void QinnModel::latent(std::span<const double> p, std::span<const double> scaled, std::span<double> z) {
  const int n = features(), c = options_.chunk;
  const auto maps = input_maps(p);
  const std::size_t events = scaled.size() / n;
  for (std::size_t first = 0; first < events; first += c) {
    const int m = static_cast<int>(std::min<std::size_t>(c, events - first));
    for (int e = 0; e < m; ++e)
      for (int q = 0; q < n; ++q)
        factors_[e * n + q] = ry_factor(maps[q].angle(scaled[(first + e) * n + q]));
    run_forward_->run(p.first(layout_.quantum), factors_, m, expectations_);
    latents_from_expectations(p, layout_, n, std::span(expectations_).first(m * n),
                              z.subspan(first * n, m * n));
  }
}

void QinnModel::inverse(std::span<const double> p, std::span<const double> z, std::span<double> scaled) {
  const int n = features(), c = options_.chunk;
  const auto maps = input_maps(p);
  network_.set_parameters(p.subspan(layout_.network, network_.num_parameters()));
  const std::size_t events = z.size() / n;
  Eigen::MatrixXd psi;
  std::vector<Factor> factors;
  for (std::size_t first = 0; first < events; first += c) {
    const int m = static_cast<int>(std::min<std::size_t>(c, events - first));
    const Eigen::MatrixXd zc = Eigen::Map<const Eigen::MatrixXd>(z.data() + first * n, n, m);
    network_.forward(zc, psi);
    rot_factors(psi, n, factors);
    run_inverse_->run(p.first(layout_.quantum), factors, m, expectations_);
    for (int i = 0; i < m * n; ++i)
      scaled[first * n + i] = maps[i % n].scaled(decode_angle(expectations_[i]));
  }
}

void QinnModel::log_density(std::span<const double> p, std::span<const double> scaled,
                            std::span<double> log_p, std::span<double> z_out,
                            std::span<double> jacobian) {
  const int n = features(), c = options_.chunk;
  const auto maps = input_maps(p);
  const std::size_t events = scaled.size() / n;
  std::vector<double> alpha(static_cast<std::size_t>(c) * n), plus(alpha.size()), minus(alpha.size());
  Eigen::MatrixXd jac(n, n);
  for (std::size_t first = 0; first < events; first += c) {
    const int m = static_cast<int>(std::min<std::size_t>(c, events - first));
    for (int e = 0; e < m; ++e)
      for (int q = 0; q < n; ++q) alpha[e * n + q] = maps[q].angle(scaled[(first + e) * n + q]);
    auto run_with = [&](int shifted, double shift, std::vector<double>& out) {
      for (int i = 0; i < m * n; ++i)
        factors_[i] = ry_factor(alpha[i] + (i % n == shifted ? shift : 0.0));
      run_forward_->run(p.first(layout_.quantum), factors_, m, out);
    };
    std::vector<double> e0(static_cast<std::size_t>(m) * n);
    run_with(-1, 0.0, e0);
    // dE_j/dalpha_k for every event, column k at a time.
    std::vector<double> de(static_cast<std::size_t>(m) * n * n);
    for (int k = 0; k < n; ++k) {
      run_with(k, kPi / 2, plus);
      run_with(k, -kPi / 2, minus);
      for (int e = 0; e < m; ++e)
        for (int j = 0; j < n; ++j) de[(e * n + j) * n + k] = 0.5 * (plus[e * n + j] - minus[e * n + j]);
    }
    for (int e = 0; e < m; ++e) {
      double log_normal = 0.0;
      for (int j = 0; j < n; ++j) {
        const double cj = p[layout_.output + j], dj = p[layout_.output + n + j];
        const double zj = cj * e0[e * n + j] + dj;
        log_normal += -0.5 * zj * zj - 0.5 * std::log(2 * kPi);
        if (!z_out.empty()) z_out[(first + e) * n + j] = zj;
        for (int k = 0; k < n; ++k)
          jac(j, k) = cj * de[(e * n + j) * n + k] * maps[k].a * scaling_.slope(k);
      }
      if (!jacobian.empty())
        for (int j = 0; j < n; ++j)
          for (int k = 0; k < n; ++k) jacobian[((first + e) * n + j) * n + k] = jac(j, k);
      const double det = jac.partialPivLu().determinant();
      log_p[first + e] = log_normal + std::log(std::abs(det));
    }
  }
}

}  // namespace qgen::qinn
