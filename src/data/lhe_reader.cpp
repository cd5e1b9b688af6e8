#include "qgen/data/lhe_reader.hpp"

#include <charconv>
#include <cmath>
#include <string_view>

#include "qgen/core/errors.hpp"

namespace qgen::data {
namespace {

bool starts_with(std::string_view s, std::string_view prefix) { return s.rfind(prefix, 0) == 0; }

// Whether `line` opens (or, with close, closes) the element `name` exactly: "<init>" and
// "<init attr=...>" do, "<initrwgt>" does not.
bool is_tag(std::string_view line, std::string_view name, bool close = false) {
  const std::string_view open = close ? "</" : "<";
  if (!starts_with(line, open)) return false;
  line.remove_prefix(open.size());
  if (!starts_with(line, name)) return false;
  line.remove_prefix(name.size());
  return !line.empty() && (line.front() == '>' || line.front() == ' ' || line.front() == '\t' ||
                           line.front() == '/');
}

// Whitespace-separated numbers; a leading '+' (MadGraph writes them) is accepted.
class NumberCursor {
public:
  explicit NumberCursor(std::string_view line) : rest_(line) {}
  template <typename T>
  bool next(T& value) {
    while (!rest_.empty() && (rest_.front() == ' ' || rest_.front() == '\t')) rest_.remove_prefix(1);
    if (rest_.empty()) return false;
    if (rest_.front() == '+') rest_.remove_prefix(1);
    const auto [end, ec] = std::from_chars(rest_.data(), rest_.data() + rest_.size(), value);
    if (ec != std::errc()) return false;
    rest_.remove_prefix(static_cast<std::size_t>(end - rest_.data()));
    return rest_.empty() || rest_.front() == ' ' || rest_.front() == '\t';
  }
  bool at_end() {
    while (!rest_.empty() && (rest_.front() == ' ' || rest_.front() == '\t')) rest_.remove_prefix(1);
    return rest_.empty();
  }

private:
  std::string_view rest_;
};

// The attribute value of `name` inside a tag line: name="v" or name='v'.
std::string attribute(std::string_view tag, std::string_view name) {
  const auto at = tag.find(std::string(name) + "=");
  if (at == std::string_view::npos) return {};
  std::size_t start = at + name.size() + 1;
  if (start >= tag.size()) return {};
  const char quote = tag[start];
  if (quote != '"' && quote != '\'') return {};
  const auto end = tag.find(quote, start + 1);
  return end == std::string_view::npos ? std::string() : std::string(tag.substr(start + 1, end - start - 1));
}

}  // namespace

void LheReader::fail(const std::string& what) const {
  throw core::DataError("LHE file '" + lines_.path() + "', line " + std::to_string(lines_.line_number()) +
                  ": " + what);
}

LheReader::LheReader(const std::string& path, bool named_weights)
    : lines_(path), named_weights_(named_weights) {
  std::string_view line;
  // The opening tag must come first (after blank lines or an XML declaration).
  bool opened = false;
  while (lines_.next(line)) {
    const auto t = trim(line);
    if (t.empty() || starts_with(t, "<?xml")) continue;
    if (!is_tag(t, "LesHouchesEvents")) break;
    init_.version = attribute(t, "version");
    opened = true;
    break;
  }
  if (!opened)
    throw core::DataError("file '" + path + "' is not a Les Houches Event file (no <LesHouchesEvents> "
                    "tag at its start)");
  // Skip the header up to <init>, then read the beam line and one line per process.
  bool in_init = false;
  while (lines_.next(line)) {
    const auto t = trim(line);
    if (is_tag(t, "init")) {
      in_init = true;
      break;
    }
    if (is_tag(t, "event")) fail("<event> before <init>");
  }
  if (!in_init) fail("no <init> block");
  if (!lines_.next(line)) fail("file ends inside <init>");
  {
    NumberCursor c(line);
    double e0 = 0, e1 = 0;
    int pdf[4], processes = 0;
    if (!(c.next(init_.beam_pdg_id[0]) && c.next(init_.beam_pdg_id[1]) && c.next(e0) &&
          c.next(e1) && c.next(pdf[0]) && c.next(pdf[1]) && c.next(pdf[2]) && c.next(pdf[3]) &&
          c.next(init_.weighting) && c.next(processes)))
      fail("malformed <init> beam line");
    init_.beam_energy[0] = e0;
    init_.beam_energy[1] = e1;
    for (int p = 0; p < processes; ++p) {
      if (!lines_.next(line)) fail("file ends inside <init>");
      NumberCursor pc(line);
      double xsec = 0;
      if (!pc.next(xsec)) fail("malformed <init> process line");
      init_.cross_sections.push_back(xsec);
    }
  }
}

bool LheReader::next(Event& event) {
  std::string_view line;
  // Find the next <event>.
  for (;;) {
    if (!lines_.next(line)) return false;
    const auto t = trim(line);
    if (is_tag(t, "event")) break;
    if (is_tag(t, "LesHouchesEvents", true)) return false;
  }
  ++events_;
  const std::string which = "event " + std::to_string(events_);
  if (!lines_.next(line)) fail(which + ": file ends inside the event");
  int count = 0, process = 0;
  double weight = 0, scale = 0, aqed = 0, aqcd = 0;
  {
    NumberCursor c(line);
    if (!(c.next(count) && c.next(process) && c.next(weight) && c.next(scale) && c.next(aqed) &&
          c.next(aqcd)))
      fail(which + ": malformed event line (expected NUP IDPRUP XWGTUP SCALUP AQEDUP AQCDUP)");
  }
  if (count < 1 || count > 100000) fail(which + ": NUP = " + std::to_string(count));
  if (!std::isfinite(weight)) fail(which + ": the weight XWGTUP is not finite");
  event.number = events_;
  event.weight = weight;
  event.named_weights.clear();
  event.particles.resize(static_cast<std::size_t>(count));

  for (int k = 0; k < count; ++k) {
    if (!lines_.next(line)) fail(which + ": file ends inside the event");
    const auto t = trim(line);
    if (starts_with(t, "<") || starts_with(t, "#"))
      fail(which + ": NUP = " + std::to_string(count) + " particles announced, " +
           std::to_string(k) + " found");
    NumberCursor c(t);
    Particle& p = event.particles[k];
    int mother1, mother2, colour1, colour2;
    double lifetime, spin;
    if (!(c.next(p.pdg_id) && c.next(p.status) && c.next(mother1) && c.next(mother2) &&
          c.next(colour1) && c.next(colour2) && c.next(p.px) && c.next(p.py) && c.next(p.pz) &&
          c.next(p.e) && c.next(p.m) && c.next(lifetime) && c.next(spin) && c.at_end()))
      fail(which + ": malformed particle line " + std::to_string(k + 1) +
           " (expected 13 numbers)");
    if (!std::isfinite(p.px) || !std::isfinite(p.py) || !std::isfinite(p.pz) ||
        !std::isfinite(p.e) || !std::isfinite(p.m))
      fail(which + ": particle " + std::to_string(k + 1) + " has a momentum that is not finite");
  }
  // Optional information up to </event>: weights, comments. A 13-number line here means more
  // particles than NUP announced.
  for (;;) {
    if (!lines_.next(line)) fail(which + ": file ends before </event>");
    const auto t = trim(line);
    if (is_tag(t, "event", true)) return true;
    if (is_tag(t, "event")) fail(which + ": no </event> before the next <event>");
    if (is_tag(t, "wgt")) {
      if (!named_weights_) continue;
      const auto close = t.find('>');
      const auto end = t.find("</wgt>");
      double value = 0;
      NumberCursor c(t.substr(close + 1, end == std::string_view::npos ? t.npos : end - close - 1));
      if (close == std::string_view::npos || !c.next(value)) fail(which + ": malformed <wgt> line");
      event.named_weights.emplace_back(attribute(t, "id"), value);
      continue;
    }
    if (t.empty() || starts_with(t, "<") || starts_with(t, "#")) continue;
    NumberCursor c(t);
    int numbers = 0;
    double x;
    while (c.next(x)) ++numbers;
    if (numbers >= 13 && c.at_end())
      fail(which + ": more particle lines than NUP = " + std::to_string(count));
  }
}

}  // namespace qgen::data
