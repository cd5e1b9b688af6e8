#include "qgen/qinn/event_set.hpp"

#include "qgen/data/observables.hpp"
#include "qgen/qinn/dilepton.hpp"

namespace qgen::qinn {

EventSet make_event_set(const FeatureScaling& scaling, const data::Table& table) {
  EventSet s;
  s.clamped = scale_events(scaling, table, s.scaled, &s.outside);
  if (table.columns() == zll_features())
    for (std::size_t r = 0; r < table.rows(); ++r) {
      const auto x = table.row(r);
      s.mass.push_back(data::dilepton_mass(x[0], x[1], x[2], x[3], x[4]));
    }
  return s;
}

}  // namespace qgen::qinn
