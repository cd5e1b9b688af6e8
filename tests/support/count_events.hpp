// Reads a whole event file with any of qgen's event readers and counts its events.
#pragma once

#include <cstddef>
#include <string>

#include "qgen/data/event.hpp"

namespace qgen::testing {

template <typename Reader>
std::size_t count_events(const std::string& path) {
  Reader reader(path);
  data::Event event;
  std::size_t n = 0;
  while (reader.next(event)) ++n;
  return n;
}

}  // namespace qgen::testing
