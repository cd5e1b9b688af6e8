#include "qgen/data/jets.hpp"

#include <fastjet/ClusterSequence.hh>

#include <algorithm>

namespace qgen::data {

std::vector<Jet> cluster_jets(const Event& event, double radius, double pt_min) {
  std::vector<fastjet::PseudoJet> inputs;
  for (const Particle& p : event.particles)
    if (p.final_state() && !is_neutrino(p.pdg_id)) inputs.emplace_back(p.px, p.py, p.pz, p.e);
  const fastjet::JetDefinition definition(fastjet::antikt_algorithm, radius);
  // Quiet: FastJet prints a banner on its first use unless told not to.
  fastjet::ClusterSequence::set_fastjet_banner_stream(nullptr);
  const fastjet::ClusterSequence sequence(inputs, definition);
  std::vector<Jet> jets;
  // FastJet's m() is -sqrt(-m^2) when m^2 rounds below zero (a jet of one massless parton);
  // a jet mass is never negative.
  for (const auto& j : fastjet::sorted_by_pt(sequence.inclusive_jets(pt_min)))
    jets.push_back({j.pt(), j.pseudorapidity(), j.phi_std(), std::max(0.0, j.m())});
  return jets;
}

}  // namespace qgen::data
