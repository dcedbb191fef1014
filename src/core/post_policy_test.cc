// POST policies: the documents SDKs write (boto3's generate_presigned_post, the AWS examples), each
// malformed shape refused as InvalidPolicyDocument, and what a parsed policy allows.
#include "core/post_policy.h"

#include <gtest/gtest.h>

#include "common/encoding.h"

namespace cairn::core {
namespace {

TimePoint At(std::string_view iso) { return *ParseIso8601(iso); }

std::string Encode(std::string_view json) { return Base64Encode(json); }

// What boto3 writes for generate_presigned_post(Bucket="photos", Key="uploads/${filename}",
// Fields={"Content-Type": "image/png"}, Conditions=[["starts-with", "$Content-Type", "image/"],
// ["content-length-range", 1, 1048576]]).
constexpr char kBotoPolicy[] = R"({"expiration": "2026-03-01T12:00:00Z", "conditions": [
  ["starts-with", "$Content-Type", "image/"], ["content-length-range", 1, 1048576],
  {"bucket": "photos"}, ["starts-with", "$key", "uploads/"],
  {"x-amz-algorithm": "AWS4-HMAC-SHA256"},
  {"x-amz-credential": "AKID/20260301/auto/s3/aws4_request"},
  {"x-amz-date": "20260301T110000Z"}]})";

FormFields BotoFields() {
  return {{"content-type", "image/png"},
          {"key", "uploads/${filename}"},
          {"x-amz-algorithm", "AWS4-HMAC-SHA256"},
          {"x-amz-credential", "AKID/20260301/auto/s3/aws4_request"},
          {"x-amz-date", "20260301T110000Z"},
          {"policy", "eyJ..."},
          {"x-amz-signature", "abcd"}};
}

PostPolicy Boto() {
  Result<PostPolicy> p = ParsePostPolicy(Encode(kBotoPolicy));
  EXPECT_TRUE(p.ok()) << p.error().Message();
  return p.ok() ? *p : PostPolicy();
}

const TimePoint kBefore = At("2026-03-01T11:30:00Z");

TEST(ParsePostPolicy, BotoDocument) {
  PostPolicy p = Boto();
  EXPECT_EQ(p.expiration, At("2026-03-01T12:00:00.000Z"));
  ASSERT_EQ(p.conditions.size(), 7u);
  EXPECT_EQ(p.conditions[0].kind, PolicyCondition::Kind::kStartsWith);
  EXPECT_EQ(p.conditions[0].field, "content-type");
  EXPECT_EQ(p.conditions[0].value, "image/");
  EXPECT_EQ(p.conditions[0].text, R"(["starts-with", "$Content-Type", "image/"])");
  EXPECT_EQ(p.conditions[1].kind, PolicyCondition::Kind::kContentLengthRange);
  EXPECT_EQ(p.conditions[1].min, 1u);
  EXPECT_EQ(p.conditions[1].max, 1048576u);
  EXPECT_EQ(p.conditions[2].kind, PolicyCondition::Kind::kEq);
  EXPECT_EQ(p.conditions[2].field, "bucket");
  EXPECT_EQ(p.conditions[2].text, R"(["eq", "$bucket", "photos"])");
}

TEST(ParsePostPolicy, EqualFormsAndLineWrappedBase64) {
  const std::string json =
      R"({"expiration": "2026-03-01T12:00:00.000Z", "conditions": [["EQ", "$Key", "a\"b"],
         ["content-length-range", "0", "10"]]})";
  std::string wrapped = Encode(json);
  for (size_t i = 60; i < wrapped.size(); i += 61) wrapped.insert(i, "\n");
  Result<PostPolicy> p = ParsePostPolicy(wrapped);
  ASSERT_TRUE(p.ok()) << p.error().Message();
  ASSERT_EQ(p->conditions.size(), 2u);
  EXPECT_EQ(p->conditions[0].kind, PolicyCondition::Kind::kEq);
  EXPECT_EQ(p->conditions[0].field, "key");
  EXPECT_EQ(p->conditions[0].value, "a\"b");
  EXPECT_EQ(p->conditions[0].text, R"(["eq", "$Key", "a\"b"])");
  EXPECT_EQ(p->conditions[1].max, 10u);
}

