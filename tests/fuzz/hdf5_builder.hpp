// Builds an HDF5 file whose structure the fuzzer chooses: datasets of doubles, integers or
// strings with chosen names, shapes and values (NaN and infinities included), and attributes of
// chosen types. The HDF5 library is not built to survive arbitrary bytes (a corrupt file can
// crash it, which no caller can prevent), so the fuzzers for qgen's HDF5 readers vary what a
// well-formed file holds: every layout, type and size a user's or another program's file might
// have, and ask qgen's readers to take it or refuse it cleanly.
#pragma once

#include <fuzzer/FuzzedDataProvider.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "qgen/core/hdf5.hpp"

namespace qgen::fuzz {

class Hdf5Builder {
public:
  explicit Hdf5Builder(FuzzedDataProvider& in) : in_(in) {}

  /// One of `names`, or a fuzzed name.
  std::string name(const std::vector<std::string>& names) {
    if (in_.ConsumeBool() || names.empty()) return in_.ConsumeRandomLengthString(12);
    return names[in_.ConsumeIntegralInRange<std::size_t>(0, names.size() - 1)];
  }

  double number() {
    switch (in_.ConsumeIntegralInRange(0, 5)) {
      case 0: return std::numeric_limits<double>::quiet_NaN();
      case 1: return in_.ConsumeBool() ? HUGE_VAL : -HUGE_VAL;
      case 2: return in_.ConsumeIntegralInRange(-3, 3);
      default: return in_.ConsumeFloatingPoint<double>();
    }
  }

  std::vector<double> numbers(std::size_t n) {
    std::vector<double> v(n);
    for (double& x : v) x = number();
    return v;
  }

  /// A dataset `name` of 1 or 2 dimensions, of doubles, integers or strings.
  void dataset(const core::hdf5::Location& at, const std::string& name) {
    if (name.empty() || at.has(name)) return;
    const hsize_t rows = in_.ConsumeIntegralInRange<hsize_t>(0, 40);
    const hsize_t cols = in_.ConsumeIntegralInRange<hsize_t>(1, 6);
    const bool two_d = in_.ConsumeBool();
    const std::vector<hsize_t> dims = two_d ? std::vector<hsize_t>{rows, cols} : std::vector<hsize_t>{rows};
    const std::size_t n = two_d ? rows * cols : rows;
    switch (in_.ConsumeIntegralInRange(0, 3)) {
      case 0: {
        std::vector<std::int64_t> v(n);
        for (auto& x : v) x = in_.ConsumeIntegral<std::int64_t>();
        at.write(name, std::span<const std::int64_t>(v), dims);
        break;
      }
      case 1: at.write(name, strings(n)); break;
      default: {
        const std::vector<double> v = numbers(n);
        at.write(name, std::span<const double>(v), dims);
      }
    }
  }

  std::vector<std::string> strings(std::size_t n) {
    std::vector<std::string> v(n);
    for (auto& s : v) s = in_.ConsumeRandomLengthString(10);
    return v;
  }

  /// An attribute `name` of a chosen type: text, a list of texts, a number or an integer.
  void attribute(const core::hdf5::Location& at, const std::string& name) {
    if (name.empty()) return;
    switch (in_.ConsumeIntegralInRange(0, 3)) {
      case 0: at.set_attribute(name, in_.ConsumeRandomLengthString(12)); break;
      case 1: at.set_attribute(name, strings(in_.ConsumeIntegralInRange<std::size_t>(0, 8))); break;
      case 2: at.set_attribute(name, number()); break;
      default: at.set_attribute(name, in_.ConsumeIntegral<std::int64_t>());
    }
  }

private:
  FuzzedDataProvider& in_;
};

}  // namespace qgen::fuzz
