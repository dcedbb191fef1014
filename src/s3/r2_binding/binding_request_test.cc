#include "s3/r2_binding/binding_request.h"

#include <gtest/gtest.h>

namespace cairn::s3::binding {
namespace {

BindingRequest Parse(std::string_view json) {
  Result<BindingRequest> r = ParseBindingRequest(json);
  EXPECT_TRUE(r.ok()) << json << ": " << (r.ok() ? "" : r.error().message);
  return r.ok() ? *r : BindingRequest{};
}

// The documents below are as workerd 1.20261123.1 sent them (docs/r2-binding-protocol.md,
// appendix A).
TEST(ParseBindingRequest, PutWithEveryOption) {
  BindingRequest r = Parse(
      R"({"version":1,"method":"put","object":"k/2 ü?x","customFields":[{"k":"a","v":"b"},)"
      R"({"k":"x-y","v":"ü"}],"httpFields":{"contentType":"text/plain","contentLanguage":"en",)"
      R"("contentDisposition":"inline","contentEncoding":"gzip","cacheControl":"no-cache",)"
      R"("cacheExpiry":"1700000000000"},"onlyIf":{"etagMatches":[{"value":"e1","type":"strong"}],)"
      R"("uploadedBefore":"1700000000500"},"sha256":"ABAB)" +
      std::string(60, 'a') + R"(","storageClass":"InfrequentAccess"})");
  EXPECT_EQ(r.method, Method::kPut);
  EXPECT_EQ(r.key, "k/2 ü?x");
  ASSERT_EQ(r.custom.size(), 2u);
  EXPECT_EQ(r.custom[1], (std::pair<std::string, std::string>{"x-y", "ü"}));
  EXPECT_EQ(r.http.content_type, "text/plain");
  EXPECT_EQ(r.http.cache_control, "no-cache");
  EXPECT_EQ(r.http.cache_expiry, 1700000000000u);
  ASSERT_EQ(r.only_if.etag_matches.size(), 1u);
  EXPECT_EQ(r.only_if.etag_matches[0].value, "e1");
  EXPECT_EQ(r.only_if.uploaded_before, 1700000000500u);
  ASSERT_TRUE(r.digest);
  EXPECT_EQ(r.digest->algorithm, PromisedDigest::Algorithm::kSha256);
  EXPECT_EQ(r.digest->digest.size(), 32u);
  EXPECT_EQ(r.storage_class, "InfrequentAccess");
}

TEST(ParseBindingRequest, Md5IsBase64AndTheShasAreHex) {
  BindingRequest md5 = Parse(R"({"version":1,"method":"put","object":"k3","md5":"q6urq6urq6urq6urq6urqw=="})");
  ASSERT_TRUE(md5.digest);
  EXPECT_EQ(md5.digest->digest, std::string(16, '\xab'));
  for (std::string_view bad :
       {R"({"version":1,"method":"put","object":"k","md5":"abab"})",
        R"({"version":1,"method":"put","object":"k","sha1":"zz"})",
        R"({"version":1,"method":"put","object":"k","sha512":"ab"})",
        R"({"version":1,"method":"put","object":"k","md5":"q6urq6urq6urq6urq6urqw==","sha1":")"
        R"(a9993e364706816aba3e25717850c26c9cd0d89d"})"}) {
    EXPECT_FALSE(ParseBindingRequest(bad).ok()) << bad;
  }
}

TEST(ParseBindingRequest, GetRangesAndConditions) {
  BindingRequest r = Parse(R"({"version":1,"method":"get","object":"k1","range":{"offset":"1","length":"3"}})");
  ASSERT_TRUE(r.range);
  EXPECT_EQ(r.range->offset, 1u);
  EXPECT_EQ(r.range->length, 3u);
  EXPECT_FALSE(r.range->suffix);
  EXPECT_EQ(Parse(R"({"version":1,"method":"get","object":"k1","rangeHeader":"bytes=1-3"})").range_header,
            "bytes=1-3");
  // Cap'n Proto's "unset" (all ones) is no value; a suffix with an offset is no range.
  BindingRequest unset = Parse(
      R"({"version":1,"method":"get","object":"k","range":{"offset":"18446744073709551615"}})");
  EXPECT_FALSE(unset.range->offset);
  EXPECT_FALSE(ParseBindingRequest(
                   R"({"version":1,"method":"get","object":"k","range":{"offset":"1","suffix":"2"}})")
                   .ok());
  BindingRequest c = Parse(
      R"({"version":1,"method":"get","object":"k1","onlyIf":{"etagDoesNotMatch":[{"value":"e1",)"
      R"("type":"weak"},{"type":"wildcard"}],"uploadedAfter":"1445412480000","secondsGranularity":true}})");
  ASSERT_EQ(c.only_if.etag_does_not_match.size(), 2u);
  EXPECT_EQ(c.only_if.etag_does_not_match[0].kind, EtagCondition::Kind::kWeak);
  EXPECT_EQ(c.only_if.etag_does_not_match[1].kind, EtagCondition::Kind::kWildcard);
  EXPECT_EQ(c.only_if.uploaded_after, 1445412480000u);
  EXPECT_TRUE(c.only_if.seconds_granularity);
}