TEST(ParsePostPolicy, InvalidDocuments) {
  struct Case {
    const char* what;
    std::string policy_base64;
    std::string message;
  };
  const std::string exp = R"("expiration": "2026-03-01T12:00:00Z")";
  auto with = [&](std::string conditions) {
    return Encode("{" + exp + R"(, "conditions": )" + conditions + "}");
  };
  const Case cases[] = {
      {"not base64", "not*base64!", "Invalid Policy: Invalid Base64 Encoding."},
      {"not JSON", Encode("{\"expiration\": "), "Invalid Policy: Invalid JSON."},
      {"not an object", Encode("[1, 2]"), "Invalid Policy: Invalid JSON."},
      {"no expiration", Encode(R"({"conditions": []})"),
       "Invalid Policy: Policy missing expiration."},
      {"bad expiration", Encode(R"({"expiration": "tomorrow", "conditions": []})"),
       "Invalid Policy: Invalid 'expiration' value: 'tomorrow' (use ISO 8601, e.g. "
       "2026-01-01T12:00:00.000Z)."},
      {"numeric expiration", Encode(R"({"expiration": 1700000000, "conditions": []})"), ""},
      {"no conditions", Encode("{" + exp + "}"), "Invalid Policy: Policy missing conditions."},
      {"conditions not a list", with(R"({"key": "a"})"), ""},
      {"two properties", with(R"([{"key": "a", "acl": "private"}])"),
       "Invalid Policy: Invalid Simple-Condition: Simple-Conditions must have exactly one "
       "property specified."},
      {"no property", with("[{}]"), ""},
      {"number value", with(R"([{"success_action_status": 201}])"), ""},
      {"a bare string", with(R"(["key"])"), ""},
      {"empty list", with("[[]]"), ""},
      {"unknown operation", with(R"([["ends-with", "$key", "a"]])"), ""},
      {"field without $", with(R"([["eq", "key", "a"]])"), ""},
      {"just $", with(R"([["starts-with", "$", ""]])"), ""},
      {"two arguments", with(R"([["starts-with", "$key"]])"), ""},
      {"value not a string", with(R"([["eq", "$key", 5]])"), ""},
      {"range of floats", with(R"([["content-length-range", 0, 512.0]])"), ""},
      {"negative range", with(R"([["content-length-range", -1, 10]])"), ""},
      {"range of words", with(R"([["content-length-range", "zero", "ten"]])"), ""},
      {"range without max", with(R"([["content-length-range", 0]])"), ""},
  };
  for (const Case& c : cases) {
    Result<PostPolicy> p = ParsePostPolicy(c.policy_base64);
    ASSERT_FALSE(p.ok()) << c.what;
    EXPECT_EQ(p.error().code, ErrorCode::kInvalidPolicyDocument) << c.what;
    EXPECT_TRUE(p.error().Message().starts_with("Invalid Policy: ")) << p.error().Message();
    if (!c.message.empty()) {
      EXPECT_EQ(p.error().Message(), c.message) << c.what;
    }
  }
}

// Found while writing fuzz/post_policy_fuzzer (and replayed through it, with an input longer than
// it generates): a deeply nested expiration was written back into the message by nlohmann's
// recursive serializer, which overflowed the stack. (A form field is at most 20 KiB, so the
// server itself never parses a policy this deep.)
TEST(ParsePostPolicy, DeeplyNestedExpirationIsRefusedWithoutRecursion) {
  constexpr size_t kDepth = 1'000'000;
  const std::string nested = std::string(kDepth, '[') + std::string(kDepth, ']');
  Result<PostPolicy> p =
      ParsePostPolicy(Encode(R"({"expiration": )" + nested + R"(, "conditions": []})"));
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.error().Message(),
            "Invalid Policy: Invalid 'expiration' value: an array (use ISO 8601, e.g. "
            "2026-01-01T12:00:00.000Z).");
}

TEST(CheckPostPolicy, BotoFormPassesAndGivesTheLengthRange) {
  Result<ContentLengthRange> range = CheckPostPolicy(Boto(), BotoFields(), "photos", kBefore);
  ASSERT_TRUE(range.ok()) << range.error().Message();
  EXPECT_EQ(range->min, 1u);
  EXPECT_EQ(range->max, 1048576u);
}

