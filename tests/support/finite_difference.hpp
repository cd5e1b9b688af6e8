// The independent reference of every gradient test: central differences of the function itself.
#pragma once

#include <cstddef>
#include <functional>
#include <vector>

namespace qgen::testing {

/// (f(x + h e_j) - f(x - h e_j)) / (2h) for every component j of x.
inline std::vector<double> central_differences(const std::function<double(const std::vector<double>&)>& f,
                                               const std::vector<double>& x, double h = 1e-6) {
  std::vector<double> d(x.size());
  for (std::size_t j = 0; j < x.size(); ++j) {
    auto up = x, down = x;
    up[j] += h;
    down[j] -= h;
    d[j] = (f(up) - f(down)) / (2 * h);
  }
  return d;
}

}  // namespace qgen::testing
