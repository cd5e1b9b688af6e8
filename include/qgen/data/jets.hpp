// Jets clustered with FastJet from an event's final-state particles, neutrinos excluded
// (they leave no trace in a detector). anti-kT with radius R (paper 000: R = 1.0), E scheme.
#pragma once

#include <vector>

#include "qgen/data/event.hpp"

namespace qgen::data {

struct Jet {
  double pt = 0, eta = 0, phi = 0, mass = 0;  // GeV, pseudorapidity, radians
};

/// Jets with pT >= pt_min, hardest first.
std::vector<Jet> cluster_jets(const Event& event, double radius, double pt_min = 0.0);

}  // namespace qgen::data
