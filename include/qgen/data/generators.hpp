// Built-in, seeded event generators: physics-motivated stand-ins for the papers' Monte Carlo
// samples, which are not public. They are NOT the papers' data; they give qgen a default target
// with the right shapes and correlations.
//
//   dijet  the leading jet of QCD dijet events: pT from a falling power law dsigma/dpT ~ pT^-n
//          on [pt_min, pt_max]; mass log-normal with a median growing as pT^beta (a peak with
//          a long upper tail, Pearson correlation with pT about 0.2 as in paper 000, Tables
//          II/IV); eta a Gaussian truncated to |eta| < 2.5, independent of both.
//   zjet   Drell-Yan Z -> l+ l- (e or mu) recoiling against one parton: M_ll from a relativistic
//          Breit-Wigner (M_Z = 91.1876 GeV, Gamma_Z = 2.4952 GeV) in a mass window, Z pT from a
//          Gamma(2, scale) spectrum, Z rapidity Gaussian, decay isotropic in the Z rest frame
//          and boosted to the lab; paper 004's generator cut E_Z < 1900 GeV. Events are
//          particle-level and go through the zll observables and their lepton cuts.
//
// Event i draws all its random numbers from the counter-based stream (seed, i), so a sample is
// the same however it is produced, and its first N events are those of any longer sample.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "qgen/core/enum_names.hpp"
#include "qgen/data/event.hpp"
#include "qgen/data/hdf5_table.hpp"
#include "qgen/data/observables.hpp"
#include "qgen/data/table.hpp"

namespace qgen::data {

enum class Generator { dijet, zjet };
constexpr auto enum_names(Generator) {
  using enum Generator;
  return std::array{core::EnumName{dijet, "dijet"}, core::EnumName{zjet, "zjet"}};
}

struct DijetParameters {
  double pt_min = 250.0;      // GeV
  double pt_max = 3000.0;     // GeV
  double spectral_index = 5.0;  // n in pT^-n
  double mass_median = 55.0;  // GeV, at pt_min
  double mass_slope = 0.35;   // beta: median ~ (pT/pt_min)^beta
  double mass_log_width = 0.45;
  double eta_width = 1.3;
  double abs_eta_max = 2.5;
};

struct ZjetParameters {
  double mass_z = 91.1876;    // GeV
  double width_z = 2.4952;    // GeV
  double mass_min = 50.0;     // GeV, Breit-Wigner window
  double mass_max = 150.0;
  double pt_scale = 15.0;     // GeV: Z pT ~ Gamma(2, pt_scale)
  double rapidity_width = 1.6;
  double energy_max = 1900.0;  // GeV, cut on E_Z
};

/// `events` dijet rows {pT, mass, eta}.
Table generate_dijet(std::size_t events, std::uint64_t seed, const DijetParameters& p = {});

/// `events` dijet rows that pass the leading-jet cuts jet.pt_min and jet.abs_eta_max (as many
/// are generated as it takes; `report` counts them). HT cuts need whole events: refused.
Table generate_dijet(std::size_t events, std::uint64_t seed, const JetCuts& cuts,
                     SelectionReport& report, const DijetParameters& p = {});

/// Particle-level Z+jet event number `index` (from 0) of the sample with `seed`; false if it
/// fails the generator-level cut E_Z < energy_max.
bool generate_zjet_event(std::uint64_t seed, std::uint64_t index, const ZjetParameters& p,
                         Event& event);

/// zll rows of `events` Z+jet events that pass the lepton cuts (as many are generated as it
/// takes; `report` counts them and why the others were dropped).
Table generate_zjet(std::size_t events, std::uint64_t seed, const LeptonCuts& cuts,
                    SelectionReport& report, const ZjetParameters& p = {});

/// Provenance attributes of a generated sample (generator, seed, every parameter).
std::vector<core::hdf5::Attribute> generator_attributes(const std::string& generator, std::uint64_t seed,
                                            const DijetParameters& dijet,
                                            const ZjetParameters& zjet);

}  // namespace qgen::data
