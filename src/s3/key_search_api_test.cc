// The key search's query parameters and its JSON answer.
#include "s3/key_search_api.h"

#include <gtest/gtest.h>

#include "common/encoding.h"

namespace cairn::s3 {
namespace {

Result<core::SearchRequest> Parse(std::string_view raw_query) {
  Result<QueryParams> query = QueryParams::Parse(raw_query);
  EXPECT_TRUE(query.ok());
  return ParseSearchRequest("b", *query);
}

std::string MessageOf(std::string_view raw_query) {
  Result<core::SearchRequest> request = Parse(raw_query);
  EXPECT_FALSE(request.ok()) << raw_query;
  if (request.ok()) return "";
  EXPECT_EQ(request.error().code, ErrorCode::kInvalidArgument);
  return request.error().message;
}

TEST(KeySearchApi, ReadsEveryParameter) {
  Result<core::SearchRequest> r =
      Parse("q=a%25_b&prefix=logs%2F&cursor=" + UriEncode(Base64Encode("logs/x"), false) +
            "&limit=7&ignoreCase=true");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->bucket, "b");
  EXPECT_EQ(r->substring, "a%_b");
  EXPECT_EQ(r->prefix, "logs/");
  EXPECT_EQ(r->start_after, "logs/x");
  EXPECT_EQ(r->limit, 7u);
  EXPECT_TRUE(r->ignore_ascii_case);
}

TEST(KeySearchApi, DefaultsWhenOnlyTheTextIsGiven) {
  Result<core::SearchRequest> r = Parse("q=0242");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->prefix, "");
  EXPECT_EQ(r->start_after, "");
  EXPECT_EQ(r->limit, core::kSearchDefaultLimit);
  EXPECT_FALSE(r->ignore_ascii_case);
}

TEST(KeySearchApi, RefusesWhatItCannotRead) {
  EXPECT_NE(MessageOf("").find("q"), std::string::npos);
  EXPECT_NE(MessageOf("q=").find("q"), std::string::npos);
  EXPECT_NE(MessageOf("q=a&limit=ten").find("limit"), std::string::npos);
  EXPECT_NE(MessageOf("q=a&limit=-1").find("limit"), std::string::npos);
  EXPECT_NE(MessageOf("q=a&limit=99999999999").find("limit"), std::string::npos);
  EXPECT_NE(MessageOf("q=a&cursor=%25%25%25").find("cursor"), std::string::npos);
  EXPECT_NE(MessageOf("q=a&ignoreCase=yes").find("ignoreCase"), std::string::npos);
}

TEST(KeySearchApi, AnswersMatchesCursorAndScanned) {
  core::SearchPage page;
  core::ObjectRecord o;
  o.key = "item-0242";
  o.size = 12;
  o.etag = "9e107d9d372bb6826bd81d3542a419d6";
  o.last_modified = TimePoint(std::chrono::milliseconds(1700000000123));
  o.storage_class = "STANDARD";
  page.matches.push_back(o);
  page.scanned = 3000;
  nlohmann::json done = SearchPageJson(page);
  EXPECT_EQ(done["matches"][0], (nlohmann::json{{"key", "item-0242"},
                                                {"size", 12},
                                                {"lastModified", "2023-11-14T22:13:20.123Z"},
                                                {"etag", "9e107d9d372bb6826bd81d3542a419d6"},
                                                {"storageClass", "STANDARD"}}));
  EXPECT_TRUE(done["cursor"].is_null());
  EXPECT_EQ(done["scanned"], 3000);

  page.truncated = true;
  page.resume_after = "item-0242";
  EXPECT_EQ(SearchPageJson(page)["cursor"], Base64Encode("item-0242"));
}

}  // namespace
}  // namespace cairn::s3
