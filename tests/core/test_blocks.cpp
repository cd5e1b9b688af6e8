// core::block_of / block_boundaries (core/parallel.hpp) against a count of the items: the blocks
// are contiguous, cover [0, items) in order, have floor(items/parts) or ceil(items/parts) items,
// items % parts of them the larger, and block 0 (the lead's, which also does the I/O) never the
// larger. Pure arithmetic: no MPI.
#include <gtest/gtest.h>

#include "qgen/core/parallel.hpp"

namespace qgen::core {
namespace {

TEST(Blocks, ContiguousNearlyEqualLeadNeverLarger) {
  for (std::size_t items = 0; items <= 60; ++items)
    for (int parts = 1; parts <= 12; ++parts) {
      const std::size_t small = items / parts, large = small + (items % parts ? 1 : 0);
      const auto boundaries = block_boundaries(items, parts);
      ASSERT_EQ(boundaries.size(), static_cast<std::size_t>(parts) + 1);
      ASSERT_EQ(boundaries.front(), 0u);
      ASSERT_EQ(boundaries.back(), items);
      std::size_t larger = 0, covered = 0;
      for (int part = 0; part < parts; ++part) {
        const auto [first, last] = block_of(items, parts, part);
        ASSERT_EQ(first, covered) << items << " items, part " << part << " of " << parts;
        ASSERT_EQ(first, boundaries[part]);
        ASSERT_EQ(last, boundaries[part + 1]);
        const std::size_t size = last - first;
        ASSERT_TRUE(size == small || size == large) << items << " items, part " << part << " of " << parts;
        if (size > small) ++larger;
        covered = last;
      }
      EXPECT_EQ(covered, items);
      EXPECT_EQ(larger, items % parts) << items << " items in " << parts;
      EXPECT_EQ(block_of(items, parts, 0).second, small) << items << " items in " << parts;
    }
  EXPECT_EQ(block_boundaries(5, 3), (std::vector<std::size_t>{0, 1, 3, 5}));
  EXPECT_EQ(block_boundaries(2, 3), (std::vector<std::size_t>{0, 0, 1, 2}));
  EXPECT_EQ(block_boundaries(0, 2), (std::vector<std::size_t>{0, 0, 0}));
}

}  // namespace
}  // namespace qgen::core
