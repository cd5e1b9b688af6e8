#include "qgen/qinn/mmd.hpp"

#include <Eigen/Dense>

#include <cmath>
#include <stdexcept>

namespace qgen::qinn {

double Kernel::value(double d2, double& slope) const {
  double k = 0.0;
  slope = 0.0;
  for (double s : widths) {
    const double s2 = s * s;
    if (kind == KernelKind::gaussian) {
      const double g = std::exp(-d2 / (2 * s2));
      k += g;
      slope -= g / (2 * s2);
    } else {
      const double r = 1.0 / (s2 + d2);
      k += s2 * r;
      slope -= s2 * r * r;
    }
  }
  return k;
}

namespace {

using Points = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic>;  // dim x B, a column a point

// Kernel values and slopes dk/d(d^2) of one point against every column of `points`, over all
// widths, vectorised (Eigen's packet exp: the cost of the loss is these exponentials). One row
// at a time, so that each value is computed alike whichever rows a rank takes; the buffers are
// reused from row to row.
struct KernelRow {
  Eigen::ArrayXd d2, k, slope, term;

  void compute(const Kernel& kernel, const Points& points, const double* point) {
    const Eigen::Index b = points.cols(), dim = points.rows();
    d2.setZero(b);
    for (Eigen::Index t = 0; t < dim; ++t) d2 += (points.row(t).transpose().array() - point[t]).square();
    k.setZero(b);
    slope.setZero(b);
    for (double s : kernel.widths) {
      const double s2 = s * s;
      if (kernel.kind == KernelKind::gaussian) {
        term = (d2 * (-1.0 / (2 * s2))).exp();
        k += term;
        slope -= term * (1.0 / (2 * s2));
      } else {
        term = (d2 + s2).inverse();
        k += s2 * term;
        slope -= s2 * term.square();
      }
    }
  }
  // sum_j k_j, in j order.
  double sum() const {
    double total = 0.0;
    for (Eigen::Index j = 0; j < k.size(); ++j) total += k[j];
    return total;
  }
  // Adds factor * sum_j slope_j (y - p_j) to g, in j order.
  void add_pull(const Points& points, const double* y, double factor, double* g) const {
    for (Eigen::Index t = 0; t < points.rows(); ++t) {
      double sum = 0.0;
      for (Eigen::Index j = 0; j < slope.size(); ++j) sum += slope[j] * (y[t] - points(t, j));
      g[t] += factor * sum;
    }
  }
};

}  // namespace

void mmd_rows(const Kernel& kernel, std::span<const double> x, std::span<const double> y, int dim,
              std::size_t first, std::size_t last, std::span<double> shares,
              std::span<double> gradient) {
  if (x.size() != y.size()) throw std::invalid_argument("mmd: X and Y must have the same size");
  const auto b = static_cast<Eigen::Index>(x.size() / dim);
  const double norm = 1.0 / (static_cast<double>(b) * static_cast<double>(b));
  const Points px = Eigen::Map<const Points>(x.data(), dim, b);
  const Points py = Eigen::Map<const Points>(y.data(), dim, b);
  KernelRow row;
  for (std::size_t i = first; i < last; ++i) {
    const double* xi = &x[i * dim];
    const double* yi = &y[i * dim];
    double* gi = gradient.empty() ? nullptr : &gradient[(i - first) * dim];
    if (gi) std::fill(gi, gi + dim, 0.0);
    row.compute(kernel, px, xi);
    const double xx = row.sum();
    // d k(|y_i - p_j|^2) / dy_i = slope_j 2 (y_i - p_j). The YY term has y_i in its row and its
    // column (a factor 2): 4/B^2; the XY term -2 . 2/B^2.
    row.compute(kernel, py, yi);
    const double yy = row.sum();
    if (gi) row.add_pull(py, yi, 4 * norm, gi);
    row.compute(kernel, px, yi);
    const double yx = row.sum();
    if (gi) row.add_pull(px, yi, -4 * norm, gi);
    shares[i - first] = norm * (xx + yy - 2 * yx);
  }
}

double mmd(const Kernel& kernel, std::span<const double> x, std::span<const double> y, int dim) {
  const std::size_t b = x.size() / dim;
  std::vector<double> shares(b);
  mmd_rows(kernel, x, y, dim, 0, b, shares, {});
  double total = 0.0;
  for (double s : shares) total += s;
  return total;
}

}  // namespace qgen::qinn
