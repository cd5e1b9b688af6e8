#include "qgen/qinn/mmd.hpp"

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

double squared_distance(const double* a, const double* b, int dim) {
  double d2 = 0.0;
  for (int t = 0; t < dim; ++t) d2 += (a[t] - b[t]) * (a[t] - b[t]);
  return d2;
}

}  // namespace

void mmd_rows(const Kernel& kernel, std::span<const double> x, std::span<const double> y, int dim,
              std::size_t first, std::size_t last, std::span<double> shares,
              std::span<double> gradient) {
  if (x.size() != y.size()) throw std::invalid_argument("mmd: X and Y must have the same size");
  const std::size_t b = x.size() / dim;
  const double norm = 1.0 / (static_cast<double>(b) * static_cast<double>(b));
  for (std::size_t i = first; i < last; ++i) {
    const double* xi = &x[i * dim];
    const double* yi = &y[i * dim];
    double* gi = gradient.empty() ? nullptr : &gradient[(i - first) * dim];
    if (gi) std::fill(gi, gi + dim, 0.0);
    double xx = 0.0, yy = 0.0, yx = 0.0, slope = 0.0;
    for (std::size_t j = 0; j < b; ++j) {
      const double* xj = &x[j * dim];
      const double* yj = &y[j * dim];
      xx += kernel.value(squared_distance(xi, xj, dim), slope);
      yy += kernel.value(squared_distance(yi, yj, dim), slope);
      // d k(|y_i - y_j|^2) / dy_i = slope * 2 (y_i - y_j); the factor 2 of the row-and-column
      // appearance of y_i makes it 4.
      if (gi) for (int t = 0; t < dim; ++t) gi[t] += norm * 4 * slope * (yi[t] - yj[t]);
      yx += kernel.value(squared_distance(yi, xj, dim), slope);
      if (gi) for (int t = 0; t < dim; ++t) gi[t] -= norm * 4 * slope * (yi[t] - xj[t]);
    }
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
