// The CORSConfiguration document: the body boto3 sends, rendering that parses back to the stored
// rules, and the bodies refused as MalformedXML or by PutBucketCors's rule checks.
#include <gtest/gtest.h>

#include <pugixml.hpp>

#include "s3/xml.h"

namespace cairn::s3 {
namespace {

using Names = std::vector<std::string>;

// Captured from botocore 1.43's serializer for put_bucket_cors with two rules: an upload rule
// with every member and a bare read rule for any origin.
constexpr std::string_view kBoto3Body =
    "<CORSConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><CORSRule><ID>"
    "browser-uploads</ID><AllowedOrigin>https://app.example.com</AllowedOrigin><AllowedOrigin>"
    "http://*.example.com</AllowedOrigin><AllowedMethod>PUT</AllowedMethod><AllowedMethod>POST"
    "</AllowedMethod><AllowedMethod>GET</AllowedMethod><AllowedHeader>*</AllowedHeader>"
    "<ExposeHeader>ETag</ExposeHeader><ExposeHeader>x-amz-request-id</ExposeHeader><MaxAgeSeconds>"
    "3000</MaxAgeSeconds></CORSRule><CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET"
    "</AllowedMethod><AllowedMethod>HEAD</AllowedMethod></CORSRule></CORSConfiguration>";

std::string Config(std::string_view rules) {
  return "<CORSConfiguration>" + std::string(rules) + "</CORSConfiguration>";
}

ErrorCode ParseError(std::string_view xml) {
  auto r = ParseCorsConfiguration(xml);
  return r.ok() ? ErrorCode::kCount : r.error().code;
}

TEST(XmlParseCors, Boto3Body) {
  auto config = ParseCorsConfiguration(kBoto3Body);
  ASSERT_TRUE(config.ok()) << config.error().message;
  ASSERT_EQ(config->rules.size(), 2u);
  const core::CorsRule& up = config->rules[0];
  EXPECT_EQ(up.id, "browser-uploads");
  EXPECT_EQ(up.allowed_origins, (Names{"https://app.example.com", "http://*.example.com"}));
  EXPECT_EQ(up.allowed_methods, (Names{"PUT", "POST", "GET"}));
  EXPECT_EQ(up.allowed_headers, (Names{"*"}));
  EXPECT_EQ(up.expose_headers, (Names{"ETag", "x-amz-request-id"}));
  EXPECT_EQ(up.max_age_seconds, std::optional<uint32_t>(3000));
  const core::CorsRule& read = config->rules[1];
  EXPECT_TRUE(read.id.empty());
  EXPECT_EQ(read.allowed_origins, (Names{"*"}));
  EXPECT_EQ(read.allowed_methods, (Names{"GET", "HEAD"}));
  EXPECT_TRUE(read.allowed_headers.empty());
  EXPECT_FALSE(read.max_age_seconds.has_value());
}

TEST(XmlParseCors, WithoutNamespaceAndWithLayout) {
  auto config = ParseCorsConfiguration(
      "<?xml version=\"1.0\"?>\n<CORSConfiguration>\n  <CORSRule>\n    <AllowedOrigin> "
      "https://a.test </AllowedOrigin>\n    <AllowedMethod>GET</AllowedMethod>\n  </CORSRule>\n"
      "</CORSConfiguration>\n");
  ASSERT_TRUE(config.ok()) << config.error().message;
  EXPECT_EQ(config->rules[0].allowed_origins, (Names{"https://a.test"}));
}

TEST(XmlRenderCors, ParsesBackToTheSameRules) {
  auto config = ParseCorsConfiguration(kBoto3Body);
  ASSERT_TRUE(config.ok());
  const std::string xml = RenderCorsConfiguration(*config);

  pugi::xml_document doc;
  ASSERT_TRUE(doc.load_string(xml.c_str()));
  pugi::xml_node root = doc.child("CORSConfiguration");
  EXPECT_STREQ(root.attribute("xmlns").value(), "http://s3.amazonaws.com/doc/2006-03-01/");
  pugi::xml_node first = root.child("CORSRule");
  EXPECT_STREQ(first.child_value("ID"), "browser-uploads");
  EXPECT_STREQ(first.child_value("MaxAgeSeconds"), "3000");
  EXPECT_FALSE(first.next_sibling("CORSRule").child("ID"));

  auto back = ParseCorsConfiguration(xml);
  ASSERT_TRUE(back.ok()) << back.error().message;
  ASSERT_EQ(back->rules.size(), config->rules.size());
  for (size_t i = 0; i < back->rules.size(); ++i) {
    const core::CorsRule& a = config->rules[i];
    const core::CorsRule& b = back->rules[i];
    EXPECT_EQ(a.id, b.id);
    EXPECT_EQ(a.allowed_origins, b.allowed_origins);
    EXPECT_EQ(a.allowed_methods, b.allowed_methods);
    EXPECT_EQ(a.allowed_headers, b.allowed_headers);
    EXPECT_EQ(a.expose_headers, b.expose_headers);
    EXPECT_EQ(a.max_age_seconds, b.max_age_seconds);
  }
}

TEST(XmlRenderCors, EscapesText) {
  core::CorsRule rule;
  rule.id = "a<&>b";
  rule.allowed_origins = {"*"};
  rule.allowed_methods = {"GET"};
  auto back = ParseCorsConfiguration(RenderCorsConfiguration({{rule}}));
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(back->rules[0].id, "a<&>b");
}

TEST(XmlParseCors, Malformed) {
  const std::string ok_rule = "<AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod>";
  for (const std::string& xml : std::vector<std::string>{
           "", "not xml", "<CORSConfiguration>", "<CORSConfig></CORSConfig>",
           "<LifecycleConfiguration><CORSRule>" + ok_rule + "</CORSRule></LifecycleConfiguration>",
           Config(""),                              // no rule
           Config("<Rule>" + ok_rule + "</Rule>"),  // unknown child
           Config("<CORSRule>" + ok_rule + "<Origin>x</Origin></CORSRule>"),
           Config("<CORSRule><ID>a</ID><ID>b</ID>" + ok_rule + "</CORSRule>"),
           Config("<CORSRule><AllowedOrigin><x/></AllowedOrigin><AllowedMethod>GET"
                  "</AllowedMethod></CORSRule>"),
           Config("<CORSRule>" + ok_rule + "<MaxAgeSeconds>-1</MaxAgeSeconds></CORSRule>"),
           Config("<CORSRule>" + ok_rule + "<MaxAgeSeconds>soon</MaxAgeSeconds></CORSRule>"),
           Config("<CORSRule>" + ok_rule + "<MaxAgeSeconds>9999999999</MaxAgeSeconds></CORSRule>"),
           Config("<CORSRule><AllowedMethod>GET</AllowedMethod></CORSRule>"),  // no origin
           Config("<CORSRule><AllowedOrigin>*</AllowedOrigin></CORSRule>"),    // no method
       }) {
    EXPECT_EQ(ParseError(xml), ErrorCode::kMalformedXML) << xml;
  }
}

TEST(XmlParseCors, RunsValidateCors) {
  auto r = ParseCorsConfiguration(
      Config("<CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>PATCH</AllowedMethod>"
             "</CORSRule>"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidRequest);
  EXPECT_EQ(r.error().message,
            "Found unsupported HTTP method in CORS config. Unsupported method is PATCH");
  EXPECT_EQ(ParseError(Config("<CORSRule><AllowedOrigin>http://*.*.test</AllowedOrigin>"
                              "<AllowedMethod>GET</AllowedMethod></CORSRule>")),
            ErrorCode::kInvalidRequest);
}

}  // namespace
}  // namespace cairn::s3