TEST(CheckPostPolicy, ExpiredAtAndAfterTheExpiration) {
  for (const char* now : {"2026-03-01T12:00:00Z", "2026-03-02T00:00:00Z"}) {
    Result<ContentLengthRange> r = CheckPostPolicy(Boto(), BotoFields(), "photos", At(now));
    ASSERT_FALSE(r.ok()) << now;
    EXPECT_EQ(r.error().code, ErrorCode::kAccessDenied);
    EXPECT_EQ(r.error().Message(), "Invalid according to Policy: Policy expired.");
  }
}

TEST(CheckPostPolicy, EveryFieldMustBeCovered) {
  FormFields fields = BotoFields();
  fields.emplace_back("x-amz-meta-owner", "ana");
  fields.emplace_back("success_action_status", "201");
  fields.emplace_back("x-amz-meta-owner", "again");  // named once in the message
  Result<ContentLengthRange> r = CheckPostPolicy(Boto(), fields, "photos", kBefore);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kAccessDenied);
  EXPECT_EQ(r.error().Message(),
            "Invalid according to Policy: Extra input fields: x-amz-meta-owner, "
            "success_action_status");
}

TEST(CheckPostPolicy, ExemptFieldsNeedNoCondition) {
  FormFields fields = BotoFields();
  fields.emplace_back("x-ignore-tracking", "1");
  fields.emplace_back("file", "");
  EXPECT_TRUE(CheckPostPolicy(Boto(), fields, "photos", kBefore).ok());
  EXPECT_TRUE(IsExemptFromPolicy("x-ignore-anything"));
  EXPECT_TRUE(IsExemptFromPolicy("policy"));
  EXPECT_FALSE(IsExemptFromPolicy("x-amz-security-token"));
  EXPECT_FALSE(IsExemptFromPolicy("bucket"));
}

// A Signature Version 2 form signs with AWSAccessKeyId and signature instead of x-amz-signature.
TEST(CheckPostPolicy, SignatureVersion2FieldsNeedNoCondition) {
  FormFields fields = BotoFields();
  fields.emplace_back("awsaccesskeyid", "AKIAIOSFODNN7EXAMPLE");
  fields.emplace_back("signature", "7EgQdSgP7FknrcJdn5GhQV7bSLE=");
  Result<ContentLengthRange> r = CheckPostPolicy(Boto(), fields, "photos", kBefore);
  EXPECT_TRUE(r.ok()) << r.error().Message();
}

TEST(CheckPostPolicy, ConditionsTable) {
  struct Case {
    const char* what;
    std::string condition;
    FormFields fields;
    bool holds;
  };
  const Case cases[] = {
      {"eq holds", R"({"acl": "private"})", {{"acl", "private"}}, true},
      {"eq is case-sensitive in the value", R"({"acl": "private"})", {{"acl", "Private"}}, false},
      {"eq on a missing field", R"({"acl": "private"})", {}, false},
      {"eq of empty on a missing field", R"(["eq", "$acl", ""])", {}, true},
      {"field names are case-insensitive",
       R"(["eq", "$Cache-Control", "no-cache"])",
       {{"cache-control", "no-cache"}},
       true},
      {"starts-with holds",
       R"(["starts-with", "$key", "user/ana/"])",
       {{"key", "user/ana/photo.jpg"}},
       true},
      {"starts-with fails",
       R"(["starts-with", "$key", "user/ana/"])",
       {{"key", "user/bob/photo.jpg"}},
       false},
      {"starts-with empty matches anything",
       R"(["starts-with", "$x-amz-meta-tag", ""])",
       {{"x-amz-meta-tag", "whatever"}},
       true},
      {"starts-with empty matches a missing field",
       R"(["starts-with", "$x-amz-meta-tag", ""])",
       {},
       true},
      {"Content-Type list, every type matches",
       R"(["starts-with", "$Content-Type", "image/"])",
       {{"content-type", "image/png, image/jpeg"}},
       true},
      {"Content-Type list, one type does not",
       R"(["starts-with", "$Content-Type", "image/"])",
       {{"content-type", "image/png,text/html"}},
       false},
      {"commas are plain text in other fields",
       R"(["starts-with", "$key", "a/"])",
       {{"key", "a/x,b/y"}},
       true},
      {"bucket matches the bucket posted to", R"({"bucket": "photos"})", {}, true},
      {"bucket of another bucket", R"({"bucket": "other"})", {}, false},
      {"a bucket field does not override the bucket posted to",
       R"({"bucket": "other"})",
       {{"bucket", "other"}},
       false},
      {"bucket starts-with", R"(["starts-with", "$bucket", "pho"])", {}, true},
  };
  for (const Case& c : cases) {
    const std::string json =
        R"({"expiration": "2030-01-01T00:00:00Z", "conditions": [)" + c.condition + "]}";
    Result<PostPolicy> policy = ParsePostPolicy(Encode(json));
    ASSERT_TRUE(policy.ok()) << c.what << ": " << policy.error().Message();
    Result<ContentLengthRange> r = CheckPostPolicy(*policy, c.fields, "photos", kBefore);
    EXPECT_EQ(r.ok(), c.holds) << c.what << (r.ok() ? "" : ": " + std::string(r.error().Message()));
    if (!c.holds && !r.ok()) {
      EXPECT_EQ(r.error().code, ErrorCode::kAccessDenied);
      EXPECT_EQ(r.error().Message(), "Invalid according to Policy: Policy Condition failed: " +
                                         policy->conditions[0].text)
          << c.what;
    }
  }
}

