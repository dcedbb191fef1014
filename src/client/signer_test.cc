// The client's SigV4 against published answers: every request of AWS's generic test suite
// (tests/data/aws4_testsuite) signed end to end into its Authorization header, the GetObject
// example of the S3 SigV4 documentation through SignRequest, and the presigned GET example of
// "Authenticating Requests: Using Query Parameters".
#include "client/signer.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "auth/aws4_test_cases.h"
#include "auth/fixed_credentials.h"
#include "auth/request_auth.h"
#include "common/encoding.h"
#include "common/hashing.h"
#include "common/time_format.h"

namespace cairn::client {
namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << "cannot open " << path;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string TrimEnd(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  return s;
}

// A .req file: "METHOD target HTTP/1.1", headers (a line starting with white space continues the
// previous value), an empty line, the body.
struct SuiteCase {
  auth::SignableRequest request;
  std::string body;
};

SuiteCase ParseReq(const std::string& text) {
  std::istringstream in(text);
  std::string line;
  std::getline(in, line);
  SuiteCase out;
  const size_t space = line.find(' ');
  const size_t version = line.rfind(" HTTP/");
  out.request.method = line.substr(0, space);
  const std::string target = line.substr(space + 1, version - space - 1);
  const size_t question = target.find('?');
  out.request.raw_path = target.substr(0, question);
  if (question != std::string::npos) out.request.raw_query = target.substr(question + 1);
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) break;
    if (line[0] == ' ' || line[0] == '\t') {
      out.request.headers.back().second += line;
      continue;
    }
    const size_t colon = line.find(':');
    std::string name = line.substr(0, colon);
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    out.request.headers.emplace_back(name, line.substr(colon + 1));
  }
  std::ostringstream rest;
  rest << in.rdbuf();
  out.body = TrimEnd(rest.str());
  return out;
}

class AwsSuite : public testing::TestWithParam<const char*> {};

TEST_P(AwsSuite, AuthorizationHeaderMatches) {
  const std::string dir = std::string(CAIRN_TEST_DATA_DIR) + "/aws4_testsuite/" + GetParam();
  const std::string base = dir + "/" + dir.substr(dir.rfind('/') + 1);
  const SuiteCase c = ParseReq(ReadFile(base + ".req"));
  const Credentials credentials{.access_key_id = "AKIDEXAMPLE",
                                .secret_access_key = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
                                .region = "us-east-1",
                                .service = "service"};
  EXPECT_EQ(AuthorizationValue(c.request, credentials, "20150830T123600Z",
                               HexEncode(Sha256(c.body)), /*normalize_path=*/true),
            TrimEnd(ReadFile(base + ".authz")));
}

INSTANTIATE_TEST_SUITE_P(Vectors, AwsSuite,
                         testing::ValuesIn(auth::testing_support::kAws4TestCases),
                         auth::testing_support::Aws4TestName);

const Credentials kS3Credentials{.access_key_id = "AKIAIOSFODNN7EXAMPLE",
                                 .secret_access_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                                 .region = "us-east-1",
                                 .service = "s3"};

