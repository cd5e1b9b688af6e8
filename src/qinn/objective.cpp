#include "qgen/qinn/objective.hpp"

#include <mpi.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <numbers>

#include "qgen/core/errors.hpp"
#include "qgen/qinn/dilepton.hpp"

namespace qgen::qinn {
namespace {

constexpr double kPi = std::numbers::pi;
constexpr double kFidelityFloor = 1e-12;

double now() { return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count(); }

// Adds the time since `start` to `total` when destroyed.
class Timer {
public:
  explicit Timer(double& total) : total_(total), start_(now()) {}
  ~Timer() { total_ += now() - start_; }

private:
  double& total_;
  double start_;
};

// dL/d(psi) of every event (3n x events) from the environments of its Rot factors.
void rot_angle_gradient(const Eigen::MatrixXd& psi, std::span<const Factor> env, int n,
                        Eigen::MatrixXd& d_psi) {
  d_psi.resize(psi.rows(), psi.cols());
  for (Eigen::Index e = 0; e < psi.cols(); ++e)
    for (int q = 0; q < n; ++q) {
      const auto d = rot_factor_derivatives(psi(3 * q, e), psi(3 * q + 1, e), psi(3 * q + 2, e));
      const Factor& v = env[e * n + q];
      for (int t = 0; t < 3; ++t) d_psi(3 * q + t, e) = 2.0 * (v[0] * d[t][0] + v[1] * d[t][1]).real();
    }
}

}  // namespace

std::pair<std::size_t, std::size_t> chunk_block(std::size_t chunks, int ranks, int rank) {
  return core::block_of(chunks, ranks, rank);
}

// One chunk's circuits, network tapes and intermediate values, kept from the forward to the
// backward stage.
struct Objective::ChunkWork {
  explicit ChunkWork(const QinnModel& m)
      : forward(m.forward_circuit(), m.chunk(), m.options().fusion),
        inverse_data(m.inverse_circuit(), m.chunk(), m.options().fusion),
        inverse_generated(m.inverse_circuit(), m.chunk(), m.options().fusion) {}

