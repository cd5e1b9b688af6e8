#include "qgen/data/jets.hpp"

#include <fastjet/ClusterSequence.hh>
#include <fastjet/Error.hh>

#include <algorithm>

#include "qgen/core/errors.hpp"

namespace qgen::data {

std::vector<Jet> cluster_jets(const Event& event, double radius, double pt_min) {
  std::vector<fastjet::PseudoJet> inputs;
  for (const Particle& p : event.particles)
    if (p.final_state() && !is_neutrino(p.pdg_id)) inputs.emplace_back(p.px, p.py, p.pz, p.e);
  // Quiet: FastJet prints a banner on its first use, and its errors, unless told not to.
  fastjet::ClusterSequence::set_fastjet_banner_stream(nullptr);
  fastjet::Error::set_print_errors(false);
  std::vector<Jet> jets;
  try {
    const fastjet::JetDefinition definition(fastjet::antikt_algorithm, radius);
    const fastjet::ClusterSequence sequence(inputs, definition);
  // FastJet's m() is -sqrt(-m^2) when m^2 rounds below zero (a jet of one massless parton);
  // a jet mass is never negative.
    for (const auto& j : fastjet::sorted_by_pt(sequence.inclusive_jets(pt_min)))
      jets.push_back({j.pt(), j.pseudorapidity(), j.phi_std(), std::max(0.0, j.m())});
  } catch (const fastjet::Error& e) {
    // FastJet's errors do not derive from std::exception.
    throw core::DataError("FastJet: " + e.message());
  }
  return jets;
}

}  // namespace qgen::data
