// The QINN's two trainable affine maps (paper 004, section 3), one per feature.
//
// Input: the scaled feature s in [0, pi] becomes the encoding angle
//     alpha = a s + pi b,   a in [0, 1], b in [0, 1 - a],
// so alpha stays in [0, pi], where RY's P(1) = sin^2(alpha/2) is monotonic (the paper writes
// the map on data scaled to [0, pi] with b in [0, 1 - a]; b is read in units of pi, the only
// reading that keeps alpha in range). The bounds hold by construction, not by clipping (whose
// gradient is zero once it clips):
//     a = sigmoid(u),   b = (1 - a) sigmoid(v),
// smooth, with a gradient that is nowhere zero, for unconstrained parameters u and v.
// Initial u = logit(0.9), v = 0: a = 0.9, b = 0.05, alpha in [0.05 pi, 0.95 pi].
//
// Output: the measured P(qubit i = 1) = E_i in [0, 1] becomes the latent z_i = c_i E_i + d_i
// (eq. 16), c and d unconstrained; initially c = 4, d = -2 (z in [-2, 2], most of N(0, 1)).
#pragma once

namespace qgen::qinn {

struct InputMap {
  double a = 0, b = 0;
  // Partial derivatives of a and b with respect to u and v (da/dv = 0).
  double da_du = 0, db_du = 0, db_dv = 0;

  static InputMap of(double u, double v);
  double angle(double s) const { return a * s + kPi * b; }
  /// The inverse, s = (alpha - pi b) / a, for any alpha (generated events are not clamped).
  double scaled(double alpha) const { return (alpha - kPi * b) / a; }

  static constexpr double kPi = 3.14159265358979323846;
};

inline constexpr double kInitialU = 2.1972245773362196;  // logit(0.9)
inline constexpr double kInitialV = 0.0;
inline constexpr double kInitialC = 4.0;
inline constexpr double kInitialD = -2.0;

/// Chain rule: adds g_a da/du + g_b db/du to du and g_b db/dv to dv.
void add_input_map_gradient(const InputMap& map, double g_a, double g_b, double& du, double& dv);

}  // namespace qgen::qinn
