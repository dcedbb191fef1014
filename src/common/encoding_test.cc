// Wire encodings: base64 must reject everything S3 would answer InvalidDigest for, and the URI
// encodings must match SigV4's canonical form byte for byte.
#include "common/encoding.h"

#include <gtest/gtest.h>

namespace cairn {
namespace {

TEST(Hex, RoundTrip) {
  EXPECT_EQ(HexEncode(std::string("\x00\x01\xab\xff", 4)), "0001abff");
  EXPECT_EQ(HexDecode("0001abff"), std::string("\x00\x01\xab\xff", 4));
  EXPECT_EQ(HexDecode("ABFF"), std::string("\xab\xff"));
  EXPECT_EQ(HexDecode(""), std::string());
  EXPECT_EQ(HexDecode("abc"), std::nullopt);
  EXPECT_EQ(HexDecode("zz"), std::nullopt);
}

TEST(Base64, EncodesWithPadding) {
  EXPECT_EQ(Base64Encode(""), "");
  EXPECT_EQ(Base64Encode("a"), "YQ==");
  EXPECT_EQ(Base64Encode("ab"), "YWI=");
  EXPECT_EQ(Base64Encode("abc"), "YWJj");
  EXPECT_EQ(Base64Encode(std::string("\xfb\xff", 2)), "+/8=");
}

TEST(Base64, DecodesTrueLength) {
  EXPECT_EQ(Base64Decode(""), std::string());
  EXPECT_EQ(Base64Decode("YQ=="), "a");
  EXPECT_EQ(Base64Decode("YWI="), "ab");
  EXPECT_EQ(Base64Decode("YWJj"), "abc");
  EXPECT_EQ(Base64Decode("AAAAAA=="), std::string(4, '\0'));
  EXPECT_EQ(Base64Decode("+/8="), std::string("\xfb\xff", 2));
}

TEST(Base64, StrictRejections) {
  for (const char* bad :
       {"YQ", "YQ=", "YWJ", "YWJjY", "Y===", "====", "YQ=A", "Y=Jj", "YW=j", "YQ==YQ==", "YW-j",
        "YW_j", "YW j", "YWJj\n", " YWJj", "YR==", "YWJ=", "YW*j"}) {
    EXPECT_EQ(Base64Decode(bad), std::nullopt) << bad;
  }
  EXPECT_EQ(Base64Decode(std::string_view("YW\0j", 4)), std::nullopt);
}

TEST(UriEncode, KeepsUnreservedOnly) {
  EXPECT_EQ(UriEncode("AZaz09-_.~", false), "AZaz09-_.~");
  EXPECT_EQ(UriEncode("a b", false), "a%20b");
  EXPECT_EQ(UriEncode("a+b=c&d*e", false), "a%2Bb%3Dc%26d%2Ae");
  EXPECT_EQ(UriEncode("caf\xc3\xa9", false), "caf%C3%A9");
  EXPECT_EQ(UriEncode("%2F", false), "%252F");
  EXPECT_EQ(UriEncode(std::string("\0\xff", 2), false), "%00%FF");
}

TEST(UriEncode, SlashDependsOnKeepSlash) {
  EXPECT_EQ(UriEncode("dir/sub dir/key~1", true), "dir/sub%20dir/key~1");
  EXPECT_EQ(UriEncode("dir/key", false), "dir%2Fkey");
}

TEST(UrlDecode, Escapes) {
  EXPECT_EQ(UrlDecode("a%20b"), "a b");
  EXPECT_EQ(UrlDecode("dir%2Fkey"), "dir/key");
  EXPECT_EQ(UrlDecode("dir%2fkey"), "dir/key");
  EXPECT_EQ(UrlDecode("caf%C3%A9"), "caf\xc3\xa9");
  EXPECT_EQ(UrlDecode("~/plain"), "~/plain");
  EXPECT_EQ(UrlDecode("%00"), std::string(1, '\0'));
  EXPECT_EQ(UrlDecode(""), std::string());
}

TEST(UrlDecode, PlusIsSpaceOnlyWhenAsked) {
  EXPECT_EQ(UrlDecode("a+b"), "a+b");
  EXPECT_EQ(UrlDecode("a+b", true), "a b");
  EXPECT_EQ(UrlDecode("a%2Bb", true), "a+b");
}

TEST(UrlDecode, BadEscapes) {
  for (const char* bad : {"%", "%2", "a%", "a%2", "%zz", "%g1", "%1g", "%%20", "100%"}) {
    EXPECT_EQ(UrlDecode(bad), std::nullopt) << bad;
  }
}

TEST(UriEncode, RoundTripsThroughUrlDecode) {
  std::string all;
  for (int c = 0; c < 256; ++c) all.push_back(static_cast<char>(c));
  EXPECT_EQ(UrlDecode(UriEncode(all, false)), all);
  EXPECT_EQ(UrlDecode(UriEncode(all, true)), all);
}

}  // namespace
}  // namespace cairn
