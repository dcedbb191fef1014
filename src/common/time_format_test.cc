// The S3 time formats: exact output, round trips, the three HTTP date forms, and rejection of the
// near misses (SigV4 compares X-Amz-Date textually, so a lenient parse would hide a mismatch).
#include "common/time_format.h"

#include <gtest/gtest.h>

namespace cairn {
namespace {

// 2015-08-30T12:36:00Z, the date of the AWS SigV4 examples.
const TimePoint kExample{std::chrono::milliseconds(1440938160000)};

TEST(AmzDate, FormatAndParse) {
  EXPECT_EQ(FormatAmzDate(kExample), "20150830T123600Z");
  EXPECT_EQ(FormatAmzDate(kExample + std::chrono::milliseconds(999)), "20150830T123600Z");
  EXPECT_EQ(ParseAmzDate("20150830T123600Z"), kExample);
}

TEST(AmzDate, RejectsNearMisses) {
  for (const char* bad :
       {"20150830T123600", "20150830T123600z", "2015083T123600Z", "20150830 123600Z",
        "20151330T123600Z", "20150230T123600Z", "20150830T243600Z", "20150830T126000Z",
        "20150830T123600Z ", "2015-08-30T12:36:00Z", ""}) {
    EXPECT_EQ(ParseAmzDate(bad), std::nullopt) << bad;
  }
}

TEST(HttpDate, FormatsImfFixdate) {
  EXPECT_EQ(FormatHttpDate(kExample), "Sun, 30 Aug 2015 12:36:00 GMT");
  EXPECT_EQ(FormatHttpDate(TimePoint{}), "Thu, 01 Jan 1970 00:00:00 GMT");
}

TEST(HttpDate, ParsesAllThreeForms) {
  EXPECT_EQ(ParseHttpDate("Sun, 30 Aug 2015 12:36:00 GMT"), kExample);
  EXPECT_EQ(ParseHttpDate("Sunday, 30-Aug-15 12:36:00 GMT"), kExample);
  EXPECT_EQ(ParseHttpDate("Sun Aug 30 12:36:00 2015"), kExample);
  auto aug3 = ParseHttpDate("Mon, 03 Aug 2015 12:36:00 GMT");
  ASSERT_TRUE(aug3.has_value());
  EXPECT_EQ(ParseHttpDate("Mon Aug  3 12:36:00 2015"), aug3);
  EXPECT_EQ(ParseHttpDate("Monday, 03-Aug-15 12:36:00 GMT"), aug3);
}

TEST(HttpDate, RejectsMalformed) {
  for (const char* bad :
       {"Sun, 30 Aug 2015 12:36:00 UTC", "Sun, 30 Aug 2015 12:36:00",
        "sun, 30 aug 2015 12:36:00 GMT", "Sun, 30 Foo 2015 12:36:00 GMT",
        "Sun, 3 Aug 2015 12:36:00 GMT", "Sun, 31 Feb 2015 12:36:00 GMT",
        "Sun Aug 30 12:36:00 2015 ", "Sun, 30 Aug 2015 12:36 GMT", "20150830T123600Z", ""}) {
    EXPECT_EQ(ParseHttpDate(bad), std::nullopt) << bad;
  }
}

TEST(DateHeader, TakesNumericZonesAsWellAsHttpDates) {
  EXPECT_EQ(ParseDateHeader("Sun, 30 Aug 2015 12:36:00 GMT"), kExample);
  EXPECT_EQ(ParseDateHeader("Sun, 30 Aug 2015 12:36:00 -0000"), kExample);  // botocore
  EXPECT_EQ(ParseDateHeader("Sun, 30 Aug 2015 12:36:00 +0000"), kExample);
  EXPECT_EQ(ParseDateHeader("Sun, 30 Aug 2015 13:36:00 +0100"), kExample);
  EXPECT_EQ(ParseDateHeader("Sun, 30 Aug 2015 07:06:00 -0530"), kExample);
  // Across midnight and a month end, both ways.
  EXPECT_EQ(ParseDateHeader("Mon, 31 Aug 2015 00:36:00 +1200"), kExample);
  EXPECT_EQ(ParseDateHeader("Sat, 29 Aug 2015 23:36:00 -1300"), kExample);
  EXPECT_EQ(ParseDateHeader("Sun, 30 Aug 2015 01:36:00 -1100"), kExample);
  EXPECT_EQ(ParseDateHeader("Sunday, 30-Aug-15 12:36:00 GMT"), kExample);
  EXPECT_EQ(ParseDateHeader("Sun Aug 30 12:36:00 2015"), kExample);
  // HTTP's own dates stay GMT only (If-Modified-Since and friends).
  EXPECT_EQ(ParseHttpDate("Sun, 30 Aug 2015 12:36:00 -0000"), std::nullopt);
}

TEST(DateHeader, RejectsMalformedZones) {
  for (const char* bad : {
           "Sun, 30 Aug 2015 12:36:00 +000",
           "Sun, 30 Aug 2015 12:36:00 +00000",
           "Sun, 30 Aug 2015 12:36:00 0000",
           "Sun, 30 Aug 2015 12:36:00 +2400",
           "Sun, 30 Aug 2015 12:36:00 +0060",
           "Sun, 30 Aug 2015 12:36:00 +01:00",
           "Sun, 30 Aug 2015 12:36:00 UTC",
           "Sun, 30 Aug 2015 12:36:00 EST",
           "Sun, 30 Aug 2015 12:36:00 Z",
           "Sun, 30 Aug 2015 12:36:00 +0000 ",
           "Sun, 30 Aug 2015 12:36:00  +0000",
           "Sun, 30 Aug 2015 12:36:00 GMT+0100",
           "Sun, 30 Aug 2015 12:36:00 +0a00",
           "Sun, 30 Aug 2015 12:36:00 +-100",
           "Sun, 30 Aug 2015 12:36:00 -0000\r\n",
           "Sunday, 30-Aug-15 12:36:00 +0000",
           "Sun Aug 30 12:36:00 2015 +0000",
           "Sun, 31 Feb 2015 12:36:00 +0000",
           "Sun, 30 Aug 2015 12:36 +0000",
           "Sun, 30 Aug 2015 12:36:00 +",
           "",
       }) {
    EXPECT_EQ(ParseDateHeader(bad), std::nullopt) << bad;
  }
  EXPECT_EQ(ParseDateHeader(std::string_view("Sun, 30 Aug 2015 12:36:00 +0000\0", 32)),
            std::nullopt);
}

TEST(HttpDate, RoundTrip) {
  TimePoint t{std::chrono::milliseconds(4102444799000)};  // 2099-12-31T23:59:59Z
  EXPECT_EQ(ParseHttpDate(FormatHttpDate(t)), t);
  EXPECT_EQ(ParseHttpDate(FormatHttpDate(kExample)), kExample);
}

TEST(Iso8601, FormatsMilliseconds) {
  EXPECT_EQ(FormatIso8601(kExample), "2015-08-30T12:36:00.000Z");
  EXPECT_EQ(FormatIso8601(kExample + std::chrono::milliseconds(7)), "2015-08-30T12:36:00.007Z");
  EXPECT_EQ(FormatIso8601(TimePoint{std::chrono::milliseconds(-1)}), "1969-12-31T23:59:59.999Z");
}

TEST(Iso8601, ParsesWithAndWithoutFractionAndZone) {
  EXPECT_EQ(ParseIso8601("2015-08-30T12:36:00.000Z"), kExample);
  EXPECT_EQ(ParseIso8601("2015-08-30T12:36:00Z"), kExample);
  EXPECT_EQ(ParseIso8601("2015-08-30T12:36:00"), kExample);
  EXPECT_EQ(ParseIso8601("2015-08-30T12:36:00.5Z"), kExample + std::chrono::milliseconds(500));
  EXPECT_EQ(ParseIso8601("2015-08-30T12:36:00.123456Z"), kExample + std::chrono::milliseconds(123));
}

TEST(Iso8601, RoundTrip) {
  for (int64_t ms : {int64_t{0}, int64_t{1440938160123}, int64_t{951782400999} /* 2000-02-29 */}) {
    TimePoint t{std::chrono::milliseconds(ms)};
    EXPECT_EQ(ParseIso8601(FormatIso8601(t)), t) << ms;
  }
  TimePoint now = NowMillis();
  EXPECT_EQ(ParseIso8601(FormatIso8601(now)), now);
  EXPECT_EQ(ParseAmzDate(FormatAmzDate(now)), std::chrono::floor<std::chrono::seconds>(now));
}

TEST(Iso8601, RejectsMalformed) {
  for (const char* bad :
       {"2015-08-30", "2015-08-30T12:36:00.Z", "2015-08-30 12:36:00Z", "2015-08-30T12:36:00+01:00",
        "2015-08-30T12:36:00ZZ", "2015-02-29T00:00:00Z", "2015-8-30T12:36:00Z", ""}) {
    EXPECT_EQ(ParseIso8601(bad), std::nullopt) << bad;
  }
}

}  // namespace
}  // namespace cairn
