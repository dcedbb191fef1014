// Range resolution: the forms of RFC 9110 section 14.1.1 and S3's habit of ignoring what it
// cannot use.
#include "core/range.h"

#include <gtest/gtest.h>

namespace cairn::core {
namespace {

// The resolved range as "first-last", "none" when the header is ignored, "416" when unsatisfiable.
std::string Resolve(std::string_view header, uint64_t size) {
  Result<std::optional<ByteRange>> r = ResolveRange(header, size);
  if (!r.ok()) {
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidRange);
    return "416";
  }
  if (!r.value()) return "none";
  return std::to_string(r.value()->first) + "-" + std::to_string(r.value()->last);
}

TEST(Range, FirstByte) { EXPECT_EQ(Resolve("bytes=0-0", 10), "0-0"); }

TEST(Range, OpenEnded) {
  EXPECT_EQ(Resolve("bytes=0-", 10), "0-9");
  EXPECT_EQ(Resolve("bytes=9-", 10), "9-9");
}

TEST(Range, Suffix) {
  EXPECT_EQ(Resolve("bytes=-1", 10), "9-9");
  EXPECT_EQ(Resolve("bytes=-10", 10), "0-9");
  EXPECT_EQ(Resolve("bytes=-100", 10), "0-9");  // longer than the object: all of it
}

TEST(Range, SuffixOfZeroIsUnsatisfiable) {
  // RFC 9110 section 14.1.1: only a suffix-range with a non-zero length is satisfiable.
  EXPECT_EQ(Resolve("bytes=-0", 10), "416");
}

TEST(Range, LastBeforeFirstIsIgnored) { EXPECT_EQ(Resolve("bytes=5-3", 10), "none"); }

TEST(Range, LastPastEndIsClipped) {
  EXPECT_EQ(Resolve("bytes=5-100", 10), "5-9");
  EXPECT_EQ(Resolve("bytes=0-99999999999999999999999", 10), "0-9");  // past 64 bits
}

TEST(Range, FirstAtOrPastEndIsUnsatisfiable) {
  EXPECT_EQ(Resolve("bytes=10-", 10), "416");
  EXPECT_EQ(Resolve("bytes=10-20", 10), "416");
  EXPECT_EQ(Resolve("bytes=99999999999999999999999-", 10), "416");
}

TEST(Range, MultipleRangesAreIgnored) {
  EXPECT_EQ(Resolve("bytes=0-1,3-4", 10), "none");
  EXPECT_EQ(Resolve("bytes=0-1, -2", 10), "none");
  // Empty list elements do not count (RFC 9110 section 5.6.1).
  EXPECT_EQ(Resolve("bytes=0-1,", 10), "0-1");
  EXPECT_EQ(Resolve("bytes= , 2-3", 10), "2-3");
}

TEST(Range, EmptyObject) {
  EXPECT_EQ(Resolve("bytes=0-0", 0), "416");
  EXPECT_EQ(Resolve("bytes=0-", 0), "416");
  EXPECT_EQ(Resolve("bytes=-5", 0), "416");
  EXPECT_EQ(Resolve("bytes=5-3", 0), "none");  // invalid stays ignored
}

TEST(Range, BadSyntaxIsIgnored) {
  for (std::string_view header :
       {"", "bytes", "bytes=", "bytes=-", "bytes=a-b", "bytes=1-2-3", "bytes=+1-2", "bytes=1 -2",
        "items=0-1", "bytes 0-1", "bytes=0x1-2", "bytes=--1"}) {
    EXPECT_EQ(Resolve(header, 10), "none") << header;
  }
}

TEST(Range, UnitIsCaseInsensitiveAndWhitespaceTolerated) {
  EXPECT_EQ(Resolve("Bytes=1-2", 10), "1-2");
  EXPECT_EQ(Resolve("BYTES= 1-2 ", 10), "1-2");
}

TEST(Range, LengthAndContentRange) {
  ByteRange r{2, 5};
  EXPECT_EQ(r.length(), 4u);
  EXPECT_EQ(ContentRangeValue(r, 10), "bytes 2-5/10");
}

TEST(CopySourceRange, OnlyExactRangesInsideTheSource) {
  auto ok = ParseCopySourceRange("bytes=2-5", 10);
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->first, 2u);
  EXPECT_EQ(ok->length(), 4u);
  EXPECT_TRUE(ParseCopySourceRange("bytes=9-9", 10).ok());
  for (const char* bad : {"bytes=5-20", "bytes=0-", "bytes=-3", "bytes=10-12", "bytes=5-2",
                          "bits=0-1", "bytes=a-b", "bytes=0-1,3-4"}) {
    auto r = ParseCopySourceRange(bad, 10);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument) << bad;
  }
}

}  // namespace
}  // namespace cairn::core