TEST(ParseBindingRequest, ListDeleteAndMultipart) {
  BindingRequest list = Parse(
      R"({"version":1,"method":"list","limit":10,"prefix":"a/","cursor":"CUR0","delimiter":"/",)"
      R"("startAfter":"a/0","include":[0,1],"newRuntime":true})");
  EXPECT_EQ(list.limit, 10);
  EXPECT_EQ(list.prefix, "a/");
  EXPECT_EQ(list.cursor, "CUR0");
  EXPECT_EQ(list.delimiter, "/");
  EXPECT_EQ(list.start_after, "a/0");
  EXPECT_TRUE(list.include_http && list.include_custom);
  EXPECT_FALSE(ParseBindingRequest(R"({"version":1,"method":"list","include":[2]})").ok());

  BindingRequest del = Parse(R"({"version":1,"method":"delete","objects":["k1","k2"]})");
  EXPECT_EQ(del.keys, (std::vector<std::string>{"k1", "k2"}));
  EXPECT_FALSE(Parse(R"({"version":1,"method":"delete","object":"k"})").keys);

  BindingRequest part = Parse(
      R"({"version":1,"method":"uploadPart","object":"big","uploadId":"UP1","partNumber":2})");
  EXPECT_EQ(part.upload_id, "UP1");
  EXPECT_EQ(part.part_number, 2u);
  BindingRequest done = Parse(
      R"({"version":1,"method":"completeMultipartUpload","object":"big","uploadId":"UP1",)"
      R"("parts":[{"etag":"E1","part":1},{"etag":"E2","part":2}]})");
  ASSERT_EQ(done.parts.size(), 2u);
  EXPECT_EQ(done.parts[1].part_number, 2u);
  EXPECT_EQ(done.parts[1].etag, "E2");
  for (std::string_view bad :
       {R"({"version":1,"method":"uploadPart","object":"k","uploadId":"U","partNumber":0})",
        R"({"version":1,"method":"uploadPart","object":"k","uploadId":"U","partNumber":10001})",
        R"({"version":1,"method":"uploadPart","object":"k","uploadId":"U"})",
        R"({"version":1,"method":"completeMultipartUpload","object":"k","parts":[{"part":-1}]})"}) {
    EXPECT_FALSE(ParseBindingRequest(bad).ok()) << bad;
  }
}

TEST(ParseBindingRequest, HostileDocumentsAreRefusedWithAReason) {
  for (std::string_view bad : {
           "", "[]", "null", "{", R"({"method":"get","object":"k"})",
           R"({"version":2,"method":"get","object":"k"})",
           R"({"version":1,"method":"createBucket"})", R"({"version":1,"method":7})",
           R"({"version":1,"method":"get","object":5})",
           R"({"version":1,"method":"get","object":"k","range":{"offset":"-1"}})",
           R"({"version":1,"method":"get","object":"k","range":{"offset":"1e3"}})",
           R"({"version":1,"method":"get","object":"k","range":{"offset":"99999999999999999999"}})",
           R"({"version":1,"method":"get","object":"k","range":[1]})",
           R"({"version":1,"method":"get","object":"k","onlyIf":{"etagMatches":[{"type":"odd"}]}})",
           R"({"version":1,"method":"put","object":"k","customFields":[{"k":1,"v":"x"}]})",
           R"({"version":1,"method":"put","object":"k","httpFields":{"cacheExpiry":true}})",
           R"({"version":1,"method":"list","limit":"ten"})",
           R"({"version":1,"method":"delete","objects":[1,2]})",
       }) {
    Result<BindingRequest> r = ParseBindingRequest(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_FALSE(r.error().message.empty()) << bad;
  }
  // A deep nest is refused without exhausting the stack.
  std::string deep = R"({"version":1,"method":"get","object":"k","x":)" + std::string(100000, '[') +
                     std::string(100000, ']') + "}";
  EXPECT_TRUE(ParseBindingRequest(deep).ok());
}

TEST(ParseBindingRequest, SsecIsNoticed) {
  EXPECT_TRUE(Parse(R"({"version":1,"method":"get","object":"k","ssec":{"key":"00"}})").ssec);
  EXPECT_FALSE(Parse(R"({"version":1,"method":"get","object":"k"})").ssec);
}

}  // namespace
}  // namespace cairn::s3::binding
