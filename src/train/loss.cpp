#include "qgen/train/loss.hpp"

#include <mpi.h>

#include <algorithm>
#include <array>
#include <bit>
#include <climits>
#include <cmath>
#include <stdexcept>

#include "qgen/core/tree_sum.hpp"

namespace qgen::train {

namespace {

// x log(x / m) with 0 log 0 = 0.
double x_log_ratio(double x, double m) { return x > 0 ? x * std::log(x / m) : 0.0; }

// The JS term of one basis state (its sum over x, halved, is JS).
double js_term(double p, double q) {
  const double m = 0.5 * (p + q);
  return x_log_ratio(p, m) + x_log_ratio(q, m);
}

constexpr int kHaloTag = 7411;

// sum.add(term(x)) for x in [0, n), in blocks of 64 terms (TreeSum::add_block: the same sum,
// with less bookkeeping per term). One call site of `term`, so that the compiler contracts its
// products into the same fused multiply-adds for every x (-ffp-contract=fast): a slice's terms
// are then the whole vector's bit for bit, whichever path adds them.
template <typename Term>
void add_terms(core::TreeSum& sum, std::size_t n, Term term) {
  constexpr std::size_t kBlock = 64;
  std::array<double, kBlock> terms;
  for (std::size_t x = 0; x < n; x += kBlock) {
    const std::size_t count = std::min(kBlock, n - x);
    for (std::size_t i = 0; i < count; ++i) terms[i] = term(x + i);
    if (count == kBlock) {
      sum.add_block(terms);
    } else {
      for (std::size_t i = 0; i < count; ++i) sum.add(terms[i]);
    }
  }
}

}  // namespace

double jensen_shannon(std::span<const double> p, std::span<const double> q) {
  if (p.size() != q.size()) throw std::invalid_argument("JS: distributions of different sizes");
  core::TreeSum js;
  add_terms(js, p.size(), [&](std::size_t x) { return js_term(p[x], q[x]); });
  return 0.5 * js.total();
}

Loss::Loss(const LossOptions& options, std::vector<double> target)
    : Loss(options, std::move(target), core::Ranks{}) {}

Loss::Loss(const LossOptions& options, std::vector<double> target_slice, const core::Ranks& group)
    : options_(options), target_(std::move(target_slice)), group_(group),
      first_(static_cast<std::uint64_t>(group.rank) * target_.size()),
      total_(static_cast<std::uint64_t>(group.size) * target_.size()) {
  if (!(options_.epsilon > 0 && options_.epsilon < 1e-3))
    throw std::invalid_argument("loss epsilon must be in (0, 1e-3)");
  if (group_.size > 1 && !std::has_single_bit(target_.size()))
    throw std::invalid_argument("loss: a target slice must hold a power of two of basis states");
  if (options_.kind == LossKind::mmd) {
    if (options_.mmd_sigmas.empty()) throw std::invalid_argument("MMD needs at least one sigma");
    double widest = 0;
    for (double s : options_.mmd_sigmas) {
      if (!(s > 0)) throw std::invalid_argument("MMD sigmas must be > 0");
      widest = std::max(widest, s);
    }
    const double reach = std::min(8 * widest + 1, static_cast<double>(INT_MAX));
    const std::uint64_t band = std::min<std::uint64_t>(total_, static_cast<std::uint64_t>(reach));
    kernel_.assign(band, 0.0);
    for (std::size_t d = 0; d < band; ++d)
      for (double s : options_.mmd_sigmas) {
        const double e = std::exp(-static_cast<double>(d * d) / (2 * s * s));
        if (e > std::exp(-32.0)) kernel_[d] += e;
      }
  }
}

Loss Loss::slice(const core::Ranks& group) const {
  if (group_.size != 1 || target_.size() % group.size != 0)
    throw std::invalid_argument("loss: only a whole target splits into slices over a group");
  const std::size_t n = target_.size() / group.size;
  const auto first = target_.begin() + static_cast<std::ptrdiff_t>(group.rank * n);
  return Loss(options_, std::vector<double>(first, first + static_cast<std::ptrdiff_t>(n)), group);
}

double Loss::value(std::span<const double> model) const {
  std::vector<double> unused(model.size());
  return value_and_gradient(model, unused);
}

std::vector<double> Loss::differences_with_halo(std::span<const double> q) const {
  const std::size_t n = target_.size(), w = kernel_.empty() ? 0 : kernel_.size() - 1;
  std::vector<double> r(n + 2 * w, 0.0);
  for (std::size_t i = 0; i < n; ++i) r[w + i] = target_[i] - q[i];
  // Rank me - k holds the k-th slice to the left: its last m entries are the left halo's part
  // nearest to it (m = what of the w it still covers); rank me + k's first m, the right one's.
  const int me = group_.rank, ranks = group_.size;
  for (int k = 1; k < ranks && static_cast<std::size_t>(k - 1) * n < w; ++k) {
    const std::size_t reached = static_cast<std::size_t>(k - 1) * n, m = std::min(n, w - reached);
    const int left = me - k >= 0 ? me - k : MPI_PROC_NULL;
    const int right = me + k < ranks ? me + k : MPI_PROC_NULL;
    const int count = static_cast<int>(m);
    MPI_Sendrecv(r.data() + w + n - m, count, MPI_DOUBLE, right, kHaloTag,
                 r.data() + w - reached - m, count, MPI_DOUBLE, left, kHaloTag, group_.comm,
                 MPI_STATUS_IGNORE);
    MPI_Sendrecv(r.data() + w, count, MPI_DOUBLE, left, kHaloTag + 1,
                 r.data() + w + n + reached, count, MPI_DOUBLE, right, kHaloTag + 1, group_.comm,
                 MPI_STATUS_IGNORE);
  }
  return r;
}

double Loss::value_and_gradient(std::span<const double> q, std::span<double> gradient) const {
  const std::span<const double> p(target_);
  if (q.size() != p.size() || gradient.size() != p.size())
    throw std::invalid_argument("loss: model and target sizes differ");
  const double eps = options_.epsilon;
  core::TreeSum sum;  // of this rank's terms
  double factor = 1.0;
  switch (options_.kind) {
    case LossKind::js: {
      add_terms(sum, p.size(), [&](std::size_t x) {
        const double qe = std::max(q[x], eps);
        gradient[x] = 0.5 * std::log(qe / (0.5 * (p[x] + qe)));
        return js_term(p[x], q[x]);
      });
      factor = 0.5;
      break;
    }
    case LossKind::kl: {
      add_terms(sum, p.size(), [&](std::size_t x) {
        const double qe = std::max(q[x], eps);
        gradient[x] = -p[x] / qe;
        return p[x] > 0 ? p[x] * std::log(p[x] / qe) : 0.0;
      });
      break;
    }
    case LossKind::mmd: {
      // r = P - Q; Kr by the banded kernel; MMD^2 = r^T K r; gradient = -2 K r. Indices are
      // global (x, and the basis size), so that every rank adds exactly what one rank would.
      const std::vector<double> r = differences_with_halo(q);
      const std::size_t band = kernel_.size(), w = band == 0 ? 0 : band - 1;
      const std::uint64_t total = total_;
      add_terms(sum, p.size(), [&](std::size_t i) {
        const std::uint64_t x = first_ + i;
        const double* rx = r.data() + w + i;
        double kr = kernel_[0] * rx[0];
        for (std::size_t d = 1; d < band; ++d) {
          if (x >= d) kr += kernel_[d] * rx[-static_cast<std::ptrdiff_t>(d)];
          if (x + d < total) kr += kernel_[d] * rx[d];
        }
        gradient[i] = -2.0 * kr;
        return rx[0] * kr;
      });
      break;
    }
  }
  return factor * core::tree_total(group_, sum.total());
}

}  // namespace qgen::train
