// Bucket CORS rules: PutBucketCors's checks, the JSON round trip, and S3's evaluation of a
// request against the rules (origin wildcards, methods, preflight headers, first match wins).
#include "core/cors.h"

#include <gtest/gtest.h>

namespace cairn::core {
namespace {

CorsRule Rule(std::vector<std::string> origins, std::vector<std::string> methods,
              std::vector<std::string> headers = {}) {
  CorsRule rule;
  rule.allowed_origins = std::move(origins);
  rule.allowed_methods = std::move(methods);
  rule.allowed_headers = std::move(headers);
  return rule;
}

CorsConfiguration Config(std::vector<CorsRule> rules) {
  return CorsConfiguration{std::move(rules)};
}

ErrorCode ValidationError(const CorsConfiguration& config) {
  Status s = ValidateCors(config);
  return s.ok() ? ErrorCode::kCount : s.code();
}

TEST(CorsValidate, AcceptsTypicalRules) {
  CorsRule upload = Rule({"https://app.example.com", "http://*.example.com"},
                         {"GET", "PUT", "POST", "DELETE", "HEAD"}, {"*", "x-amz-*"});
  upload.id = std::string(255, 'a');
  upload.expose_headers = {"ETag"};
  upload.max_age_seconds = 3000;
  EXPECT_TRUE(ValidateCors(Config({upload, Rule({"*"}, {"GET"})})).ok());
}

TEST(CorsValidate, RuleCount) {
  EXPECT_EQ(ValidationError(Config({})), ErrorCode::kMalformedXML);
  std::vector<CorsRule> rules(100, Rule({"*"}, {"GET"}));
  EXPECT_TRUE(ValidateCors(Config(rules)).ok());
  rules.push_back(Rule({"*"}, {"GET"}));
  EXPECT_EQ(ValidationError(Config(rules)), ErrorCode::kInvalidRequest);
}

TEST(CorsValidate, NeedsOriginAndMethod) {
  EXPECT_EQ(ValidationError(Config({Rule({}, {"GET"})})), ErrorCode::kMalformedXML);
  EXPECT_EQ(ValidationError(Config({Rule({"*"}, {})})), ErrorCode::kMalformedXML);
}

TEST(CorsValidate, UnsupportedMethodHasS3Message) {
  for (const char* method : {"PATCH", "OPTIONS", "get", ""}) {
    Status s = ValidateCors(Config({Rule({"*"}, {"GET", method})}));
    ASSERT_FALSE(s.ok()) << method;
    EXPECT_EQ(s.code(), ErrorCode::kInvalidRequest);
    EXPECT_EQ(s.error().message,
              std::string("Found unsupported HTTP method in CORS config. Unsupported method is ") +
                  method);
  }
}

TEST(CorsValidate, OneWildcardPerOriginAndHeader) {
  EXPECT_EQ(ValidationError(Config({Rule({"http://*.*.example.com"}, {"GET"})})),
            ErrorCode::kInvalidRequest);
  EXPECT_EQ(ValidationError(Config({Rule({"*"}, {"GET"}, {"x-*-*"})})), ErrorCode::kInvalidRequest);
  EXPECT_TRUE(ValidateCors(Config({Rule({"http://*.example.com"}, {"GET"}, {"x-*"})})).ok());
}

TEST(CorsValidate, IdLength) {
  CorsRule rule = Rule({"*"}, {"GET"});
  rule.id = std::string(256, 'a');
  EXPECT_EQ(ValidationError(Config({rule})), ErrorCode::kInvalidArgument);
}

// Found by fuzz/xml_body_fuzzer: bytes that are not UTF-8 were accepted and then rewritten by the
// JSON store, so GET returned other rules than PUT stored.
TEST(CorsValidate, TextIsUtf8) {
  for (const std::string bad : {"https://\xb5.example", "GET\xc0\xaf"}) {
    EXPECT_EQ(ValidationError(Config({Rule({bad}, {"GET"})})), ErrorCode::kInvalidArgument);
    EXPECT_EQ(ValidationError(Config({Rule({"*"}, {bad})})), ErrorCode::kInvalidArgument);
    EXPECT_EQ(ValidationError(Config({Rule({"*"}, {"GET"}, {bad})})), ErrorCode::kInvalidArgument);
    CorsRule rule = Rule({"*"}, {"GET"});
    rule.expose_headers = {"ETag", bad};
    EXPECT_EQ(ValidationError(Config({rule})), ErrorCode::kInvalidArgument);
    rule = Rule({"*"}, {"GET"});
    rule.id = bad;
    EXPECT_EQ(ValidationError(Config({rule})), ErrorCode::kInvalidArgument);
  }
  CorsRule rule = Rule({"https://\xc3\xa9.example"}, {"GET"}, {"x-amz-meta-ok"});
  EXPECT_TRUE(ValidateCors(Config({rule})).ok());
}

TEST(CorsJson, RoundTrip) {
  CorsRule full = Rule({"https://a.example", "*"}, {"PUT", "GET"}, {"x-amz-*", "Content-Type"});
  full.id = "uploads";
  full.expose_headers = {"ETag", "x-amz-version-id"};
  full.max_age_seconds = 3000;
  const CorsConfiguration config = Config({full, Rule({"*"}, {"HEAD"})});
  Result<CorsConfiguration> back = DecodeCors(EncodeCors(config));
  ASSERT_TRUE(back.ok()) << back.error().message;
  ASSERT_EQ(back->rules.size(), 2u);
  const CorsRule& r = back->rules[0];
  EXPECT_EQ(r.id, "uploads");
  EXPECT_EQ(r.allowed_origins, full.allowed_origins);
  EXPECT_EQ(r.allowed_methods, full.allowed_methods);
  EXPECT_EQ(r.allowed_headers, full.allowed_headers);
  EXPECT_EQ(r.expose_headers, full.expose_headers);
  EXPECT_EQ(r.max_age_seconds, std::optional<uint32_t>(3000));
  EXPECT_TRUE(back->rules[1].id.empty());
  EXPECT_TRUE(back->rules[1].allowed_headers.empty());
  EXPECT_FALSE(back->rules[1].max_age_seconds.has_value());
}

TEST(CorsJson, RejectsDamagedDocuments) {
  for (const char* text : {"", "{", "{}", "{\"rules\":3}",
                           "{\"rules\":[{\"allowed_origins\":[\"*\"],\"max_age_seconds\":-1}]}",
                           "{\"rules\":[{\"allowed_origins\":\"*\"}]}"}) {
    Result<CorsConfiguration> r = DecodeCors(text);
    ASSERT_FALSE(r.ok()) << text;
    EXPECT_EQ(r.error().code, ErrorCode::kInternalError) << text;
  }
}

TEST(CorsMatch, ExactOriginIsEchoed) {
  CorsRule rule = Rule({"https://app.example.com"}, {"GET", "PUT"});
  rule.max_age_seconds = 600;
  auto h = MatchCors(Config({rule}), "https://app.example.com", "GET", "");
  ASSERT_TRUE(h.has_value());
  EXPECT_EQ(h->allow_origin, "https://app.example.com");
  EXPECT_EQ(h->allow_methods, "GET, PUT");
  EXPECT_EQ(h->allow_headers, "");
  EXPECT_EQ(h->max_age_seconds, std::optional<uint32_t>(600));
  EXPECT_TRUE(h->vary_origin);
  // Scheme, port and case are part of the origin.
  EXPECT_FALSE(MatchCors(Config({rule}), "http://app.example.com", "GET", ""));
  EXPECT_FALSE(MatchCors(Config({rule}), "https://app.example.com:8443", "GET", ""));
  EXPECT_FALSE(MatchCors(Config({rule}), "https://APP.example.com", "GET", ""));
  EXPECT_FALSE(MatchCors(Config({rule}), "", "GET", ""));
}

TEST(CorsMatch, WildcardSubdomain) {
  const CorsConfiguration config = Config({Rule({"http://*.example.com"}, {"GET"})});
  auto h = MatchCors(config, "http://www.example.com", "GET", "");
  ASSERT_TRUE(h.has_value());
  EXPECT_EQ(h->allow_origin, "http://www.example.com");  // only an "*" rule answers "*"
  EXPECT_TRUE(MatchCors(config, "http://a.b.example.com", "GET", ""));
  EXPECT_FALSE(MatchCors(config, "http://example.com", "GET", ""));
  EXPECT_FALSE(MatchCors(config, "https://www.example.com", "GET", ""));
  EXPECT_FALSE(MatchCors(config, "http://www.example.org", "GET", ""));
}

TEST(CorsMatch, AnyOriginAnswersStar) {
  auto h = MatchCors(Config({Rule({"*"}, {"GET"})}), "https://anything.test", "GET", "");
  ASSERT_TRUE(h.has_value());
  EXPECT_EQ(h->allow_origin, "*");
  EXPECT_FALSE(h->allow_credentials);  // as S3: credentials only for named origins
  EXPECT_TRUE(MatchCors(Config({Rule({"https://a.test"}, {"GET"})}), "https://a.test", "GET", "")
                  ->allow_credentials);
}

TEST(CorsMatch, MethodMustBeAllowed) {
  const CorsConfiguration config = Config({Rule({"*"}, {"GET", "HEAD"})});
  EXPECT_FALSE(MatchCors(config, "https://a.test", "PUT", ""));
  EXPECT_FALSE(MatchCors(config, "https://a.test", "get", ""));
  EXPECT_TRUE(MatchCors(config, "https://a.test", "HEAD", ""));
}

TEST(CorsMatch, PreflightHeadersWithWildcards) {
  const CorsConfiguration config =
      Config({Rule({"https://app.example.com"}, {"PUT"}, {"x-amz-*", "Content-Type"})});
  auto h = MatchCors(config, "https://app.example.com", "PUT",
                     "Content-Type, X-Amz-Date,x-amz-content-sha256 ");
  ASSERT_TRUE(h.has_value());
  EXPECT_EQ(h->allow_headers, "content-type, x-amz-date, x-amz-content-sha256");
  // One header outside the rule fails the whole preflight.
  EXPECT_FALSE(MatchCors(config, "https://app.example.com", "PUT", "content-type, authorization"));
  EXPECT_FALSE(MatchCors(config, "https://app.example.com", "PUT", "x-amz"));
}

TEST(CorsMatch, StarHeaderAllowsAnyAndNoHeadersNeedNoPattern) {
  EXPECT_TRUE(MatchCors(Config({Rule({"*"}, {"PUT"}, {"*"})}), "https://a.test", "PUT",
                        "Authorization, X-Custom"));
  EXPECT_TRUE(MatchCors(Config({Rule({"*"}, {"PUT"})}), "https://a.test", "PUT", ""));
  EXPECT_TRUE(MatchCors(Config({Rule({"*"}, {"PUT"})}), "https://a.test", "PUT", " , "));
  EXPECT_FALSE(MatchCors(Config({Rule({"*"}, {"PUT"})}), "https://a.test", "PUT", "x-a"));
}

TEST(CorsMatch, HeaderPatternsCompareCaseInsensitively) {
  EXPECT_TRUE(MatchCors(Config({Rule({"*"}, {"PUT"}, {"X-AMZ-*"})}), "https://a.test", "PUT",
                        "x-amz-meta-name"));
}

TEST(CorsMatch, FirstMatchingRuleWins) {
  CorsRule uploads = Rule({"https://app.example.com"}, {"PUT", "POST"}, {"*"});
  uploads.id = "uploads";
  uploads.expose_headers = {"ETag"};
  CorsRule reads = Rule({"*"}, {"GET", "PUT"});
  reads.expose_headers = {"Content-Length", "ETag"};
  const CorsConfiguration config = Config({uploads, reads});

  auto put = MatchCors(config, "https://app.example.com", "PUT", "x-amz-date");
  ASSERT_TRUE(put.has_value());
  EXPECT_EQ(put->allow_origin, "https://app.example.com");
  EXPECT_EQ(put->allow_methods, "PUT, POST");
  EXPECT_EQ(put->expose_headers, "ETag");

  // GET is not in the first rule: the second answers.
  auto get = MatchCors(config, "https://app.example.com", "GET", "");
  ASSERT_TRUE(get.has_value());
  EXPECT_EQ(get->allow_origin, "*");
  EXPECT_EQ(get->expose_headers, "Content-Length, ETag");

  // A header the second rule does not allow, from an origin the first does not know: no rule.
  EXPECT_FALSE(MatchCors(config, "https://other.test", "PUT", "x-amz-date"));
}

TEST(CorsConsole, AllowsTheConsoleWithoutCredentials) {
  const CorsHeaders h = ConsoleCors("http://127.0.0.1:9001", "Content-Type, content-md5");
  EXPECT_EQ(h.allow_origin, "http://127.0.0.1:9001");
  EXPECT_EQ(h.allow_methods, "GET, HEAD, PUT, POST, DELETE");
  EXPECT_EQ(h.allow_headers, "content-type, content-md5");
  EXPECT_NE(h.expose_headers.find("ETag"), std::string::npos);
  EXPECT_FALSE(h.allow_credentials);
  EXPECT_TRUE(h.vary_origin);
}

}  // namespace
}  // namespace cairn::core
