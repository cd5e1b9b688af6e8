// Squared maximum mean discrepancy between two samples X and Y of equal size B (paper 004,
// section 2.2, eq. 8-11), the biased (V-statistic) estimator of eq. 9:
//     MMD^2 = 1/B^2 [ sum_ij k(x_i, x_j) + sum_ij k(y_i, y_j) - 2 sum_ij k(y_i, x_j) ],
// with a sum of kernels of several widths sigma (Table 1: 0.02, 0.1, 0.4, 1, 5):
//     gaussian       k(x, y) = sum_s exp(-|x - y|^2 / (2 s^2))          (eq. 10)
//     breit_wigner   k(x, y) = sum_s s^2 / (s^2 + |x - y|^2)              (eq. 11)
// Units: those of the points (the scaled features in [0, pi] on the input side, the latent on
// the latent side, GeV for the M_ll of the Breit-Wigner term).
//
// The work is split by rows, so that ranks share it and the sum is the same on any number of
// them: row i's share is 1/B^2 [sum_j k(x_i, x_j) + sum_j k(y_i, y_j) - 2 sum_j k(y_i, x_j)]
// (the shares add up to MMD^2), and dMMD^2/dy_i = 2/B^2 [sum_j dk(y_i, y_j)/dy_i -
// sum_j dk(y_i, x_j)/dy_i] (y_i appears in row and column i of the YY term). Only Y is
// differentiated: X is data or a fixed reference sample.
#pragma once

#include <array>
#include <span>
#include <vector>

#include "qgen/core/enum_names.hpp"

namespace qgen::qinn {

enum class KernelKind { gaussian, breit_wigner };

constexpr auto enum_names(KernelKind) {
  using enum KernelKind;
  return std::array{core::EnumName{gaussian, "gaussian"}, core::EnumName{breit_wigner, "breit-wigner"}};
}

struct Kernel {
  KernelKind kind = KernelKind::gaussian;
  std::vector<double> widths = {0.02, 0.1, 0.4, 1.0, 5.0};

  /// k as a function of the squared distance, and dk/d(d^2) into `slope`.
  double value(double distance2, double& slope) const;
};

/// MMD^2 of the whole samples (X, Y row-major, B x dim): the sum of every row's share.
double mmd(const Kernel& kernel, std::span<const double> x, std::span<const double> y, int dim);

/// Rows [first, last): their shares (last - first) and dMMD^2/dy_i (row-major, (last - first)
/// x dim).
void mmd_rows(const Kernel& kernel, std::span<const double> x, std::span<const double> y, int dim,
              std::size_t first, std::size_t last, std::span<double> shares,
              std::span<double> gradient);

}  // namespace qgen::qinn
