// Particle-level events, as read from LHE and HepMC3 files or made by the zjet generator.
//
// Momenta and masses in GeV (HepMC3 files in MeV are converted on reading). Status codes as in
// the files: 1 final state, -1 incoming (LHE), 2 intermediate.
#pragma once

#include <cmath>
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace qgen::data {

struct Particle {
  int pdg_id = 0;
  int status = 0;
  double px = 0, py = 0, pz = 0, e = 0, m = 0;

  double pt() const { return std::hypot(px, py); }
  double phi() const { return std::atan2(py, px); }
  /// Pseudorapidity asinh(pz / pT): +-inf along the beam.
  double eta() const { return std::asinh(pz / pt()); }
  bool final_state() const { return status == 1; }
};

struct Event {
  std::size_t number = 0;   // position in the file, from 1
  double weight = 1.0;      // the event's (nominal) weight; may be negative
  std::vector<std::pair<std::string, double>> named_weights;  // LHE 3 <wgt id=...> entries
  std::vector<Particle> particles;
};

/// phi_a - phi_b wrapped into (-pi, pi].
inline double delta_phi(double phi_a, double phi_b) {
  double d = std::remainder(phi_a - phi_b, 2 * M_PI);
  if (d <= -M_PI) d += 2 * M_PI;
  return d;
}

inline bool is_neutrino(int pdg_id) {
  const int a = std::abs(pdg_id);
  return a == 12 || a == 14 || a == 16;
}

inline bool is_charged_lepton(int pdg_id) {
  const int a = std::abs(pdg_id);
  return a == 11 || a == 13;
}

}  // namespace qgen::data