  ChunkCircuit forward, inverse_data, inverse_generated;
  IspNetwork::Tape tape_data, tape_generated;
  std::size_t first = 0;  // first event in the batch
  int events = 0;
  std::vector<Factor> encoding, isp_data, isp_generated, env;
  std::vector<double> alpha, e, z, e_data, s_data, e_generated, s_generated, x_generated, m_generated;
  Eigen::MatrixXd psi_data, psi_generated;
  std::vector<Complex> overlap;  // fidelity: <x|U^+ V|psi> per event
  std::vector<double> gradient;
};

Objective::Objective(const core::Ranks& ranks, const QinnModel& model, const ObjectiveOptions& options)
    : ranks_(ranks), model_(model), options_(options) {
  mass_term_ = options.weights.mass != 0.0;
  if (mass_term_ && model.scaling().columns != zll_features())
    throw core::InputError("the M_ll term of the loss needs the features " +
                           std::string("pT_plus, pT_minus, delta_phi, eta_plus, eta_minus in this order; "
                                       "set loss.mass-mmd = 0 for others"));
}

Objective::~Objective() = default;

Objective::ChunkWork& Objective::work(std::size_t i) {
  while (work_.size() <= i) work_.push_back(std::make_unique<ChunkWork>(model_));
  return *work_[i];
}

LossParts Objective::evaluate(std::span<const double> p, const Batch& batch, std::span<double> gradient) {
  const bool differentiate = !gradient.empty();
  const int n = model_.features(), capacity = model_.chunk().capacity();
  const ParameterLayout& layout = model_.layout();
  const std::size_t B = batch.scaled.size() / n;
  const std::size_t chunks = (B + capacity - 1) / capacity;
  const auto [c0, c1] = chunk_block(chunks, ranks_.size, ranks_.rank);
  const auto maps = model_.input_maps(p);
  const auto quantum = p.first(layout.quantum);
  IspNetwork network = model_.network();
  network.set_parameters(p.subspan(layout.network, network.num_parameters()));
  const FeatureScaling& scaling = model_.scaling();
  const bool fidelity = options_.invertibility == InvertibilityLoss::fidelity;

  // Forward: the data events through f and back through g, the generated ones through g.
  for (std::size_t j = c0; j < c1; ++j) {
    ChunkWork& w = work(j - c0);
    w.first = j * capacity;
    w.events = static_cast<int>(std::min<std::size_t>(capacity, B - w.first));
    const int m = w.events;
    const std::size_t size = static_cast<std::size_t>(m) * n;
    for (auto* v : {&w.alpha, &w.e, &w.z, &w.e_data, &w.s_data, &w.e_generated, &w.s_generated, &w.x_generated})
      v->resize(size);
    w.encoding.resize(size);
    w.m_generated.resize(m);
    for (std::size_t i = 0; i < size; ++i) {
      w.alpha[i] = maps[i % n].angle(batch.scaled[w.first * n + i]);
      w.encoding[i] = ry_factor(w.alpha[i]);
    }
    {
      Timer t(times_.circuits);
      if (differentiate) w.forward.run_differentiable(quantum, w.encoding, m, w.e);
      else w.forward.run(quantum, w.encoding, m, w.e);
    }
    latents_from_expectations(p, layout, n, w.e, w.z);
    // Through g: the data events' latents (invertibility) and the generated ones.
    for (auto [z, psi, tape, factors, circuit, e, s] :
         {std::tuple{std::span<const double>(w.z), &w.psi_data, &w.tape_data, &w.isp_data,
                     &w.inverse_data, &w.e_data, &w.s_data},
          std::tuple{batch.z_generated.subspan(w.first * n, size), &w.psi_generated,
                     &w.tape_generated, &w.isp_generated, &w.inverse_generated, &w.e_generated,
                     &w.s_generated}}) {
      {
        Timer t(times_.network);
        network.forward(Eigen::Map<const Eigen::MatrixXd>(z.data(), n, m), *psi,
                        differentiate ? tape : nullptr);
        rot_factors(*psi, n, *factors);
      }
      Timer t(times_.circuits);
      if (differentiate) circuit->run_differentiable(quantum, *factors, m, *e);
      else circuit->run(quantum, *factors, m, *e);
      for (std::size_t i = 0; i < size; ++i) (*s)[i] = maps[i % n].scaled(decode_angle((*e)[i]));
    }
    for (std::size_t i = 0; i < size; ++i) w.x_generated[i] = scaling.to_physical(i % n, w.s_generated[i]);
    if (mass_term_) {
      double unused[5];
      for (int e = 0; e < m; ++e)
        w.m_generated[e] = dilepton_mass_gradient(std::span(w.x_generated).subspan(e * n, n), unused);
    }
    if (fidelity) {
      // The final state of g needs the run that keeps it: for values only, run g once more.
      if (!differentiate) w.inverse_data.run_differentiable(quantum, w.isp_data, m, w.e_data);
      w.overlap.resize(m);
      model_.chunk().overlaps(w.inverse_data.final_state(), w.encoding, m, w.overlap);
    }
  }

  // What the MMD rows need from every event: the data latent, the generated event, its M_ll.
  const int per_event = 2 * n + 1;
  std::vector<int> counts(ranks_.size), displacements(ranks_.size);
  for (int r = 0; r < ranks_.size; ++r) {
    const auto [a, b] = chunk_block(chunks, ranks_.size, r);
    const std::size_t first = std::min(B, a * capacity), last = std::min(B, b * capacity);
    displacements[r] = static_cast<int>(first);
    counts[r] = static_cast<int>(last - first);
  }
  const std::size_t own_first = displacements[ranks_.rank], own = counts[ranks_.rank];
  std::vector<double> mine(own * per_event), all(B * per_event);
  for (std::size_t j = c0; j < c1; ++j) {
    const ChunkWork& w = *work_[j - c0];
    for (int e = 0; e < w.events; ++e) {
      double* row = &mine[(w.first + e - own_first) * per_event];
      for (int q = 0; q < n; ++q) {
        row[q] = w.z[e * n + q];
        row[n + q] = w.s_generated[e * n + q];
      }
      row[2 * n] = w.m_generated[e];
    }
  }
  auto gather = [&](const std::vector<double>& local, std::vector<double>& out, int width) {
    Timer t(times_.communication);
    std::vector<int> c(counts), d(displacements);
    for (int r = 0; r < ranks_.size; ++r) {
      c[r] *= width;
      d[r] *= width;
    }
    MPI_Allgatherv(local.data(), c[ranks_.rank], MPI_DOUBLE, out.data(), c.data(), d.data(),
                   MPI_DOUBLE, ranks_.comm);
  };
  gather(mine, all, per_event);
  std::vector<double> z_all(B * n), s_generated_all(B * n), m_generated_all(B);
  for (std::size_t i = 0; i < B; ++i) {
    std::copy_n(&all[i * per_event], n, &z_all[i * n]);
    std::copy_n(&all[i * per_event + n], n, &s_generated_all[i * n]);
    m_generated_all[i] = all[i * per_event + 2 * n];
  }

  // This rank's rows: the events' shares of each term and dL/dy.
  const std::size_t last = own_first + own;
  std::vector<double> share_input(own), share_latent(own), share_mass(own, 0.0), share_inv(own);
  std::vector<double> g_input(differentiate ? own * n : 0), g_latent(differentiate ? own * n : 0),
      g_mass(differentiate ? own : 0);
  {
    Timer t(times_.mmd);
    mmd_rows(options_.feature_kernel, batch.scaled, s_generated_all, n, own_first, last, share_input, g_input);
    mmd_rows(options_.latent_kernel, batch.z_reference, z_all, n, own_first, last, share_latent, g_latent);
    if (mass_term_)
      mmd_rows(options_.mass_kernel, batch.mass, m_generated_all, 1, own_first, last, share_mass, g_mass);
  }
  for (std::size_t j = c0; j < c1; ++j) {
    const ChunkWork& w = *work_[j - c0];
    for (int e = 0; e < w.events; ++e) {
      const std::size_t i = w.first + e;
      double sum = 0.0;
      if (fidelity) {
        sum = -std::log(std::max(std::norm(w.overlap[e]), kFidelityFloor)) / static_cast<double>(B);
      } else {
        for (int q = 0; q < n; ++q) {
          const double d = w.s_data[e * n + q] - batch.scaled[i * n + q];
          sum += d * d;
        }
        sum /= static_cast<double>(B * n);
      }
      share_inv[i - own_first] = sum;
    }
  }

  // Every event's shares, added in event order on every rank.
  std::vector<double> shares(own * 4), all_shares(B * 4);
  for (std::size_t i = 0; i < own; ++i) {
    shares[4 * i] = share_input[i];
    shares[4 * i + 1] = share_latent[i];
    shares[4 * i + 2] = share_mass[i];
    shares[4 * i + 3] = share_inv[i];
  }
  gather(shares, all_shares, 4);
  LossParts loss;
  for (std::size_t i = 0; i < B; ++i) {
    loss.input += all_shares[4 * i];
    loss.latent += all_shares[4 * i + 1];
    loss.mass += all_shares[4 * i + 2];
    loss.invertibility += all_shares[4 * i + 3];
  }
  const LossWeights& wt = options_.weights;
  loss.total = wt.input * loss.input + wt.latent * loss.latent + wt.mass * loss.mass +
               wt.invertibility * loss.invertibility;
  if (!differentiate) return loss;

  // Backward, chunk by chunk, into one gradient vector per chunk.
  for (std::size_t j = c0; j < c1; ++j) {
    ChunkWork& w = *work_[j - c0];
    const int m = w.events;
    const std::size_t size = static_cast<std::size_t>(m) * n, row0 = w.first - own_first;
    w.gradient.assign(layout.size, 0.0);
    std::span<double> g(w.gradient);
    std::vector<double> g_a(n, 0.0), g_b(n, 0.0), d_e(size);
    w.env.resize(size);
    Eigen::MatrixXd d_psi, d_z_inverse;

    // dL/ds~ of a decoded chunk -> dL/dE~ (and a, b through s~ = (alpha~ - pi b) / a), then
    // back through g: the circuit, the Rot angles, the network.
    auto through_inverse = [&](const std::vector<double>& s, const std::vector<double>& e,
                               const std::vector<double>& d_s, ChunkCircuit& circuit,
                               const Eigen::MatrixXd& psi, const IspNetwork::Tape& tape,
                               Eigen::MatrixXd* d_z) {
      for (std::size_t i = 0; i < size; ++i) {
        const int q = static_cast<int>(i % n);
        const double a = maps[q].a;
        g_a[q] += d_s[i] * (-s[i] / a);
        g_b[q] += d_s[i] * (-kPi / a);
        d_e[i] = d_s[i] / a * decode_angle_derivative(e[i]);
      }
      {
        Timer t(times_.circuits);
        circuit.backward(d_e, g, w.env);
      }
      Timer t(times_.network);
      rot_angle_gradient(psi, w.env, n, d_psi);
      network.backward(tape, d_psi, g.subspan(layout.network, network.num_parameters()), d_z);
    };

    // Generated events: input MMD and, through M_ll, the mass term.
    std::vector<double> d_s(size);
    for (int e = 0; e < m; ++e) {
      double dm[5] = {0, 0, 0, 0, 0};
      if (mass_term_) dilepton_mass_gradient(std::span(w.x_generated).subspan(e * n, n), dm);
      for (int q = 0; q < n; ++q) {
        double v = wt.input * g_input[(row0 + e) * n + q];
        if (mass_term_) v += wt.mass * g_mass[row0 + e] * dm[q] / scaling.slope(q);
        d_s[e * n + q] = v;
      }
    }
    through_inverse(w.s_generated, w.e_generated, d_s, w.inverse_generated, w.psi_generated,
                    w.tape_generated, nullptr);

    // Data events through g: the invertibility term, back to their latents.
    std::vector<double> d_alpha(size, 0.0);
    if (!fidelity) {
      for (std::size_t i = 0; i < size; ++i)
        d_s[i] = wt.invertibility * 2.0 * (w.s_data[i] - batch.scaled[w.first * n + i]) /
                 static_cast<double>(B * n);
      through_inverse(w.s_data, w.e_data, d_s, w.inverse_data, w.psi_data, w.tape_data, &d_z_inverse);
    } else {
      // L_e = -w/B log F_e, F_e = |c_e|^2, c_e = <x_e|phi_e>: dL/dphi^* = -(w / (B F_e)) c_e x_e.
      sim::StateVector lambda(model_.chunk().num_qubits());
      model_.chunk().prepare(w.encoding, m, lambda);
      std::vector<Factor> env_phi(size);
      model_.chunk().environments(w.inverse_data.final_state(), w.encoding, m, env_phi);
      for (int e = 0; e < m; ++e) {
        const double f = std::norm(w.overlap[e]);
        const Complex coefficient =
            f > kFidelityFloor ? -wt.invertibility / (static_cast<double>(B) * f) * w.overlap[e] : 0.0;
        for (std::size_t x = 0; x < (std::size_t{1} << n); ++x) {
          const std::size_t i = x * capacity + e;
          const Complex v = coefficient * lambda.amplitude(i);
          lambda.set_amplitude(i, v);
        }
        // The forward side: dF/dalpha_q = 2 Re(conj(c) <dx_q|phi>), <dx_q|phi> = conj(S_q),
        // S_q = sum_b env_phi(b) dRY(b).
        if (f > kFidelityFloor)
          for (int q = 0; q < n; ++q) {
            const Factor d = ry_factor_derivative(w.alpha[e * n + q]);
            const Complex s_q = env_phi[e * n + q][0] * d[0] + env_phi[e * n + q][1] * d[1];
            d_alpha[e * n + q] += -wt.invertibility / (static_cast<double>(B) * f) * 2.0 *
                                  (w.overlap[e] * s_q).real();
          }
      }
      {
        Timer t(times_.circuits);
        w.inverse_data.backward(lambda, g, w.env);
      }
      Timer t(times_.network);
      rot_angle_gradient(w.psi_data, w.env, n, d_psi);
      network.backward(w.tape_data, d_psi, g.subspan(layout.network, network.num_parameters()),
                       &d_z_inverse);
    }

    // The data events' latents: latent MMD and the way back from g; then z = c E + d, f.
    for (int e = 0; e < m; ++e)
      for (int q = 0; q < n; ++q) {
        const std::size_t i = e * n + q;
        const double d_z = wt.latent * g_latent[(row0 + e) * n + q] + d_z_inverse(q, e);
        g[layout.output + q] += d_z * w.e[i];
        g[layout.output + n + q] += d_z;
        d_e[i] = p[layout.output + q] * d_z;
      }
    {
      Timer t(times_.circuits);
      w.forward.backward(d_e, g, w.env);
    }
    for (std::size_t i = 0; i < size; ++i) {
      const Factor d = ry_factor_derivative(w.alpha[i]);
      d_alpha[i] += 2.0 * (w.env[i][0] * d[0] + w.env[i][1] * d[1]).real();
      const int q = static_cast<int>(i % n);
      g_a[q] += d_alpha[i] * batch.scaled[w.first * n + i];
      g_b[q] += d_alpha[i] * kPi;
    }
    for (int q = 0; q < n; ++q)
      add_input_map_gradient(maps[q], g_a[q], g_b[q], g[layout.input + q], g[layout.input + n + q]);
  }

  // Every chunk's gradient on every rank, added in chunk order.
  const std::size_t P = layout.size;
  std::vector<double> local((c1 - c0) * P), chunk_gradients(chunks * P);
  for (std::size_t j = c0; j < c1; ++j) std::copy(work_[j - c0]->gradient.begin(), work_[j - c0]->gradient.end(), local.begin() + (j - c0) * P);
  {
    Timer t(times_.communication);
    std::vector<int> c(ranks_.size), d(ranks_.size);
    for (int r = 0; r < ranks_.size; ++r) {
      const auto [a, b] = chunk_block(chunks, ranks_.size, r);
      c[r] = static_cast<int>((b - a) * P);
      d[r] = static_cast<int>(a * P);
    }
    MPI_Allgatherv(local.data(), c[ranks_.rank], MPI_DOUBLE, chunk_gradients.data(), c.data(),
                   d.data(), MPI_DOUBLE, ranks_.comm);
  }
  std::fill(gradient.begin(), gradient.end(), 0.0);
  for (std::size_t j = 0; j < chunks; ++j)
    for (std::size_t i = 0; i < P; ++i) gradient[i] += chunk_gradients[j * P + i];
  return loss;
}

}  // namespace qgen::qinn
