// The presigned URLs the dashboard hands out must be accepted by the server's own verifier, for the
// host they were made for and with exactly the headers they sign, and refused otherwise.
#include "dashboard/presign_api.h"

#include <gtest/gtest.h>

#include "auth/fixed_credentials.h"
#include "auth/request_auth.h"

namespace cairn::dashboard {
namespace {

using std::chrono::seconds;

const client::Credentials kKey{"AKIDEXAMPLE", "secret/EXAMPLE+key"};
const TimePoint kNow = TimePoint(std::chrono::milliseconds(1'700'000'000'000));

auth::CredentialLookup Keys() {
  return auth::FixedCredentials({{kKey.access_key_id, kKey.secret_access_key}});
}

// The request a browser sends to `target` on `host`, with `headers`.
auth::SignableRequest BrowserRequest(
    const std::string& method, const std::string& target, const std::string& host,
    std::vector<std::pair<std::string, std::string>> headers = {}) {
  auth::SignableRequest request;
  request.method = method;
  auto q = target.find('?');
  request.raw_path = target.substr(0, q);
  request.raw_query = target.substr(q + 1);
  request.headers = std::move(headers);
  request.headers.emplace_back("host", host);
  request.headers.emplace_back("user-agent", "Mozilla/5.0");
  return request;
}

PresignItem Item(std::string method, std::string bucket, std::string key = "") {
  PresignItem item;
  item.method = std::move(method);
  item.bucket = std::move(bucket);
  item.key = std::move(key);
  return item;
}

TEST(ParsePresignBatch, ReadsRequestsAndExpiry) {
  auto batch = ParsePresignBatch(R"({"expiresIn": 60, "requests": [
      {"method": "PUT", "bucket": "photos", "key": "a/b.png",
       "query": {"partNumber": "2", "uploadId": "u1"}, "headers": {"Content-Type": "image/png"}},
      {"method": "GET"}]})");
  ASSERT_TRUE(batch.ok()) << batch.error().Message();
  EXPECT_EQ(batch->expires, seconds(60));
  ASSERT_EQ(batch->items.size(), 2u);
  const PresignItem& put = batch->items[0];
  EXPECT_EQ(put.key, "a/b.png");
  ASSERT_EQ(put.query.size(), 2u);
  EXPECT_EQ(put.query[0], (std::pair<std::string, std::string>{"partNumber", "2"}));
  ASSERT_EQ(put.headers.size(), 1u);
  EXPECT_EQ(put.headers[0].first, "content-type");  // header names are lowercased
  EXPECT_EQ(batch->items[1].bucket, "");
}

TEST(ParsePresignBatch, DefaultsToFifteenMinutes) {
  auto batch = ParsePresignBatch(R"({"requests": [{"method": "GET", "bucket": "b"}]})");
  ASSERT_TRUE(batch.ok());
  EXPECT_EQ(batch->expires, kDefaultPresignExpiry);
}

TEST(ParsePresignBatch, ShareLinksOfObjectsMayLastSevenDays) {
  auto batch = ParsePresignBatch(R"({"expiresIn": 604800, "requests": [
      {"method": "GET", "bucket": "b", "key": "report.pdf"},
      {"method": "GET", "bucket": "b", "key": "photos/a.png"}]})");
  ASSERT_TRUE(batch.ok()) << batch.error().Message();
  EXPECT_EQ(batch->expires, kMaxShareLinkExpiry);
}

TEST(ParsePresignBatch, RefusesWhatItCannotSign) {
  for (const char* bad : {
           "not json",
           "[]",
           R"({"requests": []})",
           R"({"requests": [{"method": "PATCH", "bucket": "b"}]})",
           R"({"requests": [{"method": "PUT"}]})",
           R"({"requests": [{"method": "GET", "key": "k"}]})",
           R"({"requests": [{"method": "GET", "bucket": "b", "query": {"a": 1}}]})",
           R"({"requests": [{"method": "GET", "bucket": "b", "headers": {"Host": "evil"}}]})",
           R"({"requests": [{"method": "GET", "bucket": "b", "headers": {"bad name": "x"}}]})",
           R"({"expiresIn": 0, "requests": [{"method": "GET", "bucket": "b"}]})",
           R"({"expiresIn": 3601, "requests": [{"method": "GET", "bucket": "b"}]})",
           R"({"expiresIn": 3601, "requests": [{"method": "PUT", "bucket": "b", "key": "k"}]})",
           R"({"expiresIn": 3601, "requests": [{"method": "GET", "admin": "keys"}]})",
           R"({"expiresIn": 3601, "requests": [{"method": "GET", "bucket": "b", "key": "k"},
                                               {"method": "DELETE", "bucket": "b", "key": "k"}]})",
           R"({"expiresIn": 604801, "requests": [{"method": "GET", "bucket": "b", "key": "k"}]})",
           R"({"requests": [{"method": "GET", "admin": ""}]})",
           R"({"requests": [{"method": "GET", "admin": 7}]})",
           R"({"requests": [{"method": "GET", "admin": "/keys"}]})",
           R"({"requests": [{"method": "GET", "admin": "keys/"}]})",
           R"({"requests": [{"method": "GET", "admin": "keys//x"}]})",
           R"({"requests": [{"method": "GET", "admin": ".."}]})",
           R"({"requests": [{"method": "GET", "admin": "keys/../../b"}]})",
           R"({"requests": [{"method": "GET", "admin": "buckets/./public"}]})",
           R"({"requests": [{"method": "GET", "admin": "keys", "bucket": "b"}]})",
           R"({"requests": [{"method": "GET", "admin": "keys", "key": "k"}]})",
       }) {
    auto batch = ParsePresignBatch(bad);
    ASSERT_FALSE(batch.ok()) << bad;
    EXPECT_EQ(batch.error().code, ErrorCode::kInvalidArgument) << bad;
  }
}

