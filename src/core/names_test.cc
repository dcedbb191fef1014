// Bucket and key naming rules, one accept/reject pair per rule of the S3 "General purpose bucket
// naming rules" page, and the byte limit and UTF-8 checks on keys.
#include "core/names.h"

#include <gtest/gtest.h>

#include <string>

#include "common/utf8.h"

namespace cairn::core {
namespace {

void ExpectBucketOk(std::string_view name) {
  Status s = ValidateBucketName(name);
  EXPECT_TRUE(s.ok()) << name << ": " << s.error().Message();
}

void ExpectBucketBad(std::string_view name) {
  Status s = ValidateBucketName(name);
  EXPECT_FALSE(s.ok()) << name;
  EXPECT_EQ(s.code(), ErrorCode::kInvalidBucketName) << name;
}

TEST(BucketName, Length3To63) {
  ExpectBucketOk("abc");
  ExpectBucketOk(std::string(63, 'a'));
  ExpectBucketBad("ab");
  ExpectBucketBad("");
  ExpectBucketBad(std::string(64, 'a'));
}

TEST(BucketName, LowercaseLettersDigitsDotsHyphens) {
  ExpectBucketOk("my-bucket.2024");
  ExpectBucketBad("MyBucket");
  ExpectBucketBad("my_bucket");
  ExpectBucketBad("my bucket");
  ExpectBucketBad("bucket\xc3\xa9");
}

TEST(BucketName, BeginsAndEndsWithLetterOrDigit) {
  ExpectBucketOk("0bucket9");
  ExpectBucketBad("-bucket");
  ExpectBucketBad("bucket-");
  ExpectBucketBad(".bucket");
  ExpectBucketBad("bucket.");
}

TEST(BucketName, NoAdjacentPeriods) {
  ExpectBucketOk("a.b.c");
  ExpectBucketBad("a..b");
}

TEST(BucketName, NotAnIpAddress) {
  ExpectBucketBad("192.168.5.4");
  ExpectBucketBad("999.999.999.999");
  ExpectBucketOk("192.168.5");      // three groups
  ExpectBucketOk("192.168.5.4.1");  // five groups
  ExpectBucketOk("192.168.5.a");
  ExpectBucketOk("1234.168.5.4");  // a group of four digits is no address
}

TEST(BucketName, ReservedPrefixes) {
  ExpectBucketBad("xn--bucket");
  ExpectBucketBad("sthree-bucket");
  ExpectBucketBad("sthree-configurator");
  ExpectBucketBad("amzn-s3-demo-bucket");
  ExpectBucketOk("xn-bucket");
  ExpectBucketOk("sthree");
  ExpectBucketOk("amzn-s3-bucket");
}

TEST(BucketName, ReservedSuffixes) {
  ExpectBucketBad("bucket-s3alias");
  ExpectBucketBad("bucket--ol-s3");
  ExpectBucketBad("bucket.mrap");
  ExpectBucketBad("bucket--x-s3");
  ExpectBucketBad("bucket--table-s3");
  ExpectBucketOk("bucket-s3");
  ExpectBucketOk("s3alias-bucket");
}

TEST(BucketName, MessageNamesTheRule) {
  Status s = ValidateBucketName("a..b");
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().Message().find("adjacent periods"), std::string_view::npos);
}

TEST(ObjectKey, LengthLimitIs1024Bytes) {
  EXPECT_TRUE(ValidateObjectKey(std::string(1024, 'k')).ok());
  Status s = ValidateObjectKey(std::string(1025, 'k'));
  EXPECT_EQ(s.code(), ErrorCode::kKeyTooLongError);
  // Bytes, not characters: 512 two-byte characters fit, one more does not.
  std::string e_acute;
  for (int i = 0; i < 512; ++i) e_acute += "\xc3\xa9";
  EXPECT_TRUE(ValidateObjectKey(e_acute).ok());
  EXPECT_EQ(ValidateObjectKey(e_acute + "\xc3\xa9").code(), ErrorCode::kKeyTooLongError);
}

TEST(ObjectKey, EmptyIsRejected) {
  EXPECT_EQ(ValidateObjectKey("").code(), ErrorCode::kInvalidArgument);
}

TEST(ObjectKey, UnusualButLegalKeys) {
  for (std::string_view key : {"..", "//", "/leading", "a b", "trailing/", ".", "a\tb",
                               "\xe2\x82\xac", "\xf0\x9f\x98\x80", "\xef\xbf\xbf"}) {
    EXPECT_TRUE(ValidateObjectKey(key).ok()) << key;
  }
}

TEST(ObjectKey, InvalidUtf8IsRejected) {
  const std::string bad[] = {
      "\xc0\xaf",          // overlong '/'
      "\xc1\xbf",          // overlong
      "\xe0\x80\xaf",      // overlong 3-byte
      "\xf0\x80\x80\xaf",  // overlong 4-byte
      "\xed\xa0\x80",      // surrogate U+D800
      "\xed\xbf\xbf",      // surrogate U+DFFF
      "\xf4\x90\x80\x80",  // U+110000
      "\xf5\x80\x80\x80",  // lead byte past F4
      "\xff",              // never valid
      "\x80",              // lone continuation byte
      "abc\xc3",           // truncated 2-byte
      "\xe2\x82",          // truncated 3-byte
      "\xf0\x9f\x98",      // truncated 4-byte
      "\xe2\x28\xa1",      // bad continuation
  };
  for (const std::string& key : bad) {
    Status s = ValidateObjectKey(key);
    EXPECT_EQ(s.code(), ErrorCode::kInvalidArgument) << testing::PrintToString(key);
  }
}

TEST(ObjectKey, Utf8Boundaries) {
  EXPECT_TRUE(IsValidUtf8("\xed\x9f\xbf"));      // U+D7FF, just below the surrogates
  EXPECT_TRUE(IsValidUtf8("\xee\x80\x80"));      // U+E000, just above
  EXPECT_TRUE(IsValidUtf8("\xf4\x8f\xbf\xbf"));  // U+10FFFF
  EXPECT_TRUE(IsValidUtf8("\xc2\x80"));          // U+0080, smallest 2-byte
  EXPECT_TRUE(IsValidUtf8(std::string("a\0b", 3)));
}

}  // namespace
}  // namespace cairn::core
