// The JSON column formats: round trips, the exact text (it is the on-disk format, so a change
// here is a schema change), and the errors for input JSON cannot carry or a damaged column.
#include "meta/record_json.h"

#include <gtest/gtest.h>

namespace cairn::meta {
namespace {

TEST(RecordJson, UserMetadataKeepsOrderAndRepeats) {
  UserMetadata in = {{"b", "1"}, {"a", "caf\xc3\xa9"}, {"b", "2"}};
  Result<std::string> text = EncodeUserMetadata(in);
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(*text, "[[\"b\",\"1\"],[\"a\",\"caf\xc3\xa9\"],[\"b\",\"2\"]]");
  EXPECT_EQ(*DecodeUserMetadata(*text), in);
}

TEST(RecordJson, ExtentsAreCompactTriples) {
  std::vector<Extent> in = {{"abc", 0, 5}, {"def", 5, 18446744073709551615ull}};
  Result<std::string> text = EncodeExtents(in);
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(*text, "[[\"abc\",0,5],[\"def\",5,18446744073709551615]]");
  EXPECT_EQ(*DecodeExtents(*text), in);
}

TEST(RecordJson, ChecksumsAndPartSizes) {
  std::map<std::string, std::string> sums = {{"CRC32", "AAAAAA=="}};
  EXPECT_EQ(*EncodeChecksums(sums), "{\"CRC32\":\"AAAAAA==\"}");
  EXPECT_EQ(*DecodeChecksums(*EncodeChecksums(sums)), sums);
  EXPECT_EQ(EncodePartSizes({5, 6}), "[5,6]");
  EXPECT_EQ(*DecodePartSizes("[5,6]"), (std::vector<uint64_t>{5, 6}));
}

TEST(RecordJson, TextThatIsNotUtf8IsInvalidArgument) {
  Result<std::string> text = EncodeUserMetadata({{"name", "\xff\xfe"}});
  ASSERT_FALSE(text.ok());
  EXPECT_EQ(text.error().code, ErrorCode::kInvalidArgument);
}

TEST(RecordJson, DamagedColumnsAreInternalError) {
  EXPECT_EQ(DecodeExtents("[[\"a\",1]]").error().code, ErrorCode::kInternalError);
  EXPECT_EQ(DecodeExtents("not json").error().code, ErrorCode::kInternalError);
  EXPECT_EQ(DecodeUserMetadata("{\"a\":1}").error().code, ErrorCode::kInternalError);
  EXPECT_EQ(DecodeChecksums("[1]").error().code, ErrorCode::kInternalError);
  EXPECT_EQ(DecodePartSizes("[-1]").error().code, ErrorCode::kInternalError);
}

}  // namespace
}  // namespace cairn::meta
