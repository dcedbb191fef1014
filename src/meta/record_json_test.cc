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
  std::vector<core::Extent> in = {{"abc", 0, 5}, {"def", 5, 18446744073709551615ull}};
  Result<std::string> text = EncodeExtents(in);
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(*text, "[[\"abc\",0,5],[\"def\",5,18446744073709551615]]");
  EXPECT_EQ(*DecodeExtents(*text), in);
}

TEST(RecordJson, Checksums) {
  std::map<std::string, std::string> sums = {{"CRC32", "AAAAAA=="}};
  EXPECT_EQ(*EncodeChecksums(sums), "{\"CRC32\":\"AAAAAA==\"}");
  EXPECT_EQ(*DecodeChecksums(*EncodeChecksums(sums)), sums);
}

// Parts without checksums are written as bare sizes, the column's format before part checksums,
// so an object without them is stored exactly as before; a part with checksums is an object.
TEST(RecordJson, PartsRoundTrip) {
  const std::vector<core::ObjectPart> plain = {{5, {}}, {6, {}}};
  EXPECT_EQ(*EncodeParts(plain), "[5,6]");
  EXPECT_EQ(*DecodeParts("[5,6]"), plain);

  const std::vector<core::ObjectPart> summed = {{5242880, {{"CRC32", "NRU+Sw=="}}},
                                                {10, {{"CRC32", "TBHN8A=="}}}};
  Result<std::string> text = EncodeParts(summed);
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(*text,
            "[{\"checksums\":{\"CRC32\":\"NRU+Sw==\"},\"size\":5242880},"
            "{\"checksums\":{\"CRC32\":\"TBHN8A==\"},\"size\":10}]");
  EXPECT_EQ(*DecodeParts(*text), summed);
  EXPECT_EQ(*EncodeParts({}), "[]");
}

// Rows written before part checksums were kept hold an array of sizes; they still decode, and a
// row may mix both forms.
TEST(RecordJson, OldPartSizeRowsStillDecode) {
  const Result<std::vector<core::ObjectPart>> old = DecodeParts("[5242880,5242880,17]");
  ASSERT_TRUE(old.ok());
  EXPECT_EQ(*old, (std::vector<core::ObjectPart>{{5242880, {}}, {5242880, {}}, {17, {}}}));
  EXPECT_TRUE(DecodeParts("[]")->empty());
  EXPECT_EQ(*DecodeParts("[7,{\"size\":8}]"), (std::vector<core::ObjectPart>{{7, {}}, {8, {}}}));
}

TEST(RecordJson, UploadMetadataRoundTripsAndDefaults) {
  core::UploadRecord in;
  in.http.content_type = "text/plain";
  in.http.expires = "Thu, 01 Dec 1994 16:00:00 GMT";
  in.user_metadata = {{"b", "1"}, {"a", "2"}, {"b", "3"}};
  in.storage_class = "STANDARD_IA";
  Result<std::string> text = EncodeUploadMetadata(in);
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(*text,
            "{\"cache_control\":\"\",\"content_disposition\":\"\",\"content_encoding\":\"\","
            "\"content_language\":\"\",\"content_type\":\"text/plain\","
            "\"expires\":\"Thu, 01 Dec 1994 16:00:00 GMT\",\"storage_class\":\"STANDARD_IA\","
            "\"user_metadata\":[[\"b\",\"1\"],[\"a\",\"2\"],[\"b\",\"3\"]]}");
  core::UploadRecord out;
  out.upload_id = "kept";
  ASSERT_TRUE(DecodeUploadMetadata(*text, &out).ok());
  EXPECT_EQ(out.http, in.http);
  EXPECT_EQ(out.user_metadata, in.user_metadata);
  EXPECT_EQ(out.storage_class, "STANDARD_IA");
  EXPECT_EQ(out.upload_id, "kept");  // only the metadata fields are set

  // The column's default: no metadata, STANDARD.
  core::UploadRecord empty;
  empty.storage_class = "GLACIER";
  ASSERT_TRUE(DecodeUploadMetadata("{}", &empty).ok());
  EXPECT_EQ(empty.storage_class, "STANDARD");
  EXPECT_EQ(empty.http, core::HttpMetadata{});
  EXPECT_EQ(DecodeUploadMetadata("[]", &empty).code(), ErrorCode::kStorageCorruption);
  EXPECT_EQ(DecodeUploadMetadata("{\"content_type\":1}", &empty).code(),
            ErrorCode::kStorageCorruption);
}

TEST(RecordJson, TextThatIsNotUtf8IsInvalidArgument) {
  Result<std::string> text = EncodeUserMetadata({{"name", "\xff\xfe"}});
  ASSERT_FALSE(text.ok());
  EXPECT_EQ(text.error().code, ErrorCode::kInvalidArgument);
}

TEST(RecordJson, DamagedColumnsAreInternalError) {
  EXPECT_EQ(DecodeExtents("[[\"a\",1]]").error().code, ErrorCode::kStorageCorruption);
  EXPECT_EQ(DecodeExtents("not json").error().code, ErrorCode::kStorageCorruption);
  EXPECT_EQ(DecodeUserMetadata("{\"a\":1}").error().code, ErrorCode::kStorageCorruption);
  EXPECT_EQ(DecodeChecksums("[1]").error().code, ErrorCode::kStorageCorruption);
  EXPECT_EQ(DecodeParts("[-1]").error().code, ErrorCode::kStorageCorruption);
  EXPECT_EQ(DecodeParts("[{\"checksums\":{}}]").error().code, ErrorCode::kStorageCorruption);
  EXPECT_EQ(DecodeParts("[{\"size\":1,\"checksums\":[1]}]").error().code,
            ErrorCode::kStorageCorruption);
}

}  // namespace
}  // namespace cairn::meta