TEST(PresignTarget, TheServerAcceptsItForTheSameHost) {
  PresignItem item = Item("PUT", "photos", "holiday 2026/día 1.jpg");
  item.query = {{"partNumber", "3"}, {"uploadId", "abc+/="}};
  const std::string target = PresignTarget(item, kKey, "127.0.0.1:9000", kNow, seconds(900));
  EXPECT_TRUE(target.starts_with(
      "/photos/holiday%202026/d%C3%ADa%201.jpg?partNumber=3&uploadId=abc%2B%2F%3D&"))
      << target;
  auto ok = auth::Authenticate(BrowserRequest("PUT", target, "127.0.0.1:9000"), Keys(), kNow);
  ASSERT_TRUE(ok.ok()) << ok.error().Message();
  EXPECT_TRUE(ok->presigned);
  EXPECT_EQ(ok->access_key_id, "AKIDEXAMPLE");
}

TEST(PresignTarget, IsRefusedForAnotherHostMethodOrAfterExpiry) {
  const std::string target =
      PresignTarget(Item("GET", "b", "k"), kKey, "localhost:9000", kNow, seconds(60));
  EXPECT_FALSE(auth::Authenticate(BrowserRequest("GET", target, "evil:9000"), Keys(), kNow).ok());
  EXPECT_FALSE(
      auth::Authenticate(BrowserRequest("DELETE", target, "localhost:9000"), Keys(), kNow).ok());
  auto late = auth::Authenticate(BrowserRequest("GET", target, "localhost:9000"), Keys(),
                                 kNow + seconds(61));
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.error().code, ErrorCode::kAccessDenied);
}

TEST(PresignTarget, SignedHeadersMustBeSentAsSigned) {
  PresignItem item = Item("PUT", "b", "photo.png");
  item.headers = {{"content-type", "image/png"}};
  const std::string target = PresignTarget(item, kKey, "h:1", kNow, seconds(60));
  EXPECT_NE(target.find("X-Amz-SignedHeaders=content-type%3Bhost"), std::string::npos) << target;
  EXPECT_TRUE(
      auth::Authenticate(BrowserRequest("PUT", target, "h:1", {{"content-type", "image/png"}}),
                         Keys(), kNow)
          .ok());
  auto other = auth::Authenticate(
      BrowserRequest("PUT", target, "h:1", {{"content-type", "text/html"}}), Keys(), kNow);
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(other.error().code, ErrorCode::kSignatureDoesNotMatch);
}

TEST(PresignTarget, ListBucketsAndSubresourcesWithoutValues) {
  const std::string root = PresignTarget(Item("GET", ""), kKey, "h", kNow, seconds(60));
  EXPECT_TRUE(root.starts_with("/?X-Amz-Algorithm=")) << root;
  PresignItem cors = Item("PUT", "b");
  cors.query = {{"cors", ""}};
  const std::string target = PresignTarget(cors, kKey, "h", kNow, seconds(60));
  EXPECT_TRUE(target.starts_with("/b?cors=&")) << target;
  EXPECT_TRUE(auth::Authenticate(BrowserRequest("PUT", target, "h"), Keys(), kNow).ok());
}

TEST(ParsePresignBatch, ReadsAdminPathsAsSegments) {
  auto batch = ParsePresignBatch(R"({"requests": [
      {"method": "POST", "admin": "keys/AK1/rotate", "headers": {"Content-Type": "application/json"}},
      {"method": "GET", "admin": "whoami"}]})");
  ASSERT_TRUE(batch.ok()) << batch.error().Message();
  EXPECT_EQ(batch->items[0].admin, (std::vector<std::string>{"keys", "AK1", "rotate"}));
  EXPECT_EQ(batch->items[0].bucket, "");
  EXPECT_EQ(batch->items[1].admin, (std::vector<std::string>{"whoami"}));
}

TEST(PresignTarget, AdminPathsStayInTheAdminTreeAndVerify) {
  PresignItem item = Item("PUT", "");
  item.admin = {"buckets", "my.bucket", "public"};
  const std::string target = PresignTarget(item, kKey, "h:1", kNow, seconds(60));
  EXPECT_TRUE(target.starts_with("/_cairn/admin/buckets/my.bucket/public?X-Amz-Algorithm="))
      << target;
  EXPECT_TRUE(auth::Authenticate(BrowserRequest("PUT", target, "h:1"), Keys(), kNow).ok());

  // A segment is one segment whatever its bytes: slashes and dots are encoded, never walked.
  PresignItem odd = Item("GET", "");
  odd.admin = {"keys", "a/../../b?x=1", "%2e%2e"};
  const std::string encoded = PresignTarget(odd, kKey, "h:1", kNow, seconds(60));
  EXPECT_TRUE(encoded.starts_with("/_cairn/admin/keys/a%2F..%2F..%2Fb%3Fx%3D1/%252e%252e?"))
      << encoded;
}

}  // namespace
}  // namespace cairn::dashboard