TEST(SignRequest, S3GetObjectExample) {
  auth::SignableRequest request{
      "GET", "/test.txt", "", {{"host", "examplebucket.s3.amazonaws.com"}, {"range", "bytes=0-9"}}};
  SignRequest(request, kS3Credentials, "20130524T000000Z", kEmptyPayloadSha256);
  ASSERT_EQ(request.headers.size(), 5u);
  EXPECT_EQ(request.headers[2],
            (std::pair<std::string, std::string>("x-amz-date", "20130524T000000Z")));
  EXPECT_EQ(request.headers[3].first, "x-amz-content-sha256");
  EXPECT_EQ(request.headers[4].first, "authorization");
  EXPECT_EQ(request.headers[4].second,
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
            "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
            "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
}

TEST(SignRequest, ConnectionHeadersAreNotSigned) {
  auth::SignableRequest request{"PUT",
                                "/b/k",
                                "",
                                {{"host", "h"},
                                 {"user-agent", "x"},
                                 {"content-length", "3"},
                                 {"transfer-encoding", "chunked"},
                                 {"content-type", "text/plain"},
                                 {"content-type", "text/plain"}}};
  EXPECT_EQ(SignedHeaderNames(request), (std::vector<std::string>{"content-type", "host"}));
}

TEST(PresignQuery, AwsQueryParameterExample) {
  auth::SignableRequest request{
      "GET", "/test.txt", "", {{"host", "examplebucket.s3.amazonaws.com"}}};
  EXPECT_EQ(PresignQuery(request, kS3Credentials, "20130524T000000Z", std::chrono::seconds(86400)),
            "X-Amz-Algorithm=AWS4-HMAC-SHA256"
            "&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request"
            "&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host"
            "&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404");
}

// UploadPart: the part number and upload id come first and are signed; extra headers are signed
// and listed in X-Amz-SignedHeaders.
TEST(PresignQuery, UploadPartWithSignedHeader) {
  auth::SignableRequest request{"PUT",
                                "/bucket/big%20file.bin",
                                "partNumber=3&uploadId=abc",
                                {{"host", "127.0.0.1:9000"}, {"content-type", "image/png"}}};
  const std::string query =
      PresignQuery(request, {.access_key_id = "AKID", .secret_access_key = "secret"},
                   "20240101T000000Z", std::chrono::seconds(3600));
  EXPECT_TRUE(query.starts_with(
      "partNumber=3&uploadId=abc&X-Amz-Algorithm=AWS4-HMAC-SHA256"
      "&X-Amz-Credential=AKID%2F20240101%2Fauto%2Fs3%2Faws4_request&X-Amz-Date=20240101T000000Z"
      "&X-Amz-Expires=3600&X-Amz-SignedHeaders=content-type%3Bhost&X-Amz-Signature="))
      << query;
  EXPECT_EQ(query.size() - query.rfind('=') - 1, 64u);

  // The server's verifier accepts the URL with the signed header, and refuses it without.
  const auth::CredentialLookup lookup = auth::FixedCredentials({{"AKID", "secret"}});
  const TimePoint now = *ParseAmzDate("20240101T000100Z");
  auth::SignableRequest used{"PUT", request.raw_path, query, request.headers};
  auto verified = auth::Authenticate(used, lookup, now);
  ASSERT_TRUE(verified.ok()) << verified.error().Message();
  EXPECT_TRUE(verified->presigned);
  used.headers[1].second = "image/gif";
  EXPECT_FALSE(auth::Authenticate(used, lookup, now).ok());
}

}  // namespace
// Temporary credentials: the token is signed in both forms, and the server's verifier hands it to
// the credential lookup.
TEST(SessionToken, SignedInBothFormsAndSeenByTheVerifier) {
  Credentials temporary{"CTEXAMPLE", "temp-secret", "auto", "s3", "cairn1.the-token"};
  auto seen = std::make_shared<std::string>();
  const auth::CredentialLookup lookup =
      [seen](std::string_view id,
             std::string_view token) -> Result<std::shared_ptr<const auth::Credential>> {
    *seen = std::string(token);
    if (id != "CTEXAMPLE") return Error(ErrorCode::kInvalidAccessKeyId);
    return std::shared_ptr<const auth::Credential>(std::make_shared<auth::Credential>(
        auth::Credential{{"temp-secret"}, std::make_shared<auth::Principal>()}));
  };
  const TimePoint now = *ParseAmzDate("20240101T000100Z");

  auth::SignableRequest header_signed{"GET", "/b/k", "", {{"host", "h"}}};
  SignRequest(header_signed, temporary, "20240101T000000Z", kUnsignedPayload);
  ASSERT_TRUE(auth::Authenticate(header_signed, lookup, now).ok());
  EXPECT_EQ(*seen, "cairn1.the-token");

  auth::SignableRequest presigned{"GET", "/b/k", "", {{"host", "h"}}};
  presigned.raw_query =
      PresignQuery(presigned, temporary, "20240101T000000Z", std::chrono::seconds(60));
  EXPECT_NE(presigned.raw_query.find("X-Amz-Security-Token=cairn1.the-token"), std::string::npos);
  seen->clear();
  ASSERT_TRUE(auth::Authenticate(presigned, lookup, now).ok());
  EXPECT_EQ(*seen, "cairn1.the-token");
}

}  // namespace cairn::client
