// RFC 2047 decoding, the metadata size budget and storage class names.
#include "core/metadata_rules.h"

#include <gtest/gtest.h>

namespace cairn::core {
namespace {

TEST(Rfc2047, PlainValuesAreUnchanged) {
  EXPECT_EQ(DecodeRfc2047(""), "");
  EXPECT_EQ(DecodeRfc2047("hello world"), "hello world");
  EXPECT_EQ(DecodeRfc2047("  spaced  "), "  spaced  ");
  EXPECT_EQ(DecodeRfc2047("a=?b"), "a=?b");
}

TEST(Rfc2047, Base64Utf8) {
  EXPECT_EQ(DecodeRfc2047("=?UTF-8?B?w6k=?="), "\xc3\xa9");  // é
  EXPECT_EQ(DecodeRfc2047("=?utf-8?b?w6k=?="), "\xc3\xa9");  // case-insensitive tokens
  EXPECT_EQ(DecodeRfc2047("=?UTF-8?B?w6k?="), "\xc3\xa9");   // padding left off
  EXPECT_EQ(DecodeRfc2047("=?UTF-8?B?\?="), "");             // empty text ("\?" avoids a trigraph)
}

TEST(Rfc2047, QuotedPrintableWithUnderscores) {
  EXPECT_EQ(DecodeRfc2047("=?UTF-8?Q?caf=C3=A9_au_lait?="), "caf\xc3\xa9 au lait");
  EXPECT_EQ(DecodeRfc2047("=?utf-8?q?a=5Fb?="), "a_b");        // an encoded underscore stays one
  EXPECT_EQ(DecodeRfc2047("=?UTF-8?Q?=c3=a9?="), "\xc3\xa9");  // lowercase hex
}

TEST(Rfc2047, Latin1) {
  EXPECT_EQ(DecodeRfc2047("=?ISO-8859-1?Q?caf=E9?="), "caf\xc3\xa9");
  EXPECT_EQ(DecodeRfc2047("=?iso-8859-1?B?6Q==?="), "\xc3\xa9");
  EXPECT_EQ(DecodeRfc2047("=?US-ASCII?Q?plain_text?="), "plain text");
}

TEST(Rfc2047, LanguageSuffixIsIgnored) {
  EXPECT_EQ(DecodeRfc2047("=?UTF-8*fr?Q?=C3=A9t=C3=A9?="), "\xc3\xa9t\xc3\xa9");
}

TEST(Rfc2047, WhiteSpaceBetweenEncodedWordsIsDropped) {
  EXPECT_EQ(DecodeRfc2047("=?UTF-8?Q?a?= =?UTF-8?Q?b?="), "ab");
  EXPECT_EQ(DecodeRfc2047("=?UTF-8?Q?a?=\r\n =?UTF-8?B?Yg==?="), "ab");
  // ...but kept next to ordinary text.
  EXPECT_EQ(DecodeRfc2047("x =?UTF-8?Q?a?= y"), "x a y");
  EXPECT_EQ(DecodeRfc2047("=?UTF-8?Q?a?= y =?UTF-8?Q?b?="), "a y b");
}

TEST(Rfc2047, WordsMustStandAlone) {
  // RFC 2047 section 5: an encoded word is delimited by white space.
  EXPECT_EQ(DecodeRfc2047("x=?UTF-8?Q?a?="), "x=?UTF-8?Q?a?=");
  EXPECT_EQ(DecodeRfc2047("=?UTF-8?Q?a?=y"), "=?UTF-8?Q?a?=y");
}

TEST(Rfc2047, MalformedWordsAreKeptAsSent) {
  for (std::string_view v :
       {"=?UTF-8?X?abc?=", "=?UTF-8?B?***?=", "=?UTF-8?Q?=ZZ?=", "=?UTF-8?Q?abc=?=",
        "=?UTF-8?B?w6k=", "=?UTF-8?Q?a?b?=", "=?KOI8-R?Q?abc?=", "=??Q?abc?=", "=?UTF-8?Q?=FF?="}) {
    EXPECT_EQ(DecodeRfc2047(v), v) << v;
  }
}

TEST(UserMetadata, CountsNamesAndValues) {
  const size_t half = kMaxUserMetadataBytes / 2;
  // 4 + (half - 4) + 4 + (half - 4) = exactly the limit.
  std::vector<std::pair<std::string, std::string>> at_limit = {
      {"aaaa", std::string(half - 4, 'v')}, {"bbbb", std::string(half - 4, 'v')}};
  EXPECT_TRUE(ValidateUserMetadata(at_limit).ok());
  at_limit[0].second.push_back('v');
  EXPECT_EQ(ValidateUserMetadata(at_limit).code(), ErrorCode::kMetadataTooLarge);
  // A long name counts as much as a long value.
  std::vector<std::pair<std::string, std::string>> long_name = {
      {std::string(kMaxUserMetadataBytes, 'n'), "v"}};
  EXPECT_EQ(ValidateUserMetadata(long_name).code(), ErrorCode::kMetadataTooLarge);
  EXPECT_TRUE(ValidateUserMetadata({}).ok());
}

TEST(UserMetadata, HeaderPrefixIsNotCounted) {
  std::vector<std::pair<std::string, std::string>> m = {
      {"x-amz-meta-k", std::string(kMaxUserMetadataBytes - 1, 'v')}};
  EXPECT_TRUE(ValidateUserMetadata(m).ok());
  m[0].first = "kk";
  EXPECT_FALSE(ValidateUserMetadata(m).ok());
}

// Decoding is faithful; what it decodes to is judged by ValidateUserMetadata before anything is
// stored, so a word that decodes to CR/LF is refused, never kept.
TEST(UserMetadata, DecodedControlBytesAreRefused) {
  for (const char* word : {"=?UTF-8?B?DQpYLUluamVjdGVkOiB5ZXM=?=",  // "\r\nX-Injected: yes"
                           "=?UTF-8?Q?a=0D=0A=0D=0A<html>?=", "=?UTF-8?Q?nul=00?=",
                           "=?UTF-8?Q?del=7F?=", "=?ISO-8859-1?Q?bell=07?="}) {
    const std::string decoded = DecodeRfc2047(word);
    const Status s = ValidateUserMetadata({{"note", decoded}});
    EXPECT_EQ(s.code(), ErrorCode::kInvalidArgument) << word;
    EXPECT_NE(s.error().Message().find("x-amz-meta-note"), std::string::npos) << word;
  }
  EXPECT_TRUE(ValidateUserMetadata({{"note", DecodeRfc2047("=?UTF-8?Q?tab=09ok_=C3=A9?=")}}).ok());
}

TEST(UserMetadata, NamesMustBeHeaderTokens) {
  EXPECT_TRUE(ValidateUserMetadata({{"x-amz-meta-Owner_1", "v"}}).ok());
  for (const char* name : {"a b", "a\r\nSet-Cookie", "x-amz-meta-a:b", "caf\xc3\xa9", ""}) {
    EXPECT_EQ(ValidateUserMetadata({{name, "v"}}).code(), ErrorCode::kInvalidArgument) << name;
  }
}

TEST(StorageClass, Normalisation) {
  EXPECT_EQ(NormalizeStorageClass("").value(), "STANDARD");
  EXPECT_EQ(NormalizeStorageClass("STANDARD").value(), "STANDARD");
  EXPECT_EQ(NormalizeStorageClass("Standard").value(), "STANDARD");
  EXPECT_EQ(NormalizeStorageClass("STANDARD_IA").value(), "STANDARD_IA");
  EXPECT_EQ(NormalizeStorageClass("InfrequentAccess").value(), "STANDARD_IA");
  for (std::string_view bad : {"standard", "GLACIER", "REDUCED_REDUNDANCY", "ONEZONE_IA", " "}) {
    Result<std::string> r = NormalizeStorageClass(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidStorageClass);
  }
}

}  // namespace
}  // namespace cairn::core
