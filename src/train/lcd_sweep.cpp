#include "qgen/train/lcd_sweep.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <set>
#include <string>

#include <Eigen/Dense>

#include "qgen/core/errors.hpp"

namespace qgen::train {

std::vector<std::vector<int>> rotational_layers(const sim::Circuit& circuit) {
  std::vector<std::vector<int>> layers;
  std::vector<int> current;
  std::set<int> qubits_in_current;
  const auto close = [&] {
    if (!current.empty()) layers.push_back(current);
    current.clear();
    qubits_in_current.clear();
  };
  for (const sim::Operation& op : circuit.operations()) {
    if (op.kind != sim::GateKind::Rot) {
      if (op.num_qubits() == 2) close();  // entanglers end a layer; one-qubit set-up gates do not
      continue;
    }
    if (qubits_in_current.count(op.qubits[0])) close();  // a second Rot on a qubit: a new layer
    qubits_in_current.insert(op.qubits[0]);
    for (const sim::Angle& angle : op.angles)
      if (angle.is_parameterized()) current.push_back(angle.parameter);
  }
  close();
  std::reverse(layers.begin(), layers.end());
  return layers;
}

ShiftGrid shift_grid(int batch_limit, int angles, double half_width) {
  if (angles < 1 || batch_limit < angles)
    throw core::InputError("an LCD layer of " + std::to_string(angles) + " angles needs batches of at least " +
                           std::to_string(angles) + " circuits; the batch limit is " + std::to_string(batch_limit));
  ShiftGrid grid;
  grid.spacing = 2 * half_width * angles / batch_limit;
  const double per_angle = static_cast<double>(batch_limit) / angles;
  // The small tolerance keeps a grid point that lands on eps by construction (n = B/A odd).
  const int k_max = std::min(static_cast<int>(std::floor(half_width / grid.spacing + 1e-9)),
                             static_cast<int>(std::floor((per_angle - 1) / 2 + 1e-9)));
  for (int k = -k_max; k <= k_max; ++k) grid.shifts.push_back(k * grid.spacing);
  return grid;
}

std::vector<double> fourier_shifts(int m) {
  if (m < 3) throw core::InputError("the Fourier method needs at least 3 shifts per angle (got " + std::to_string(m) + ")");
  std::vector<double> shifts(m);
  for (int j = 0; j < m; ++j) {
    const double alpha = 2 * std::numbers::pi * j / m;
    shifts[j] = alpha > std::numbers::pi ? alpha - 2 * std::numbers::pi : alpha;
  }
  return shifts;
}

std::vector<double> FourierCut::at(double alpha) const {
  const double cosine = std::cos(alpha), sine = std::sin(alpha);
  std::vector<double> p(a.size());
  double total = 0.0;
  for (std::size_t x = 0; x < a.size(); ++x) {
    p[x] = std::max(0.0, a[x] + b[x] * cosine + c[x] * sine);
    total += p[x];
  }
  if (total > 0)
    for (double& value : p) value /= total;
  return p;
}

FourierCut fit_fourier_cut(std::span<const std::vector<double>> distributions) {
  const std::vector<double> shifts = fourier_shifts(static_cast<int>(distributions.size()));
  return fit_cut(shifts, distributions);
}

FourierCut fit_cut(std::span<const double> shifts, std::span<const std::vector<double>> distributions) {
  if (shifts.size() != distributions.size() || distributions.empty())
    throw core::InternalError("fit_cut: one distribution per shift");
  // Normal equations of the rows (1, cos alpha_j, sin alpha_j): one 3 x 3 matrix for every
  // basis state, factorised once.
  Eigen::Matrix3d normal = Eigen::Matrix3d::Zero();
  for (double alpha : shifts) {
    const Eigen::Vector3d row(1.0, std::cos(alpha), std::sin(alpha));
    normal += row * row.transpose();
  }
  const Eigen::FullPivLU<Eigen::Matrix3d> lu(normal);
  if (lu.rank() < 3)
    throw core::InputError("a cut a + b cos + c sin needs at least 3 distinct shifts (modulo 2 pi); got " +
                           std::to_string(shifts.size()));
  const Eigen::Matrix3d inverse = lu.inverse();
  const std::size_t n = distributions.front().size();
  FourierCut cut{std::vector<double>(n), std::vector<double>(n), std::vector<double>(n)};
  for (std::size_t x = 0; x < n; ++x) {
    Eigen::Vector3d rhs = Eigen::Vector3d::Zero();
    for (std::size_t j = 0; j < shifts.size(); ++j) {
      if (distributions[j].size() != n) throw core::InternalError("fit_cut: distributions of different sizes");
      rhs += distributions[j][x] * Eigen::Vector3d(1.0, std::cos(shifts[j]), std::sin(shifts[j]));
    }
    const Eigen::Vector3d coefficients = inverse * rhs;
    cut.a[x] = coefficients(0), cut.b[x] = coefficients(1), cut.c[x] = coefficients(2);
  }
  return cut;
}

std::pair<double, double> minimise_on_circle(const std::function<double(double)>& loss, int points) {
  const double pi = std::numbers::pi;
  auto [alpha, value] = minimise_on_interval(loss, -pi, pi, points + 1);
  if (alpha <= -pi) alpha += 2 * pi;  // (-pi, pi]
  return {alpha, value};
}

std::pair<double, double> minimise_on_interval(const std::function<double(double)>& loss, double lo, double hi,
                                               int points) {
  const double step = (hi - lo) / (points - 1);
  int best = 0;
  double best_value = loss(lo);
  for (int i = 1; i < points; ++i) {
    const double value = loss(lo + step * i);
    if (value < best_value) best = i, best_value = value;
  }
  // Golden-section search in the bracket around the best grid point.
  const double golden = (std::sqrt(5.0) - 1) / 2;
  double a = lo + step * std::max(best - 1, 0), b = lo + step * std::min(best + 1, points - 1);
  double x1 = b - golden * (b - a), x2 = a + golden * (b - a);
  double f1 = loss(x1), f2 = loss(x2);
  for (int iteration = 0; iteration < 80 && b - a > 1e-12; ++iteration) {
    if (f1 < f2) b = x2, x2 = x1, f2 = f1, x1 = b - golden * (b - a), f1 = loss(x1);
    else a = x1, x1 = x2, f1 = f2, x2 = a + golden * (b - a), f2 = loss(x2);
  }
  const double alpha = (a + b) / 2, value = loss(alpha);
  return value < best_value ? std::pair{alpha, value} : std::pair{lo + step * best, best_value};
}

double variance(std::span<const double> values) {
  if (values.empty()) return 0.0;
  const double mean = std::accumulate(values.begin(), values.end(), 0.0) / values.size();
  double sum = 0.0;
  for (double v : values) sum += (v - mean) * (v - mean);
  return sum / values.size();
}

}  // namespace qgen::train
