#include "qgen/data/observables.hpp"

#include <cmath>

#include "qgen/core/errors.hpp"
#include "qgen/core/text.hpp"
#include "qgen/data/jets.hpp"

namespace qgen::data {
namespace {

constexpr double kMassZ = 91.1876;  // GeV, PDG

}  // namespace

std::vector<std::string> observable_columns(ObservableSet set) {
  switch (set) {
    case ObservableSet::jet: return {"pT", "mass", "eta"};
    case ObservableSet::zll:
      return {"pT_plus", "pT_minus", "delta_phi", "eta_plus", "eta_minus", "M_ll", "delta_R_ll"};
    default: return {};
  }
}

std::size_t SelectionReport::dropped_total() const {
  std::size_t n = 0;
  for (const auto& [reason, count] : dropped) n += count;
  return n;
}

double dilepton_mass(double pt_plus, double pt_minus, double delta_phi, double eta_plus,
                     double eta_minus) {
  const double m2 = 2 * pt_plus * pt_minus * (std::cosh(eta_plus - eta_minus) - std::cos(delta_phi));
  return std::sqrt(std::max(0.0, m2));
}

std::vector<double> zll_row(const Lepton& plus, const Lepton& minus) {
  // The opening angle in [0, pi] (observables.hpp says why not the signed difference).
  const double dphi = std::abs(delta_phi(plus.phi, minus.phi));
  const double deta = plus.eta - minus.eta;
  return {plus.pt, minus.pt, dphi, plus.eta, minus.eta,
          dilepton_mass(plus.pt, minus.pt, dphi, plus.eta, minus.eta), std::hypot(deta, dphi)};
}

ObservableBuilder::ObservableBuilder(ObservableSet set, const JetCuts& jet_cuts,
                                     const LeptonCuts& lepton_cuts)
    : set_(set), jet_(jet_cuts), leptons_(lepton_cuts), columns_(observable_columns(set)) {
  if (set == ObservableSet::columns)
    throw core::DataError("observables 'columns' select table columns; events need 'jet' or 'zll'");
  if (!(jet_.radius > 0)) throw core::DataError("jet radius must be > 0, got " + core::number_text(jet_.radius));
  if (!(leptons_.pt_min < leptons_.pt_max))
    throw core::DataError("lepton pT cuts are empty: " + core::number_text(leptons_.pt_min) + " < pT < " +
                    core::number_text(leptons_.pt_max));
}

void ObservableBuilder::add(const Event& event, Table& table, SelectionReport& report) const {
  ++report.read;
  if (set_ == ObservableSet::jet) add_jet(event, table, report);
  else add_zll(event, table, report);
}

void ObservableBuilder::add_jet(const Event& event, Table& table, SelectionReport& report) const {
  const auto jets = cluster_jets(event, jet_.radius);
  const Jet* leading = nullptr;
  double ht = 0.0;
  for (const Jet& j : jets) {
    if (std::abs(j.eta) >= jet_.abs_eta_max) continue;
    if (leading == nullptr) leading = &j;
    if (j.pt > jet_.ht_jet_pt_min) ht += j.pt;
  }
  if (leading == nullptr) return report.drop("no jet within the |eta| cut");
  if (leading->pt < jet_.pt_min) return report.drop("leading jet pT below " + core::number_text(jet_.pt_min) + " GeV");
  if (ht < jet_.ht_min) return report.drop("HT below " + core::number_text(jet_.ht_min) + " GeV");
  const double row[3] = {leading->pt, leading->mass, leading->eta};
  table.append(row, event.weight);
  ++report.kept;
}

void ObservableBuilder::add_zll(const Event& event, Table& table, SelectionReport& report) const {
  std::vector<Lepton> leptons;
  for (const Particle& p : event.particles)
    if (p.final_state() && is_charged_lepton(p.pdg_id))
      leptons.push_back({p.pt(), p.eta(), p.phi(), p.pdg_id > 0 ? -1 : +1, std::abs(p.pdg_id)});
  // The opposite-sign same-flavour pair closest to M_Z among the leptons that pass the cuts;
  // when there is none, say whether the cuts or the event's leptons are to blame.
  const Lepton* best_plus = nullptr;
  const Lepton* best_minus = nullptr;
  double best = INFINITY;
  bool any_pair = false;
  for (const Lepton& a : leptons)
    for (const Lepton& b : leptons) {
      if (a.charge != +1 || b.charge != -1 || a.flavour != b.flavour) continue;
      any_pair = true;
      if (!passes_cuts(a) || !passes_cuts(b)) continue;
      const double distance = std::abs(zll_row(a, b)[5] - kMassZ);
      if (distance < best) {
        best = distance;
        best_plus = &a;
        best_minus = &b;
      }
    }
  if (best_plus == nullptr)
    return report.drop(any_pair ? cut_reason()
                                : std::string("no opposite-sign same-flavour lepton pair"));
  table.append(zll_row(*best_plus, *best_minus), event.weight);
  ++report.kept;
}

bool ObservableBuilder::passes_cuts(const Lepton& l) const {
  return l.pt > leptons_.pt_min && l.pt < leptons_.pt_max && std::abs(l.eta) < leptons_.abs_eta_max;
}

std::string ObservableBuilder::cut_reason() const {
  return "no opposite-sign same-flavour pair within " + core::number_text(leptons_.pt_min) +
         " < pT < " + core::number_text(leptons_.pt_max) + " GeV, |eta| < " +
         core::number_text(leptons_.abs_eta_max);
}

void ObservableBuilder::add_pair(const Lepton& a, const Lepton& b, double weight, Table& table,
                                 SelectionReport& report) const {
  ++report.read;
  keep_pair(a, b, weight, table, report);
}

void ObservableBuilder::keep_pair(const Lepton& a, const Lepton& b, double weight, Table& table,
                                  SelectionReport& report) const {
  if (a.charge == b.charge) return report.drop("same-sign lepton pair");
  if (a.flavour != b.flavour) return report.drop("different-flavour lepton pair");
  if (!passes_cuts(a) || !passes_cuts(b)) return report.drop(cut_reason());
  const Lepton& plus = a.charge > 0 ? a : b;
  const Lepton& minus = a.charge > 0 ? b : a;
  table.append(zll_row(plus, minus), weight);
  ++report.kept;
}

}  // namespace qgen::data