TEST(CheckPostPolicy, KeyOutsideThePrefixNamesTheCondition) {
  FormFields fields = BotoFields();
  fields[1].second = "elsewhere/${filename}";
  Result<ContentLengthRange> r = CheckPostPolicy(Boto(), fields, "photos", kBefore);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(
      r.error().Message(),
      R"(Invalid according to Policy: Policy Condition failed: ["starts-with", "$key", "uploads/"])");
}

TEST(CheckPostPolicy, ExtraFieldsAreReportedBeforeFailedConditions) {
  FormFields fields = BotoFields();
  fields[0].second = "text/html";  // fails starts-with image/
  fields.emplace_back("acl", "private");
  Result<ContentLengthRange> r = CheckPostPolicy(Boto(), fields, "photos", kBefore);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().Message(), "Invalid according to Policy: Extra input fields: acl");
}

TEST(CheckPostPolicy, LengthRangesIntersect) {
  const std::string json = R"({"expiration": "2030-01-01T00:00:00Z", "conditions": [
      ["content-length-range", 10, 100], ["content-length-range", 20, 1000]]})";
  Result<ContentLengthRange> r = CheckPostPolicy(*ParsePostPolicy(Encode(json)), {}, "b", kBefore);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->min, 20u);
  EXPECT_EQ(r->max, 100u);
  Result<ContentLengthRange> none = CheckPostPolicy(
      *ParsePostPolicy(Encode(R"({"expiration": "2030-01-01T00:00:00Z", "conditions": []})")), {},
      "b", kBefore);
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->min, 0u);
  EXPECT_EQ(none->max, std::numeric_limits<uint64_t>::max());
}

TEST(CheckContentLength, BoundsAreInclusive) {
  const ContentLengthRange range{5, 10};
  EXPECT_TRUE(CheckContentLength(range, 5, true).ok());
  EXPECT_TRUE(CheckContentLength(range, 10, true).ok());
  EXPECT_TRUE(CheckContentLength(range, 3, false).ok());  // more may still come
  EXPECT_EQ(CheckContentLength(range, 4, true).code(), ErrorCode::kEntityTooSmall);
  EXPECT_EQ(CheckContentLength(range, 11, false).code(), ErrorCode::kEntityTooLarge);
  EXPECT_EQ(CheckContentLength(range, 11, true).code(), ErrorCode::kEntityTooLarge);
  EXPECT_EQ(CheckContentLength(range, 4, true).error().Message(),
            "Your proposed upload is smaller than the minimum allowed size: 4 bytes, at least 5 "
            "(the policy's content-length-range).");
}

}  // namespace
}  // namespace cairn::core
