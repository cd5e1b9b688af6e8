#include "qgen/core/memory.hpp"

#include <unistd.h>

#include <fstream>
#include <sstream>

#include "qgen/core/errors.hpp"
#include "qgen/core/text.hpp"

namespace qgen::core {

std::uint64_t available_memory() {
  std::ifstream meminfo("/proc/meminfo");
  for (std::string line; std::getline(meminfo, line);) {
    std::istringstream fields(line);
    std::string key;
    std::uint64_t kib = 0;
    if (fields >> key >> kib && key == "MemAvailable:") return kib * 1024;
  }
  const long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
  return pages > 0 && page > 0 ? static_cast<std::uint64_t>(pages) * static_cast<std::uint64_t>(page) : 0;
}

void check_memory(double bytes, const std::string& what, const std::string& advice) {
  const double available = static_cast<double>(available_memory());
  if (available > 0 && bytes > available)
    throw InputError(what + " needs " + bytes_text(bytes) + "; this machine has " +
                     bytes_text(available) + " available" + (advice.empty() ? "" : "; " + advice));
}

}  // namespace qgen::core
