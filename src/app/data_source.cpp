#include "qgen/app/data_source.hpp"

#include <cmath>
#include <cstdio>
#include <limits>
#include <sstream>

#include "qgen/core/errors.hpp"
#include "qgen/core/text.hpp"
#include "qgen/data/generators.hpp"
#include "qgen/data/split.hpp"

namespace qgen::app {

void add_data_source_options(po::options_description& o, const std::string& p) {
  const double inf = std::numeric_limits<double>::infinity();
  o.add_options()
      ((p + "input").c_str(), po::value<std::string>(),
       "events: .h5/.hdf5 table, .csv[.gz], .lhe[.gz] or .hepmc3 (or use generate)")
      ((p + "generate").c_str(), po::value<std::string>(),
       ("built-in generator instead of a file: " + core::enum_choices<data::Generator>() +
        " (stand-ins, not the papers' data)").c_str())
      ((p + "events").c_str(), count_option(0),
       "events to generate (0: 100000); with an input file, the most to read (0: all)")
      ((p + "seed").c_str(), count_option(1), "generator seed (>= 0)")
      ((p + "observables").c_str(), po::value<std::string>(),
       "columns (tables as they are), jet or zll; default columns for tables, jet for dijet, "
       "zll for zjet")
      ((p + "columns").c_str(), po::value<std::string>()->default_value(""),
       "comma-separated columns to keep (default: all)")
      ((p + "skip-bad-rows").c_str(), flag(),
       "CSV: drop malformed rows (and count them) instead of stopping")
      ("jet.radius", po::value<double>()->default_value(1.0), "anti-kT radius R")
      ("jet.pt-min", po::value<double>()->default_value(0.0), "cut: leading jet pT [GeV] at least")
      ("jet.abs-eta-max", po::value<double>()->default_value(inf), "cut: jets with |eta| below")
      ("jet.ht-min", po::value<double>()->default_value(0.0), "cut: HT [GeV] at least")
      ("jet.ht-jet-pt-min", po::value<double>()->default_value(25.0),
       "jets above this pT [GeV] count in HT")
      ("leptons.pt-min", po::value<double>()->default_value(15.0), "cut: lepton pT [GeV] above")
      ("leptons.pt-max", po::value<double>()->default_value(150.0), "cut: lepton pT [GeV] below")
      ("leptons.abs-eta-max", po::value<double>()->default_value(4.5), "cut: lepton |eta| below");
}

DataSource data_source_from(const po::variables_map& v, const std::string& p) {
  DataSource s;
  if (v.count(p + "input")) s.input = v[p + "input"].as<std::string>();
  if (v.count(p + "generate")) s.generator = enum_from<data::Generator>(v, p + "generate");
  if (s.input.empty() == !s.generator)
    throw core::InputError("give exactly one of " + p + "input (a file) and " + p + "generate (" +
                           core::enum_choices<data::Generator>(" or ") + ")");
  s.events = count_from(v, p + "events", 0, kMaxEvents);
  if (s.generator && s.events == 0) s.events = 100000;
  s.seed = count_from(v, p + "seed", 0, kMaxSeed);

  data::InputOptions& o = s.options;
  o.max_events = s.input.empty() ? 0 : s.events;
  using data::Generator, data::ObservableSet;
  if (v.count(p + "observables"))
    o.observables = enum_from<ObservableSet>(v, p + "observables");
  else if (s.generator)
    o.observables = *s.generator == Generator::dijet ? ObservableSet::jet : ObservableSet::zll;
  if (s.generator == Generator::dijet && o.observables != ObservableSet::jet)
    throw core::InputError("the dijet generator makes jet observables");
  if (s.generator == Generator::dijet && v["jet.ht-min"].as<double>() > 0)
    throw core::InputError("jet.ht-min needs every jet of an event (LHE or HepMC3 input); the "
                           "dijet generator makes only the leading jet");
  if (s.generator == Generator::zjet && o.observables != ObservableSet::zll)
    throw core::InputError("the zjet generator makes zll observables");
  o.columns = core::split_list(v[p + "columns"].as<std::string>());
  refuse_repeats(o.columns, p + "columns");
  o.skip_bad_rows = v[p + "skip-bad-rows"].as<bool>();
  o.jet.radius = v["jet.radius"].as<double>();
  o.jet.pt_min = v["jet.pt-min"].as<double>();
  o.jet.abs_eta_max = v["jet.abs-eta-max"].as<double>();
  o.jet.ht_min = v["jet.ht-min"].as<double>();
  o.jet.ht_jet_pt_min = v["jet.ht-jet-pt-min"].as<double>();
  o.leptons.pt_min = v["leptons.pt-min"].as<double>();
  o.leptons.pt_max = v["leptons.pt-max"].as<double>();
  o.leptons.abs_eta_max = v["leptons.abs-eta-max"].as<double>();
  if (!(o.jet.radius > 0 && o.jet.radius <= 1000))
    throw core::InputError("jet.radius must be in (0, 1000] (FastJet's range)");
  if (!(o.leptons.pt_min < o.leptons.pt_max))
    throw core::InputError("leptons.pt-min must be below leptons.pt-max");
  return s;
}

std::vector<std::size_t> fraction_rows(std::size_t n, double fraction, std::uint64_t seed) {
  return data::random_subset(n, fraction, seed + 1);
}

LoadedData load_data(const DataSource& s) {
  LoadedData out;
  if (!s.input.empty()) {
    data::InputReport report;
    out.table = data::load_events(s.input, s.options, report);
    out.selection = report.selection;
    out.rows_skipped = report.rows_skipped;
    out.first_skipped = report.first_skipped;
    out.description = s.input + " (" + core::name_of(report.format) + "), observables " +
                      core::name_of(s.options.observables);
    out.provenance = {{"source", s.input},
                      {"format", core::name_of(report.format)},
                      {"observables", core::name_of(s.options.observables)}};
  } else {
    const data::DijetParameters dijet;
    const data::ZjetParameters zjet;
    if (*s.generator == data::Generator::dijet) {
      out.table = data::generate_dijet(s.events, s.seed, s.options.jet, out.selection, dijet);
    } else {
      out.table = data::generate_zjet(s.events, s.seed, s.options.leptons, out.selection, zjet);
    }
    if (!s.options.columns.empty()) out.table = out.table.select(s.options.columns);
    const std::string generator = core::name_of(*s.generator);
    out.description = "generator " + generator + ", seed " + std::to_string(s.seed) +
                      ", observables " + core::name_of(s.options.observables);
    out.provenance = data::generator_attributes(generator, s.seed, dijet, zjet);
    out.provenance.push_back({"observables", core::name_of(s.options.observables)});
  }
  const auto& o = s.options;
  if (o.observables == data::ObservableSet::jet)
    out.provenance.insert(out.provenance.end(),
                          {{"jet_radius", o.jet.radius}, {"jet_pt_min_GeV", o.jet.pt_min},
                           {"jet_abs_eta_max", o.jet.abs_eta_max}, {"jet_ht_min_GeV", o.jet.ht_min},
                           {"jet_ht_jet_pt_min_GeV", o.jet.ht_jet_pt_min}});
  if (o.observables == data::ObservableSet::zll)
    out.provenance.insert(out.provenance.end(),
                          {{"leptons_pt_min_GeV", o.leptons.pt_min},
                           {"leptons_pt_max_GeV", o.leptons.pt_max},
                           {"leptons_abs_eta_max", o.leptons.abs_eta_max}});
  if (s.fraction != 1.0) {
    const std::size_t before = out.table.rows();
    out.table = out.table.take(fraction_rows(before, s.fraction, s.fraction_seed));
    if (out.table.rows() == 0)
      throw core::InputError("data.fraction = " + core::number_text(s.fraction) + " of the " +
                             std::to_string(before) + " events keeps none");
    out.description += ", fraction " + core::number_text(s.fraction) + " (seed " +
                       std::to_string(s.fraction_seed) + "): " + std::to_string(out.table.rows()) +
                       " of " + std::to_string(before) + " events";
    out.provenance.push_back({"fraction", s.fraction});
    out.provenance.push_back({"fraction_seed", static_cast<std::int64_t>(s.fraction_seed)});
  }
  out.provenance.insert(out.provenance.end(),
                        {{"events_read", static_cast<std::int64_t>(out.selection.read)},
                         {"events_kept", static_cast<std::int64_t>(out.table.rows())},
                         {"events_dropped", static_cast<std::int64_t>(out.selection.dropped_total())}});
  return out;
}

std::string describe_data(const LoadedData& d) {
  std::ostringstream out;
  char line[256];
  out << "  source         " << d.description << "\n";
  std::snprintf(line, sizeof line, "  events read    %zu\n  events kept    %zu\n",
                d.selection.read, d.table.rows());
  out << line;
  for (const auto& [reason, n] : d.selection.dropped) {
    std::snprintf(line, sizeof line, "  dropped        %zu: %s\n", n, reason.c_str());
    out << line;
  }
  if (d.rows_skipped) {
    std::snprintf(line, sizeof line, "  bad rows       %zu skipped (first: %s)\n", d.rows_skipped,
                  d.first_skipped.c_str());
    out << line;
  }
  if (d.table.weighted()) {
    double sum = 0, negative = 0;
    for (double w : d.table.weights()) {
      sum += w;
      if (w < 0) ++negative;
    }
    std::snprintf(line, sizeof line, "  weights        sum %.6g, %.0f negative\n", sum, negative);
    out << line;
  }
  std::snprintf(line, sizeof line, "  %-12s %12s %12s %12s %12s\n", "column", "min", "mean", "max",
                "std");
  out << line;
  for (const auto& c : data::summarize(d.table)) {
    std::snprintf(line, sizeof line, "  %-12s %12.5g %12.5g %12.5g %12.5g\n", c.name.c_str(),
                  c.min, c.mean, c.max, c.std_dev);
    out << line;
  }
  const std::size_t n = d.table.num_columns();
  const auto corr = data::correlation_matrix(d.table);
  out << "  correlation\n  " << std::string(12, ' ');
  for (const auto& c : d.table.columns()) {
    std::snprintf(line, sizeof line, " %10.10s", c.c_str());
    out << line;
  }
  out << "\n";
  for (std::size_t a = 0; a < n; ++a) {
    std::snprintf(line, sizeof line, "  %-12s", d.table.columns()[a].c_str());
    out << line;
    for (std::size_t b = 0; b < n; ++b) {
      std::snprintf(line, sizeof line, " %10.4f", corr[a * n + b]);
      out << line;
    }
    out << "\n";
  }
  return out.str();
}

}  // namespace qgen::app
