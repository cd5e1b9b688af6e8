// The classical half of layer-wise coordinate descent (LCD, paper 000, section IV.B, Fig. 12):
// which angles form a rotational layer, which shifts a sweep tries, and how the best shift of
// an angle is read off the losses of the sweep's circuits. The quantum half (running the
// circuits on a backend) is hw/lcd_run.hpp.
//
// Rotational layers. The Rot gates between two blocks of entangling gates: ansatz 1 has 2d + 1
// of them (the full row, the brick row, ..., the final row), ansatz 2 d + 1. LCD visits them
// from the measurement side inward, each Rot angle (phi, theta, omega) of a layer being one
// coordinate: a layer of G gates has A = 3 G angles.
//
// Grid method (the paper's). Every angle of the layer is swept over the shifts
//   k h,  k = -K..K,  h = 2 eps A / B,  K = min(floor(eps / h), floor((B / A - 1) / 2))
// with eps = pi/4 and B the backend's circuits per batch: the paper's spacing 2 eps / n with
// n = B / A (8 qubits on guadalupe, A = 24, B = 900: h = 0.0419; 12 qubits on cairo, A = 36,
// B = 900: h = 0.0628). The grid is symmetric and always holds shift 0 (the current value), and
// its A (2K + 1) circuits never exceed B. (The paper's np.arange-style grid from -eps misses 0
// for an odd count; qgen prefers to measure the current point.) Each angle takes the shift of
// its circuit with the lowest loss; all angles of the layer move at once.
//
// Fourier method (beyond the paper). With every other angle fixed, each probability of the
// circuit is p(alpha) = a + b cos(alpha) + c sin(alpha) in one gate angle alpha (the angle enters
// as exp(-i alpha P / 2) for a Pauli P; noise that does not depend on alpha keeps the form:
// rz is a noiseless frame change on IBM devices). m >= 3 circuits at the equally spaced shifts
// 2 pi j / m give a, b, c per basis state by least squares, which for equally spaced points is
// the discrete Fourier sum (exact for m = 3, averaging shot noise for m > 3). The loss along
// the whole cut is then computed classically and minimised over (-pi, pi]: 3 circuits per angle
// instead of 2K + 1.
//
// Grid-fit method (beyond the paper). The grid's circuits, but each angle's cut fitted by least
// squares to all n grid points (p = a + b cos + c sin per basis state, as above) and its loss
// minimised inside [-eps, eps]. Under shot noise the grid's argmin mostly selects noise (the
// noisy landscape is flat, paper Fig. 15): the fit averages it away with the same circuits.
//
// Flat landscapes (paper: "variance of the loss below 5e-7"): the noiseless losses of an angle's
// sweep tell whether it can matter; such angles are left out of the backend batch.
#pragma once

#include <functional>
#include <numbers>
#include <span>
#include <vector>

#include "qgen/core/enum_names.hpp"
#include "qgen/sim/circuit.hpp"

namespace qgen::train {

enum class LcdMethod { grid, grid_fit, fourier };

/// How the sweep's results move the layer: every angle by its own best shift at once (the
/// paper's Fig. 12), or only the angle of the batch's best circuit (a measured improvement:
/// the others' best shifts were each measured with the rest fixed, and added together they
/// need not improve anything).
enum class LcdUpdate { each, best };

constexpr auto enum_names(LcdUpdate) {
  using enum LcdUpdate;
  return std::array{core::EnumName{each, "each"}, core::EnumName{best, "best"}};
}

constexpr auto enum_names(LcdMethod) {
  using enum LcdMethod;
  return std::array{core::EnumName{grid, "grid"}, core::EnumName{grid_fit, "grid-fit"},
                    core::EnumName{fourier, "fourier"}, core::EnumName{grid_fit, "grid_fit"}};
}

/// Parameter slots of each rotational layer of `circuit` (3 per Rot, in gate order), the layer
/// nearest the measurement first.
std::vector<std::vector<int>> rotational_layers(const sim::Circuit& circuit);

struct ShiftGrid {
  double spacing = 0.0;         // h
  std::vector<double> shifts;   // -K h .. K h, ascending; shifts[K] == 0
};

/// The grid method's shifts for a layer of `angles` angles and a backend taking `batch_limit`
/// circuits. core::InputError when even one circuit per angle does not fit (B < A).
ShiftGrid shift_grid(int batch_limit, int angles, double half_width = std::numbers::pi / 4);

/// The Fourier method's shifts 2 pi j / m, j = 0..m-1, wrapped into (-pi, pi]; shift 0 first.
/// core::InputError for m < 3.
std::vector<double> fourier_shifts(int m);

/// p(alpha) = a + b cos(alpha) + c sin(alpha) per basis state.
struct FourierCut {
  std::vector<double> a, b, c;
  /// The distribution at `alpha`: negative values (shot noise) clipped to 0, renormalised.
  std::vector<double> at(double alpha) const;
};

/// Least-squares fit from the distributions measured at fourier_shifts(m) (in that order).
FourierCut fit_fourier_cut(std::span<const std::vector<double>> distributions);
/// Least-squares fit from distributions measured at any `shifts` (at least 3 distinct angles
/// modulo 2 pi; core::InputError otherwise).
FourierCut fit_cut(std::span<const double> shifts, std::span<const std::vector<double>> distributions);

/// The minimum of a function on (-pi, pi]: the best of `points` equally spaced values, refined
/// by golden-section search in the bracket around it. Returns {alpha, value}.
std::pair<double, double> minimise_on_circle(const std::function<double(double)>& loss, int points = 720);
/// The same on [lo, hi] (points >= 2, both ends included).
std::pair<double, double> minimise_on_interval(const std::function<double(double)>& loss, double lo, double hi,
                                               int points = 200);

/// Population variance (the paper's flatness criterion compares it with 5e-7).
double variance(std::span<const double> values);

}  // namespace qgen::train
