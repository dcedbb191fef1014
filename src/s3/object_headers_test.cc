// What a request may ask to be sent back as object headers: metadata from headers or a POST form,
// and response-* overrides. A value that would split a response head is refused before anything
// is stored or sent.
#include "s3/object_headers.h"

#include <gtest/gtest.h>

#include <string>

namespace cairn::s3 {
namespace {

using Fields = std::vector<std::pair<std::string, std::string>>;

TEST(ReadMetadataFields, TakesCleanFieldsAndDecodesEncodedWords) {
  Result<core::ObjectMetadata> md = ReadMetadataFields(
      {{"content-type", "image/png"}, {"x-amz-meta-note", "=?UTF-8?Q?caf=C3=A9?="}});
  ASSERT_TRUE(md.ok()) << md.error().Message();
  EXPECT_EQ(md->http.content_type, "image/png");
  ASSERT_EQ(md->user.size(), 1u);
  EXPECT_EQ(md->user[0], std::make_pair(std::string("note"), std::string("caf\xc3\xa9")));
}

TEST(ReadMetadataFields, KeepsContentEncodingAsSentButForAwsChunked) {
  auto encoding = [](std::string value) {
    Result<core::ObjectMetadata> md = ReadMetadataFields({{"content-encoding", value}});
    EXPECT_TRUE(md.ok()) << value;
    return md.ok() ? md->http.content_encoding : "";
  };
  EXPECT_EQ(encoding("deflate, gzip"), "deflate, gzip");
  EXPECT_EQ(encoding("gzip,br"), "gzip,br");
  EXPECT_EQ(encoding("aws-chunked"), "");
  EXPECT_EQ(encoding("aws-chunked, gzip"), "gzip");
  EXPECT_EQ(encoding("AWS-Chunked,gzip"), "gzip");
  EXPECT_EQ(encoding("deflate, aws-chunked, gzip"), "deflate, gzip");
  EXPECT_EQ(encoding("gzip,\taws-chunked"), "gzip");
  EXPECT_EQ(encoding("deflate, aws-chunked-x, gzip"), "deflate, aws-chunked-x, gzip");
}

TEST(ReadMetadataFields, RefusesValuesThatWouldSplitAHeader) {
  for (const Fields& fields : std::vector<Fields>{
           {{"content-type", "image/png\r\nSet-Cookie: session=attacker"}},
           {{"cache-control", "max-age=1\nX-Injected: yes"}},
           {{"content-disposition", std::string("inline\0", 7)}},
           {{"x-amz-meta-note", "a\r\nX-Injected: yes"}},
           {{"x-amz-meta-note", "=?UTF-8?B?DQpYLUluamVjdGVkOiB5ZXM=?="}},
           {{"x-amz-meta-note", "=?UTF-8?Q?a=7F?="}},
           {{"x-amz-meta-a b", "v"}},
       }) {
    Result<core::ObjectMetadata> md = ReadMetadataFields(fields);
    ASSERT_FALSE(md.ok()) << fields[0].first;
    EXPECT_EQ(md.error().code, ErrorCode::kInvalidArgument) << fields[0].first;
  }
}

TEST(CheckResponseOverrides, RefusesControlBytesInAnyOverride) {
  auto check = [](std::string_view query) {
    Result<QueryParams> params = QueryParams::Parse(query);
    EXPECT_TRUE(params.ok()) << query;
    return CheckResponseOverrides(*params);
  };
  EXPECT_TRUE(check("response-content-type=text%2Fplain&x=%0D%0A").ok());
  EXPECT_TRUE(check("response-content-disposition=attachment%3B%09filename%3Da").ok());
  for (const char* query : {"response-content-type=text%2Fplain%0D%0AX-Injected:%20yes",
                            "response-content-disposition=a%0Ab", "response-cache-control=%00",
                            "response-content-encoding=gzip%7F", "response-expires=%0D",
                            "response-content-language=en%0A"}) {
    EXPECT_EQ(check(query).code(), ErrorCode::kInvalidArgument) << query;
  }
}

}  // namespace
}  // namespace cairn::s3
