#include "s3/r2_binding/binding_records.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "common/encoding.h"
#include "s3/r2_binding/binding_errors.h"

namespace cairn::s3::binding {
namespace {

using Json = nlohmann::json;

core::ObjectRecord Object(std::string key) {
  core::ObjectRecord o;
  o.bucket = "b";
  o.key = std::move(key);
  o.size = 5;
  o.etag = "5d41402abc4b2a76b9719d911017c592";
  o.last_modified = TimePoint(std::chrono::milliseconds(1'700'000'000'123));
  o.http.content_type = "text/plain";
  o.http.expires = "Wed, 21 Oct 2015 07:28:00 GMT";
  o.user_metadata = {{"owner", "adä"}};
  o.storage_class = "STANDARD_IA";
  o.checksums = {{"SHA256", "LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ="}};
  return o;
}

TEST(RenderObject, TheFieldsWorkerdReads) {
  const std::string text = RenderObject(Object("k\n\"ü"), {.range = SentRange{0, 5}});
  for (unsigned char c : text) EXPECT_TRUE(c >= 0x20 && c < 0x7f) << text;  // ASCII, one line
  Json doc = Json::parse(text);
  EXPECT_EQ(doc["name"], "k\n\"ü");
  EXPECT_EQ(doc["size"], 5);
  EXPECT_EQ(doc["etag"], "5d41402abc4b2a76b9719d911017c592");
  EXPECT_EQ(doc["uploaded"], 1'700'000'000'123);
  EXPECT_EQ(doc["storageClass"], "InfrequentAccess");
  EXPECT_EQ(doc["httpFields"]["contentType"], "text/plain");
  EXPECT_EQ(doc["httpFields"]["cacheExpiry"], 1'445'412'480'000);
  EXPECT_EQ(doc["customFields"], Json::parse(R"([{"k":"owner","v":"adä"}])"));
  EXPECT_EQ(doc["checksums"]["0"], "5d41402abc4b2a76b9719d911017c592");
  EXPECT_EQ(doc["checksums"]["2"],
            "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");
  EXPECT_EQ(doc["range"], Json::parse(R"({"offset":0,"length":5})"));
  EXPECT_EQ(doc["version"].get<std::string>().size(), 32u);
  // Another write of the key is another version.
  core::ObjectRecord later = Object("k\n\"ü");
  later.last_modified += std::chrono::milliseconds(1);
  EXPECT_NE(Json::parse(RenderObject(later, {}))["version"], doc["version"]);
  EXPECT_FALSE(Json::parse(RenderObject(later, {})).contains("range"));
}

TEST(RenderObject, AMultipartEtagIsNoMd5) {
  core::ObjectRecord o = Object("k");
  o.etag = "5d41402abc4b2a76b9719d911017c592-3";
  o.checksums.clear();
  EXPECT_EQ(Json::parse(RenderObject(o, {}))["checksums"], Json::object());
}

TEST(RenderList, IncludeDecidesTheMetadataAndTheCursorResumesAfterTheLastEntry) {
  core::ListPage page;
  page.objects = {Object("a"), Object("c")};
  page.common_prefixes = {"b/"};
  page.truncated = true;
  page.next_marker = "c";
  Json doc = Json::parse(RenderList(page, /*include_http=*/false, /*include_custom=*/true, 1 << 20));
  ASSERT_EQ(doc["objects"].size(), 2u);
  EXPECT_EQ(doc["objects"][0]["httpFields"], Json::object());
  EXPECT_EQ(doc["objects"][0]["customFields"].size(), 1u);
  EXPECT_EQ(doc["delimitedPrefixes"], Json::parse(R"(["b/"])"));
  EXPECT_EQ(doc["truncated"], true);
  EXPECT_EQ(doc["cursor"], "Yw==");  // base64("c")

  page.truncated = false;
  EXPECT_FALSE(Json::parse(RenderList(page, true, true, 1 << 20)).contains("cursor"));
}

TEST(RenderList, APageOverTheSizeLimitIsCutAndTruncated) {
  core::ListPage page;
  for (char c = 'a'; c <= 'z'; ++c) page.objects.push_back(Object(std::string(1, c)));
  const std::string text = RenderList(page, true, true, 12'000);
  EXPECT_LE(text.size(), 12'000u);
  Json doc = Json::parse(text);
  ASSERT_GT(doc["objects"].size(), 0u);
  ASSERT_LT(doc["objects"].size(), 26u);
  EXPECT_EQ(doc["truncated"], true);
  const std::string last = doc["objects"].back()["name"];
  EXPECT_EQ(doc["cursor"], Base64Encode(last));
}

TEST(BindingErrors, StatusAndCodesWorkerdActsOn) {
  BindingError missing = ToBindingError(Error(ErrorCode::kNoSuchKey));
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.v4code, 10007u);
  BindingError failed = ToBindingError(Error(ErrorCode::kPreconditionFailed));
  EXPECT_EQ(failed.status, 412);
  EXPECT_EQ(failed.v4code, 10031u);
  // NoSuchUpload is no 404 + 10007: workerd asserts on that from a complete().
  BindingError upload = ToBindingError(Error(ErrorCode::kNoSuchUpload));
  EXPECT_EQ(upload.status, 400);
  EXPECT_EQ(upload.v4code, 10024u);
  EXPECT_EQ(ToBindingError(Error(ErrorCode::kSlowDown)).v4code, 10001u);
  EXPECT_EQ(ToBindingError(Error(ErrorCode::kMalformedXML)).v4code, 10029u);
  const std::string header =
      ErrorHeaderValue({400, 10029, "key \"k\r\nX-Injected: 1\" \x7f ü \xff"});
  for (unsigned char c : header) EXPECT_TRUE(c >= 0x20 && c < 0x7f) << header;
  EXPECT_EQ(Json::parse(header)["v4code"], 10029);
}

}  // namespace
}  // namespace cairn::s3::binding
