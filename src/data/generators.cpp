#include "qgen/data/generators.hpp"

#include <cmath>

#include "qgen/core/errors.hpp"
#include "qgen/core/random_stream.hpp"
#include "qgen/core/text.hpp"

namespace qgen::data {
namespace {

// Streams of the two generators never overlap those of the QCBM's shots (step << 32 | circuit):
// the generator's tag sits in the top byte.
std::uint64_t event_stream(std::uint64_t tag, std::uint64_t index) { return (tag << 56) | index; }
constexpr std::uint64_t kDijetTag = 0xD1, kZjetTag = 0xE2;

// Uniform in (0, 1]: safe under log.
double open_uniform(core::RandomStream& s) { return 1.0 - s.next_uniform(); }

double standard_normal(core::RandomStream& s) {
  // Box-Muller, one of the pair.
  return std::sqrt(-2.0 * std::log(open_uniform(s))) * std::cos(2 * M_PI * s.next_uniform());
}

double truncated_normal(core::RandomStream& s, double width, double abs_max) {
  for (;;) {
    const double x = width * standard_normal(s);
    if (std::abs(x) < abs_max) return x;
  }
}

// Boosts the four-vector (e, px, py, pz) by velocity (bx, by, bz).
void boost(double& e, double& px, double& py, double& pz, double bx, double by, double bz) {
  const double b2 = bx * bx + by * by + bz * bz;
  if (b2 <= 0) return;
  const double gamma = 1.0 / std::sqrt(1.0 - b2);
  const double bp = bx * px + by * py + bz * pz;
  const double g2 = (gamma - 1.0) / b2;
  const double k = g2 * bp + gamma * e;
  px += k * bx;
  py += k * by;
  pz += k * bz;
  e = gamma * (e + bp);
}

}  // namespace

namespace {

void check(const DijetParameters& p) {
  if (!(p.pt_min > 0 && p.pt_max > p.pt_min && p.spectral_index > 1 && p.mass_median > 0 &&
        p.mass_log_width >= 0 && p.eta_width > 0 && p.abs_eta_max > 0))
    throw core::DataError("dijet: needs 0 < pt_min < pt_max, spectral index > 1, positive mass "
                    "median, eta width and |eta| range");
}

// Event i of the sample: {pT, mass, eta}.
void dijet_event(std::uint64_t seed, std::uint64_t i, const DijetParameters& p, double row[3]) {
  core::RandomStream s(seed, event_stream(kDijetTag, i));
  // Inverse CDF of the power law truncated to [pt_min, pt_max].
  const double a = p.spectral_index - 1.0;
  const double tail = std::pow(p.pt_max / p.pt_min, -a);  // 1 - CDF at pt_max
  const double u = s.next_uniform();
  const double pt = p.pt_min * std::pow(1.0 - u * (1.0 - tail), -1.0 / a);
  const double median = p.mass_median * std::pow(pt / p.pt_min, p.mass_slope);
  row[0] = pt;
  row[1] = std::min(median * std::exp(p.mass_log_width * standard_normal(s)), pt);
  row[2] = truncated_normal(s, p.eta_width, p.abs_eta_max);
}

}  // namespace

Table generate_dijet(std::size_t events, std::uint64_t seed, const JetCuts& cuts,
                     SelectionReport& report, const DijetParameters& p) {
  check(p);
  if (cuts.ht_min > 0) throw core::DataError("dijet: an HT cut needs whole events, not a leading jet");
  Table table(observable_columns(ObservableSet::jet));
  table.reserve(events);
  report = SelectionReport{};
  const std::size_t limit = 1000 * events + 1000;
  double row[3];
  for (std::uint64_t i = 0; table.rows() < events; ++i) {
    if (i >= limit) throw core::DataError("dijet: the jet cuts keep fewer than 1 in 1000 events");
    dijet_event(seed, i, p, row);
    ++report.read;
    if (row[0] < cuts.pt_min) {
      report.drop("leading jet pT below " + core::number_text(cuts.pt_min) + " GeV");
      continue;
    }
    if (std::abs(row[2]) >= cuts.abs_eta_max) {
      report.drop("leading jet outside the |eta| cut");
      continue;
    }
    table.append(row);
    ++report.kept;
  }
  return table;
}

Table generate_dijet(std::size_t events, std::uint64_t seed, const DijetParameters& p) {
  check(p);
  Table table(observable_columns(ObservableSet::jet));
  table.reserve(events);
  double row[3];
  for (std::size_t i = 0; i < events; ++i) {
    dijet_event(seed, i, p, row);
    table.append(row);
  }
  return table;
}

bool generate_zjet_event(std::uint64_t seed, std::uint64_t index, const ZjetParameters& p,
                         Event& event) {
  core::RandomStream s(seed, event_stream(kZjetTag, index));
  // Relativistic Breit-Wigner in s = M^2: a Cauchy of location M_Z^2 and scale M_Z Gamma_Z,
  // sampled by inverse CDF inside the window.
  const double m2 = p.mass_z * p.mass_z, mg = p.mass_z * p.width_z;
  const double lo = std::atan((p.mass_min * p.mass_min - m2) / mg);
  const double hi = std::atan((p.mass_max * p.mass_max - m2) / mg);
  const double mass = std::sqrt(m2 + mg * std::tan(lo + s.next_uniform() * (hi - lo)));
  // Z pT ~ Gamma(2, scale): the sum of two exponentials.
  const double pt = -p.pt_scale * (std::log(open_uniform(s)) + std::log(open_uniform(s)));
  const double y = p.rapidity_width * standard_normal(s);
  const double phi = 2 * M_PI * s.next_uniform();
  const double mt = std::hypot(mass, pt);
  const double ez = mt * std::cosh(y), pxz = pt * std::cos(phi), pyz = pt * std::sin(phi),
               pzz = mt * std::sinh(y);
  // Decay l- along a random direction in the Z rest frame, l+ opposite; massless leptons.
  const double cos_theta = 2 * s.next_uniform() - 1, sin_theta = std::sqrt(1 - cos_theta * cos_theta);
  const double phi_star = 2 * M_PI * s.next_uniform();
  const double half = mass / 2;
  double e1 = half, x1 = half * sin_theta * std::cos(phi_star), y1 = half * sin_theta * std::sin(phi_star),
         z1 = half * cos_theta;
  double e2 = half, x2 = -x1, y2 = -y1, z2 = -z1;
  boost(e1, x1, y1, z1, pxz / ez, pyz / ez, pzz / ez);
  boost(e2, x2, y2, z2, pxz / ez, pyz / ez, pzz / ez);
  const int flavour = s.next_uniform() < 0.5 ? 11 : 13;
  // The recoiling parton balances the Z's pT, at a rapidity near the Z's.
  const double yj = y + standard_normal(s);
  event.number = index + 1;
  event.weight = 1.0;
  event.named_weights.clear();
  event.particles = {
      {flavour, 1, x1, y1, z1, e1, 0.0},     // l-
      {-flavour, 1, x2, y2, z2, e2, 0.0},    // l+
      {21, 1, -pxz, -pyz, pt * std::sinh(yj), pt * std::cosh(yj), 0.0},
  };
  return ez < p.energy_max;
}

Table generate_zjet(std::size_t events, std::uint64_t seed, const LeptonCuts& cuts,
                    SelectionReport& report, const ZjetParameters& p) {
  if (!(p.mass_z > 0 && p.width_z > 0 && p.mass_min >= 0 && p.mass_max > p.mass_min &&
        p.pt_scale > 0 && p.rapidity_width > 0 && p.energy_max > 0))
    throw core::DataError("zjet: needs positive M_Z, Gamma_Z, pT scale, rapidity width, E_Z limit and "
                    "a mass window min < max");
  const ObservableBuilder builder(ObservableSet::zll, JetCuts{}, cuts);
  Table table(builder.columns());
  table.reserve(events);
  report = SelectionReport{};
  Event event;
  // A generous bound on attempts: cuts that keep almost nothing are an input error.
  const std::size_t limit = 1000 * events + 1000;
  for (std::uint64_t i = 0; table.rows() < events; ++i) {
    if (i >= limit)
      throw core::DataError("zjet: the lepton cuts keep fewer than 1 in 1000 generated events");
    if (!generate_zjet_event(seed, i, p, event)) {
      ++report.read;
      report.drop("E_Z above " + core::number_text(p.energy_max) + " GeV");
      continue;
    }
    builder.add(event, table, report);
  }
  return table;
}

std::vector<core::hdf5::Attribute> generator_attributes(const std::string& generator, std::uint64_t seed,
                                            const DijetParameters& d, const ZjetParameters& z) {
  std::vector<core::hdf5::Attribute> a = {
      {"generator", generator},
      {"seed", static_cast<std::int64_t>(seed)},
      {"note", std::string("qgen built-in generator: a physics-motivated stand-in, not the "
                           "papers' Monte Carlo data")},
  };
  if (generator == "dijet") {
    a.insert(a.end(), {{"pt_min_GeV", d.pt_min}, {"pt_max_GeV", d.pt_max},
                       {"spectral_index", d.spectral_index}, {"mass_median_GeV", d.mass_median},
                       {"mass_slope", d.mass_slope}, {"mass_log_width", d.mass_log_width},
                       {"eta_width", d.eta_width}, {"abs_eta_max", d.abs_eta_max}});
  } else {
    a.insert(a.end(), {{"mass_z_GeV", z.mass_z}, {"width_z_GeV", z.width_z},
                       {"mass_min_GeV", z.mass_min}, {"mass_max_GeV", z.mass_max},
                       {"pt_scale_GeV", z.pt_scale}, {"rapidity_width", z.rapidity_width},
                       {"energy_max_GeV", z.energy_max}});
  }
  return a;
}

}  // namespace qgen::data
