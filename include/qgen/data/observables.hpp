// The papers' observables, computed from events, with the cuts that select them.
//
//   jet  (paper 000): the leading jet's pT [GeV], mass [GeV] and eta, after optional cuts on
//        the leading jet's pT, on |eta| of the jets considered, and on HT (the scalar sum of
//        the pT of jets above ht_jet_pt_min within the |eta| cut).
//   zll  (paper 004): among the leptons (e or mu) that pass the cuts, the opposite-sign
//        same-flavour pair whose mass is closest to M_Z: pT+, pT-, delta_phi, eta+, eta-, and
//        the derived M_ll and delta_R_ll = sqrt(delta_eta^2 + delta_phi^2).
//        delta_phi = |phi+ - phi-| folded into [0, pi] (the azimuthal opening angle, as in
//        paper 004's figures). Why not the signed difference in (-pi, pi]: a Z with little
//        recoil decays into back-to-back leptons (about half of a Z + jets sample), whose signed
//        difference lands at +pi or -pi by rounding, a spike split across both edges of the
//        range that a generative model would have to learn as two; folded, the peak sits at pi
//        alone. The sign carries no physics here (it only says which lepton leads in phi), and
//        M_ll and delta_R_ll depend on cos(delta_phi) and delta_phi^2 only. Leptons are treated as
//        massless (M_ll^2 = 2 pT+ pT- (cosh delta_eta - cos delta_phi)), so event files and
//        tables of (pT, eta, phi) give the same observables. Default cuts those of paper
//        004: 15 < pT < 150 GeV, |eta| < 4.5.
//
// Every event either adds one row or is counted under the reason it was dropped.
#pragma once

#include <cstddef>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include "qgen/core/enum_names.hpp"
#include "qgen/data/event.hpp"
#include "qgen/data/table.hpp"

namespace qgen::data {

enum class ObservableSet { columns, jet, zll };

constexpr auto enum_names(ObservableSet) {
  using enum ObservableSet;
  return std::array{core::EnumName{columns, "columns"}, core::EnumName{jet, "jet"}, core::EnumName{zll, "zll"}};
}
/// The columns an observable set produces.
std::vector<std::string> observable_columns(ObservableSet set);

struct JetCuts {
  double radius = 1.0;
  double pt_min = 0.0;
  double abs_eta_max = std::numeric_limits<double>::infinity();
  double ht_min = 0.0;
  double ht_jet_pt_min = 25.0;
};

struct LeptonCuts {
  double pt_min = 15.0;
  double pt_max = 150.0;
  double abs_eta_max = 4.5;
};

struct SelectionReport {
  std::size_t read = 0;
  std::size_t kept = 0;
  std::map<std::string, std::size_t> dropped;  // reason -> events
  void drop(const std::string& reason) { ++dropped[reason]; }
  std::size_t dropped_total() const;
};

/// A charged lepton: pT [GeV], eta, phi, charge (+1 or -1), flavour (11 or 13).
struct Lepton {
  double pt = 0, eta = 0, phi = 0;
  int charge = 0;
  int flavour = 0;
};

/// M_ll [GeV] of two massless leptons: sqrt(2 pT+ pT- (cosh(eta+ - eta-) - cos delta_phi)),
/// 0 where rounding makes the square negative. (The QINN reconstructs it from generated events.)
double dilepton_mass(double pt_plus, double pt_minus, double delta_phi, double eta_plus,
                     double eta_minus);

/// The zll row {pT+, pT-, delta_phi, eta+, eta-, M_ll, delta_R_ll} of a pair.
std::vector<double> zll_row(const Lepton& plus, const Lepton& minus);

class ObservableBuilder {
public:
  ObservableBuilder(ObservableSet set, const JetCuts& jet_cuts, const LeptonCuts& lepton_cuts);

  ObservableSet set() const { return set_; }
  const std::vector<std::string>& columns() const { return columns_; }

  /// Adds the event's row to `table` (weighted by the event weight) or counts why not.
  void add(const Event& event, Table& table, SelectionReport& report) const;
  /// zll from a lepton pair given directly (e.g. a CSV of dimuon events).
  void add_pair(const Lepton& a, const Lepton& b, double weight, Table& table,
                SelectionReport& report) const;

private:
  void add_jet(const Event& event, Table& table, SelectionReport& report) const;
  void add_zll(const Event& event, Table& table, SelectionReport& report) const;
  /// Applies the pair and lepton cuts and appends the row; the event is already counted.
  void keep_pair(const Lepton& a, const Lepton& b, double weight, Table& table,
                 SelectionReport& report) const;
  bool passes_cuts(const Lepton& l) const;
  std::string cut_reason() const;

  ObservableSet set_;
  JetCuts jet_;
  LeptonCuts leptons_;
  std::vector<std::string> columns_;
};

}  // namespace qgen::data
