// The metadata size budget, metadata names and values, and storage class names.
#include "core/metadata_rules.h"

#include <gtest/gtest.h>

#include "common/metadata_encoding.h"

namespace cairn::core {
namespace {

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
    const std::string decoded = DecodeMetadataValue(word);
    const Status s = ValidateUserMetadata({{"note", decoded}});
    EXPECT_EQ(s.code(), ErrorCode::kInvalidArgument) << word;
    EXPECT_NE(s.error().Message().find("x-amz-meta-note"), std::string::npos) << word;
  }
  EXPECT_TRUE(
      ValidateUserMetadata({{"note", DecodeMetadataValue("=?UTF-8?Q?tab=09ok_=C3=A9?=")}}).ok());
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
