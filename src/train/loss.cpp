#include "qgen/train/loss.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace qgen::train {

namespace {

// x log(x / m) with 0 log 0 = 0.
double x_log_ratio(double x, double m) { return x > 0 ? x * std::log(x / m) : 0.0; }

}  // namespace

double jensen_shannon(std::span<const double> p, std::span<const double> q) {
  if (p.size() != q.size()) throw std::invalid_argument("JS: distributions of different sizes");
  double js = 0.0;
  for (std::size_t x = 0; x < p.size(); ++x) {
    const double m = 0.5 * (p[x] + q[x]);
    js += x_log_ratio(p[x], m) + x_log_ratio(q[x], m);
  }
  return 0.5 * js;
}

Loss::Loss(const LossOptions& options, std::vector<double> target)
    : options_(options), target_(std::move(target)) {
  if (!(options_.epsilon > 0 && options_.epsilon < 1e-3))
    throw std::invalid_argument("loss epsilon must be in (0, 1e-3)");
  if (options_.kind == LossKind::mmd) {
    if (options_.mmd_sigmas.empty()) throw std::invalid_argument("MMD needs at least one sigma");
    double widest = 0;
    for (double s : options_.mmd_sigmas) {
      if (!(s > 0)) throw std::invalid_argument("MMD sigmas must be > 0");
      widest = std::max(widest, s);
    }
    const std::size_t band = std::min<std::size_t>(target_.size(), static_cast<std::size_t>(8 * widest) + 1);
    kernel_.assign(band, 0.0);
    for (std::size_t d = 0; d < band; ++d)
      for (double s : options_.mmd_sigmas) {
        const double e = std::exp(-static_cast<double>(d * d) / (2 * s * s));
        if (e > std::exp(-32.0)) kernel_[d] += e;
      }
  }
}

double Loss::value(std::span<const double> model) const {
  std::vector<double> unused(model.size());
  return value_and_gradient(model, unused);
}

double Loss::value_and_gradient(std::span<const double> q, std::span<double> gradient) const {
  const std::span<const double> p(target_);
  if (q.size() != p.size() || gradient.size() != p.size())
    throw std::invalid_argument("loss: model and target sizes differ");
  const double eps = options_.epsilon;
  switch (options_.kind) {
    case LossKind::js: {
      for (std::size_t x = 0; x < p.size(); ++x) {
        const double qe = std::max(q[x], eps);
        gradient[x] = 0.5 * std::log(qe / (0.5 * (p[x] + qe)));
      }
      return jensen_shannon(p, q);
    }
    case LossKind::kl: {
      double kl = 0.0;
      for (std::size_t x = 0; x < p.size(); ++x) {
        const double qe = std::max(q[x], eps);
        if (p[x] > 0) kl += p[x] * std::log(p[x] / qe);
        gradient[x] = -p[x] / qe;
      }
      return kl;
    }
    case LossKind::mmd: {
      // r = P - Q; Kr by the banded kernel; MMD^2 = r^T K r; gradient = -2 K r.
      const std::size_t n = p.size(), band = kernel_.size();
      std::vector<double> r(n);
      for (std::size_t x = 0; x < n; ++x) r[x] = p[x] - q[x];
      double mmd = 0.0;
      for (std::size_t x = 0; x < n; ++x) {
        double kr = kernel_[0] * r[x];
        for (std::size_t d = 1; d < band; ++d) {
          if (x >= d) kr += kernel_[d] * r[x - d];
          if (x + d < n) kr += kernel_[d] * r[x + d];
        }
        mmd += r[x] * kr;
        gradient[x] = -2.0 * kr;
      }
      return mmd;
    }
  }
  return 0.0;
}

}  // namespace qgen::train
