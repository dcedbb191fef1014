#include "core/extents.h"

#include <gtest/gtest.h>

namespace cairn::core {
namespace {

const std::vector<core::Extent> kThreeParts = {{"a", 0, 10}, {"b", 100, 10}, {"c", 5, 4}};

TEST(SliceExtents, WholeObjectIsItsExtents) {
  auto slice = SliceExtents(kThreeParts, 0, 24);
  ASSERT_TRUE(slice.ok());
  EXPECT_EQ(*slice, kThreeParts);
}

TEST(SliceExtents, RangeAcrossPartBoundaries) {
  auto slice = SliceExtents(kThreeParts, 8, 14);  // 2 bytes of a, all of b, 2 of c
  ASSERT_TRUE(slice.ok());
  std::vector<core::Extent> want = {{"a", 8, 2}, {"b", 100, 10}, {"c", 5, 2}};
  EXPECT_EQ(*slice, want);
}

TEST(SliceExtents, RangeInsideOneExtent) {
  auto slice = SliceExtents(kThreeParts, 12, 3);
  ASSERT_TRUE(slice.ok());
  std::vector<core::Extent> want = {{"b", 102, 3}};
  EXPECT_EQ(*slice, want);
}

TEST(SliceExtents, PastTheEndIsAnError) {
  EXPECT_FALSE(SliceExtents(kThreeParts, 20, 5).ok());
  EXPECT_TRUE(SliceExtents(kThreeParts, 24, 0).ok());
}

}  // namespace
}  // namespace cairn::core
