#include "s3/r2_binding/binding_range.h"

#include <gtest/gtest.h>

namespace cairn::s3::binding {
namespace {

// The range selected of a 20-byte object, as "first-last", "all", or the error's code name.
std::string Select(std::optional<RangeRequest> range, std::optional<std::string> header = {},
                   uint64_t size = 20) {
  BindingRequest r;
  r.range = range;
  r.range_header = header;
  Result<std::optional<core::ByteRange>> s = SelectRange(r, size);
  if (!s.ok()) return std::string(LookupError(s.error().code).code);
  if (!*s) return "all";
  return std::to_string((*s)->first) + "-" + std::to_string((*s)->last);
}

TEST(SelectRange, OffsetAndLength) {
  EXPECT_EQ(Select(std::nullopt), "all");
  EXPECT_EQ(Select(RangeRequest{}), "all");
  EXPECT_EQ(Select(RangeRequest{.offset = 3, .length = 4}), "3-6");
  EXPECT_EQ(Select(RangeRequest{.offset = 15}), "15-19");
  EXPECT_EQ(Select(RangeRequest{.length = 2}), "0-1");
  EXPECT_EQ(Select(RangeRequest{.offset = 18, .length = 100}), "18-19");
  EXPECT_EQ(Select(RangeRequest{.offset = 20}), "InvalidRange");
  EXPECT_EQ(Select(RangeRequest{.offset = 0, .length = 0}), "InvalidRange");
  EXPECT_EQ(Select(RangeRequest{.offset = 0}, std::nullopt, 0), "InvalidRange");
}

TEST(SelectRange, Suffix) {
  EXPECT_EQ(Select(RangeRequest{.suffix = 3}), "17-19");
  EXPECT_EQ(Select(RangeRequest{.suffix = 20}), "all");
  EXPECT_EQ(Select(RangeRequest{.suffix = 50}), "all");
  EXPECT_EQ(Select(RangeRequest{.suffix = 0}), "InvalidRange");
}

TEST(SelectRange, AHeaderGivesItsOneSatisfiableRangeOrEverything) {
  EXPECT_EQ(Select(std::nullopt, "bytes=5-7"), "5-7");
  EXPECT_EQ(Select(std::nullopt, "bytes=-2"), "18-19");
  EXPECT_EQ(Select(std::nullopt, "bytes=10-"), "10-19");
  EXPECT_EQ(Select(std::nullopt, "bytes=1-2,5-6"), "all");
  EXPECT_EQ(Select(std::nullopt, "bytes=30-40"), "all");
  EXPECT_EQ(Select(std::nullopt, "lines=1-2"), "all");
}

}  // namespace
}  // namespace cairn::s3::binding
