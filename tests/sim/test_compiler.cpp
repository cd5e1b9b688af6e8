// Guards against a wrong-code bug of GCC 12.2's SLP vectoriser with -march=native on this
// project's machine (see CMakeLists.txt): constant initialisers whose values repeat were stored
// as a broadcast of their first value. The values go through a function the optimiser cannot
// see into, as in the code where the bug was found.
#include <gtest/gtest.h>

#include <span>
#include <vector>

namespace {

__attribute__((noinline)) double weighted_sum(std::span<const double> v) {
  double s = 0;
  for (std::size_t i = 0; i < v.size(); ++i) s += static_cast<double>(i + 1) * v[i];
  return s;
}

TEST(Compiler, ConstantInitialisersKeepTheirValues) {
  const std::vector<double> a{0.5, 0.5, 0.0, 0.0}, b{0.0, 0.0, 0.5, 0.5};
  EXPECT_EQ(weighted_sum(a), 1.5);
  EXPECT_EQ(weighted_sum(b), 3.5);
  const std::vector<double> c{1.0, 1.0, 1.0, 2.0, 2.0, 0.0, 0.0, 0.0};
  EXPECT_EQ(weighted_sum(c), 1 + 2 + 3 + 8 + 10.0);
}

}  // namespace
