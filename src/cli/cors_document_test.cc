// CORS documents: AWS CLI and R2 JSON to XML, the server's XML back to JSON, and bad files.
#include "cli/cors_document.h"

#include <gtest/gtest.h>

#include "cli/errors.h"

namespace cairn::cli {
namespace {

TEST(CorsDocument, AwsCliJsonBecomesXml) {
  const char* json =
      R"({"CORSRules": [{"AllowedOrigins": ["https://a.example", "https://b.example"],
      "AllowedMethods": ["GET", "PUT"], "AllowedHeaders": ["*"], "ExposeHeaders": ["ETag"],
      "MaxAgeSeconds": 3600}]})";
  EXPECT_EQ(
      CorsDocumentToXml(json, "cors.json"),
      R"(<?xml version="1.0" encoding="UTF-8"?><CORSConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">)"
      "<CORSRule><AllowedOrigin>https://a.example</AllowedOrigin>"
      "<AllowedOrigin>https://b.example</AllowedOrigin><AllowedMethod>GET</AllowedMethod>"
      "<AllowedMethod>PUT</AllowedMethod><AllowedHeader>*</AllowedHeader>"
      "<ExposeHeader>ETag</ExposeHeader><MaxAgeSeconds>3600</MaxAgeSeconds></CORSRule>"
      "</CORSConfiguration>");
}

TEST(CorsDocument, R2JsonIsConverted) {
  const Json aws = CorsFromR2Json(
      Json::parse(
          R"({"rules": [{"allowed": {"origins": ["*"], "methods": ["GET"], "headers": ["x-a"]},
                                  "exposeHeaders": ["ETag"], "maxAgeSeconds": 60}]})"),
      "f");
  EXPECT_EQ(aws.dump(),
            R"({"CORSRules":[{"AllowedOrigins":["*"],"AllowedMethods":["GET"],)"
            R"("AllowedHeaders":["x-a"],"ExposeHeaders":["ETag"],"MaxAgeSeconds":60}]})");
}

TEST(CorsDocument, ServerXmlRoundTrips) {
  const char* xml = R"(<CORSConfiguration><CORSRule><ID>r</ID><AllowedOrigin>*</AllowedOrigin>
      <AllowedMethod>GET</AllowedMethod><MaxAgeSeconds>10</MaxAgeSeconds></CORSRule>
      <CORSRule><AllowedOrigin>https://x</AllowedOrigin><AllowedMethod>PUT</AllowedMethod>
      </CORSRule></CORSConfiguration>)";
  const Json json = CorsXmlToJson(xml);
  EXPECT_EQ(
      json.dump(),
      R"({"CORSRules":[{"ID":"r","AllowedOrigins":["*"],"AllowedMethods":["GET"],"MaxAgeSeconds":10},)"
      R"({"AllowedOrigins":["https://x"],"AllowedMethods":["PUT"]}]})");
  EXPECT_EQ(CorsXmlToJson(CorsDocumentToXml(json.dump(), "f")), json);
}

TEST(CorsDocument, BadDocumentsAreUsageErrors) {
  for (const char* text : {"{", R"({"rules": [{"exposeHeaders": []}]})",
                           R"({"CORSRules": 1, "X": [2]})", "<LifecycleConfiguration/>"}) {
    try {
      CorsDocumentToXml(text, "cors.json");
      ADD_FAILURE() << "accepted " << text;
    } catch (const CliError& e) {
      EXPECT_EQ(e.exit_code(), kExitUsage) << text;
      EXPECT_NE(std::string(e.what()).find("cors.json"), std::string::npos) << e.what();
    }
  }
}

}  // namespace
}  // namespace cairn::cli
