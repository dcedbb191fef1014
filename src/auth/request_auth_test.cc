// Authenticate() end to end: AWS's published S3 requests (single chunk, streaming seed, trailer
// seed, presigned GET) must be accepted as they are, and every way a request can be wrong must
// map to the S3 error a client expects.
#include "auth/request_auth.h"

#include <gtest/gtest.h>

#include <map>

#include "auth/fixed_credentials.h"
#include "common/ascii.h"
#include "common/encoding.h"
#include "common/hashing.h"

namespace cairn::auth {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;

constexpr char kAccessKey[] = "AKIAIOSFODNN7EXAMPLE";
constexpr char kSecret[] = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
constexpr char kEmptySha256[] = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
constexpr char kExampleDate[] = "20130524T000000Z";

TimePoint ExampleTime() {
  using namespace std::chrono;
  return time_point_cast<milliseconds>(sys_days{year{2013} / May / 24});
}

CredentialLookup Keys(std::map<std::string, std::string> keys = {{kAccessKey, kSecret}}) {
  return FixedCredentials(std::move(keys));
}

// "Example: GET Object" of the S3 SigV4 documentation.
SignableRequest GetObjectExample() {
  return {"GET",
          "/test.txt",
          "",
          {{"host", "examplebucket.s3.amazonaws.com"},
           {"range", "bytes=0-9"},
           {"x-amz-content-sha256", kEmptySha256},
           {"x-amz-date", kExampleDate},
           {"authorization",
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,"
            "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,"
            "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"}}};
}

void SetHeader(SignableRequest* request, const std::string& name, const std::string& value) {
  for (auto& [n, v] : request->headers) {
    if (n == name) {
      v = value;
      return;
    }
  }
  request->headers.emplace_back(name, value);
}

// Signs `request` the way a client does and adds its Authorization header.
void SignHeader(SignableRequest* request, const std::vector<std::string>& signed_headers,
                const std::string& payload_hash, const std::string& amz_date,
                const CredentialScope& scope, const std::string& access_key = kAccessKey,
                const std::string& secret = kSecret) {
  std::string canonical = CanonicalRequest(*request, signed_headers, payload_hash);
  std::string signature =
      Signature(SigningKey(secret, scope), StringToSign(amz_date, scope, canonical));
  std::string names;
  for (const std::string& name : signed_headers) names += (names.empty() ? "" : ";") + name;
  request->headers.emplace_back("authorization", "AWS4-HMAC-SHA256 Credential=" + access_key + "/" +
                                                     scope.ToString() + ", SignedHeaders=" + names +
                                                     ", Signature=" + signature);
}

// A PUT with its body hash signed, as cairn's client sends it.
SignableRequest SignedPut(const std::string& amz_date = kExampleDate,
                          const std::string& secret = kSecret) {
  SignableRequest request{"PUT", "/bucket/key", "", {}};
  SetHeader(&request, "host", "localhost:9000");
  SetHeader(&request, "x-amz-date", amz_date);
  SetHeader(&request, "x-amz-content-sha256", HexEncode(Sha256("hello")));
  SignHeader(&request, {"host", "x-amz-content-sha256", "x-amz-date"}, HexEncode(Sha256("hello")),
             amz_date, {amz_date.substr(0, 8), "auto", "s3"}, kAccessKey, secret);
  return request;
}

// A lookup that records the session token it was given and answers with `credential`.
struct RecordingLookup {
  std::shared_ptr<std::string> token_seen = std::make_shared<std::string>();
  Credential credential;
  CredentialLookup Lookup() const {
    return [*this](std::string_view,
                   std::string_view token) -> Result<std::shared_ptr<const Credential>> {
      *token_seen = std::string(token);
      return std::shared_ptr<const Credential>(std::make_shared<Credential>(credential));
    };
  }
};

// --- Authorization header ----------------------------------------------------------------------

TEST(AuthenticateHeader, AcceptsTheGetObjectExample) {
  Result<AuthContext> auth = Authenticate(GetObjectExample(), Keys(), ExampleTime() + minutes(5));
  ASSERT_TRUE(auth.ok()) << auth.error().Message();
  EXPECT_EQ(auth->access_key_id, kAccessKey);
  EXPECT_FALSE(auth->presigned);
  EXPECT_EQ(auth->payload_mode, PayloadMode::kSha256Literal);
  EXPECT_EQ(auth->payload_sha256_hex, kEmptySha256);
  EXPECT_EQ(auth->seed_signature,
            "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
  EXPECT_EQ(HexEncode(auth->signing_key),
            "dbb893acc010964918f1fd433add87c70e8b0db6be30c1fbeafefa5ec6ba8378");
  EXPECT_EQ(auth->amz_date, kExampleDate);
  EXPECT_EQ(auth->scope.ToString(), "20130524/us-east-1/s3/aws4_request");
}

TEST(AuthenticateHeader, ToleratesSpacesBetweenComponents) {
  for (const char* separator : {",", ", ", " ,  ", ",\t"}) {
    SignableRequest request = GetObjectExample();
    request.headers.pop_back();
    request.headers.emplace_back(
        "authorization",
        std::string("AWS4-HMAC-SHA256  Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/"
                    "aws4_request") +
            separator + "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date" + separator +
            "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
    EXPECT_TRUE(Authenticate(request, Keys(), ExampleTime()).ok()) << "'" << separator << "'";
  }
}

TEST(AuthenticateHeader, AcceptsTheStreamingSeedExample) {
  SignableRequest request{
      "PUT",
      "/examplebucket/chunkObject.txt",
      "",
      {{"host", "s3.amazonaws.com"},
       {"x-amz-date", kExampleDate},
       {"x-amz-storage-class", "REDUCED_REDUNDANCY"},
       {"authorization",
        "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,"
        "SignedHeaders=content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;"
        "x-amz-decoded-content-length;x-amz-storage-class,"
        "Signature=4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9"},
       {"x-amz-content-sha256", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD"},
       {"content-encoding", "aws-chunked"},
       {"x-amz-decoded-content-length", "66560"},
       {"content-length", "66824"}}};
  Result<AuthContext> auth = Authenticate(request, Keys(), ExampleTime());
  ASSERT_TRUE(auth.ok()) << auth.error().Message();
  EXPECT_EQ(auth->payload_mode, PayloadMode::kStreamingSigned);
  EXPECT_TRUE(IsAwsChunked(auth->payload_mode));
  EXPECT_FALSE(HasTrailer(auth->payload_mode));
  EXPECT_EQ(auth->seed_signature,
            "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9");
  EXPECT_TRUE(auth->payload_sha256_hex.empty());
}

TEST(AuthenticateHeader, AcceptsTheStreamingTrailerSeedExample) {
  // "Signature calculations for trailing headers (chunked uploads)": the seed request.
  SignableRequest request{
      "PUT",
      "/examplebucket/chunkObject.txt",
      "",
      {{"host", "s3.amazonaws.com"},
       {"x-amz-date", kExampleDate},
       {"x-amz-storage-class", "REDUCED_REDUNDANCY"},
       {"x-amz-content-sha256", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER"},
       {"content-encoding", "aws-chunked"},
       {"x-amz-decoded-content-length", "66560"},
       {"x-amz-trailer", "x-amz-checksum-crc32c"},
       {"authorization",
        "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,"
        "SignedHeaders=content-encoding;host;x-amz-content-sha256;x-amz-date;"
        "x-amz-decoded-content-length;x-amz-storage-class;x-amz-trailer,"
        "Signature=106e2a8a18243abcf37539882f36619c00e2dfc72633413f02d3b74544bfeb8e"}}};
  Result<AuthContext> auth = Authenticate(request, Keys(), ExampleTime());
  ASSERT_TRUE(auth.ok()) << auth.error().Message();
  EXPECT_EQ(auth->payload_mode, PayloadMode::kStreamingSignedTrailer);
  EXPECT_TRUE(HasTrailer(auth->payload_mode));
}

TEST(AuthenticateHeader, PayloadModes) {
  struct Case {
    const char* value;
    PayloadMode mode;
  } cases[] = {
      {"UNSIGNED-PAYLOAD", PayloadMode::kUnsignedPayload},
      {"STREAMING-UNSIGNED-PAYLOAD-TRAILER", PayloadMode::kStreamingUnsignedTrailer},
      {"STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER", PayloadMode::kStreamingSignedTrailer},
  };
  for (const Case& c : cases) {
    SignableRequest request{"PUT", "/b/k", "", {{"host", "h"}, {"x-amz-date", kExampleDate}}};
    SetHeader(&request, "x-amz-content-sha256", c.value);
    SignHeader(&request, {"host", "x-amz-content-sha256", "x-amz-date"}, c.value, kExampleDate,
               {"20130524", "auto", "s3"});
    Result<AuthContext> auth = Authenticate(request, Keys(), ExampleTime());
    ASSERT_TRUE(auth.ok()) << c.value << ": " << auth.error().Message();
    EXPECT_EQ(auth->payload_mode, c.mode) << c.value;
  }
}

TEST(AuthenticateHeader, AnyRegionIsAccepted) {
  Result<AuthContext> auth = Authenticate(SignedPut(), Keys(), ExampleTime());
  ASSERT_TRUE(auth.ok()) << auth.error().Message();
  EXPECT_EQ(auth->scope.region, "auto");
  EXPECT_EQ(auth->payload_sha256_hex, HexEncode(Sha256("hello")));
}

// A GET dated by its Date header alone, signed for kExampleDate: the string to sign carries the
// time in ISO 8601 basic form even then.
Result<AuthContext> AuthenticateDatedBy(std::string_view date) {
  SignableRequest request{"GET", "/b/k", "", {{"host", "h"}}};
  SetHeader(&request, "date", std::string(date));
  SetHeader(&request, "x-amz-content-sha256", kEmptySha256);
  SignHeader(&request, {"date", "host", "x-amz-content-sha256"}, kEmptySha256, kExampleDate,
             {"20130524", "us-east-1", "s3"});
  return Authenticate(request, Keys(), ExampleTime());
}

TEST(AuthenticateHeader, AcceptsTheDateHeaderInsteadOfXAmzDate) {
  // GMT as HTTP writes it; -0000 as botocore writes it (email.utils.formatdate); any other zone
  // names the same instant after conversion.
  for (const char* date : {"Fri, 24 May 2013 00:00:00 GMT", "Fri, 24 May 2013 00:00:00 -0000",
                           "Fri, 24 May 2013 00:00:00 +0000", "Fri, 24 May 2013 01:00:00 +0100",
                           "Thu, 23 May 2013 19:00:00 -0500"}) {
    Result<AuthContext> auth = AuthenticateDatedBy(date);
    ASSERT_TRUE(auth.ok()) << date << ": " << auth.error().Message();
    EXPECT_EQ(auth->amz_date, kExampleDate) << date;
  }
}

TEST(AuthenticateHeader, RefusesADateHeaderItCannotRead) {
  for (const char* date : {"Fri, 24 May 2013 00:00:00 UTC", "Fri, 24 May 2013 00:00:00 +00:00",
                           "Fri, 24 May 2013 00:00:00 +2500", "2013-05-24T00:00:00Z"}) {
    Result<AuthContext> auth = AuthenticateDatedBy(date);
    ASSERT_FALSE(auth.ok()) << date;
    EXPECT_EQ(auth.error().code, ErrorCode::kAccessDenied) << date;
  }
}

TEST(AuthenticateHeader, KeysWithReservedCharactersRoundTrip) {
  // The client encodes the key once, keeping '/', as the SDKs do; '+' and ' ' are both in it.
  std::string key = "dir/a b+c/../~x/%";
  SignableRequest request{"GET",
                          "/bucket/" + UriEncode(key, true),
                          "prefix=a%2Bb&list-type=2",
                          {{"host", "h"}, {"x-amz-date", kExampleDate}}};
  SetHeader(&request, "x-amz-content-sha256", "UNSIGNED-PAYLOAD");
  SignHeader(&request, {"host", "x-amz-content-sha256", "x-amz-date"}, "UNSIGNED-PAYLOAD",
             kExampleDate, {"20130524", "auto", "s3"});
  EXPECT_TRUE(Authenticate(request, Keys(), ExampleTime()).ok());
}

TEST(AuthenticateHeader, ClockSkew) {
  EXPECT_TRUE(Authenticate(SignedPut(), Keys(), ExampleTime() + minutes(14)).ok());
  EXPECT_TRUE(Authenticate(SignedPut(), Keys(), ExampleTime() - minutes(14)).ok());
  for (auto now : {ExampleTime() + minutes(16), ExampleTime() - minutes(16)}) {
    Result<AuthContext> auth = Authenticate(SignedPut(), Keys(), now);
    ASSERT_FALSE(auth.ok());
    EXPECT_EQ(auth.error().code, ErrorCode::kRequestTimeTooSkewed);
  }
  AuthOptions strict;
  strict.max_clock_skew = seconds(30);
  EXPECT_EQ(Authenticate(SignedPut(), Keys(), ExampleTime() + minutes(1), strict).error().code,
            ErrorCode::kRequestTimeTooSkewed);
}

TEST(AuthenticateHeader, WrongSecret) {
  Result<AuthContext> auth =
      Authenticate(SignedPut(kExampleDate, "not-the-secret"), Keys(), ExampleTime());
  ASSERT_FALSE(auth.ok());
  EXPECT_EQ(auth.error().code, ErrorCode::kSignatureDoesNotMatch);
}

TEST(AuthenticateHeader, UnknownKey) {
  Result<AuthContext> auth = Authenticate(SignedPut(), Keys({{"OTHER", kSecret}}), ExampleTime());
  ASSERT_FALSE(auth.ok());
  EXPECT_EQ(auth.error().code, ErrorCode::kInvalidAccessKeyId);
}

TEST(AuthenticateHeader, TamperedRequests) {
  std::vector<std::function<void(SignableRequest*)>> tampers = {
      [](SignableRequest* r) { SetHeader(r, "range", "bytes=0-99"); },
      [](SignableRequest* r) { r->raw_path = "/test.txt2"; },
      [](SignableRequest* r) { r->raw_query = "x=1"; },
      [](SignableRequest* r) { r->method = "DELETE"; },
      [](SignableRequest* r) { SetHeader(r, "host", "evil.example.com"); },
  };
  for (size_t i = 0; i < tampers.size(); ++i) {
    SignableRequest request = GetObjectExample();
    tampers[i](&request);
    Result<AuthContext> auth = Authenticate(request, Keys(), ExampleTime());
    ASSERT_FALSE(auth.ok()) << i;
    EXPECT_EQ(auth.error().code, ErrorCode::kSignatureDoesNotMatch) << i;
  }
}

TEST(AuthenticateHeader, Anonymous) {
  SignableRequest request{"GET", "/bucket/key", "", {{"host", "h"}}};
  Result<AuthContext> auth = Authenticate(request, Keys(), ExampleTime());
  ASSERT_FALSE(auth.ok());
  EXPECT_EQ(auth.error().code, ErrorCode::kAccessDenied);
}

TEST(AuthenticateHeader, ContentSha256IsRequiredAndChecked) {
  SignableRequest missing{"GET", "/b/k", "", {{"host", "h"}, {"x-amz-date", kExampleDate}}};
  SignHeader(&missing, {"host", "x-amz-date"}, kEmptySha256, kExampleDate,
             {"20130524", "auto", "s3"});
  Result<AuthContext> auth = Authenticate(missing, Keys(), ExampleTime());
  ASSERT_FALSE(auth.ok());
  EXPECT_EQ(auth.error().code, ErrorCode::kInvalidRequest);
  EXPECT_NE(auth.error().Message().find("x-amz-content-sha256"), std::string_view::npos);

  for (const char* bad : {"STREAMING-PAYLOAD", "abc", "unsigned-payload", ""}) {
    SignableRequest request{"GET", "/b/k", "", {{"host", "h"}, {"x-amz-date", kExampleDate}}};
    SetHeader(&request, "x-amz-content-sha256", bad);
    SignHeader(&request, {"host", "x-amz-content-sha256", "x-amz-date"}, bad, kExampleDate,
               {"20130524", "auto", "s3"});
    Result<AuthContext> result = Authenticate(request, Keys(), ExampleTime());
    ASSERT_FALSE(result.ok()) << bad;
    EXPECT_EQ(result.error().code, ErrorCode::kInvalidArgument) << bad;
  }
}

TEST(AuthenticateHeader, MissingDate) {
  SignableRequest request = GetObjectExample();
  request.headers.erase(request.headers.begin() + 3);  // x-amz-date
  Result<AuthContext> auth = Authenticate(request, Keys(), ExampleTime());
  ASSERT_FALSE(auth.ok());
  EXPECT_EQ(auth.error().code, ErrorCode::kAccessDenied);
}

TEST(AuthenticateHeader, MalformedAuthorizationHeaders) {
  const std::string sig =
      "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41";
  const std::string cred = "Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request";
  const std::string headers = "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date";
  struct Case {
    std::string header;
    ErrorCode code;
  } cases[] = {
      {"AWS4-HMAC-SHA256 " + cred + ", " + headers, ErrorCode::kAuthorizationHeaderMalformed},
      {"AWS4-HMAC-SHA256 " + cred + ", " + sig, ErrorCode::kAuthorizationHeaderMalformed},
      {"AWS4-HMAC-SHA256 " + headers + ", " + sig, ErrorCode::kAuthorizationHeaderMalformed},
      {"AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3, " + headers + ", " +
           sig,
       ErrorCode::kAuthorizationHeaderMalformed},
      {"AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/2013-05-24/us-east-1/s3/aws4_request, " +
           headers + ", " + sig,
       ErrorCode::kAuthorizationHeaderMalformed},
      {"AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/ec2/aws4_request, " +
           headers + ", " + sig,
       ErrorCode::kAuthorizationHeaderMalformed},
      // The credential date must be the request's date.
      {"AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130525/us-east-1/s3/aws4_request, " +
           headers + ", " + sig,
       ErrorCode::kAuthorizationHeaderMalformed},
      {"AWS4-HMAC-SHA256 " + cred + ", SignedHeaders=range;x-amz-date, " + sig,
       ErrorCode::kAuthorizationHeaderMalformed},
      {"AWS4-HMAC-SHA256 " + cred + ", SignedHeaders=host;;x-amz-date, " + sig,
       ErrorCode::kAuthorizationHeaderMalformed},
      {"AWS4-HMAC-SHA256 " + cred + ", " + headers + ", Signature=xyz",
       ErrorCode::kAuthorizationHeaderMalformed},
      {"AWS4-HMAC-SHA256 " + cred + ", " + headers + ", " + sig + ", Extra=1",
       ErrorCode::kAuthorizationHeaderMalformed},
      {"AWS4-HMAC-SHA256 " + cred + ", " + cred + ", " + headers + ", " + sig,
       ErrorCode::kAuthorizationHeaderMalformed},
      {"AWS4-HMAC-SHA256 " + cred + " " + headers + ", " + sig,
       ErrorCode::kAuthorizationHeaderMalformed},
      {"AWS4-HMAC-SHA256", ErrorCode::kInvalidArgument},
      {"AWS4-HMAC-SHA256," + cred + ", " + headers + ", " + sig, ErrorCode::kInvalidArgument},
      {"AWS4-ECDSA-P256-SHA256 " + cred + ", " + headers + ", " + sig, ErrorCode::kInvalidArgument},
      {"Bearer abc", ErrorCode::kInvalidArgument},
      {"AWS AKIAIOSFODNN7EXAMPLE:frJIUN8DYpKDtOLCwo//yllqDzg=", ErrorCode::kInvalidRequest},
  };
  for (const Case& c : cases) {
    SignableRequest request = GetObjectExample();
    request.headers.back().second = c.header;
    Result<AuthContext> auth = Authenticate(request, Keys(), ExampleTime());
    ASSERT_FALSE(auth.ok()) << c.header;
    EXPECT_EQ(auth.error().code, c.code) << c.header << ": " << auth.error().Message();
  }
}

TEST(AuthenticateHeader, TwoAuthorizationHeaders) {
  SignableRequest request = GetObjectExample();
  request.headers.push_back(request.headers.back());
  EXPECT_EQ(Authenticate(request, Keys(), ExampleTime()).error().code,
            ErrorCode::kAuthorizationHeaderMalformed);
}

// --- Presigned URLs ----------------------------------------------------------------------------

// "Example: Presigned URL for a GET" of the S3 query-parameter authentication page.
constexpr char kPresignedQuery[] =
    "X-Amz-Algorithm=AWS4-HMAC-SHA256"
    "&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request"
    "&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host"
    "&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404";

SignableRequest PresignedExample(std::string query = kPresignedQuery) {
  return {"GET", "/test.txt", std::move(query), {{"host", "examplebucket.s3.amazonaws.com"}}};
}

// Presigns a GET as a client does: the query without the signature is signed.
SignableRequest Presign(const std::string& extra_query, int expires_seconds,
                        const std::string& amz_date = kExampleDate,
                        const std::string& service = "s3") {
  CredentialScope scope{amz_date.substr(0, 8), "auto", service};
  SignableRequest request{"GET", "/bucket/key", "", {{"host", "localhost:9000"}}};
  request.raw_query = "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=" +
                      UriEncode(std::string(kAccessKey) + "/" + scope.ToString(), false) +
                      "&X-Amz-Date=" + amz_date +
                      "&X-Amz-Expires=" + std::to_string(expires_seconds) +
                      "&X-Amz-SignedHeaders=host" + extra_query;
  std::string payload = "UNSIGNED-PAYLOAD";
  if (size_t at = extra_query.find("X-Amz-Content-Sha256="); at != std::string::npos) {
    payload = extra_query.substr(at + 21, 64);
  }
  std::string canonical = CanonicalRequest(request, {"host"}, payload);
  std::string signature =
      Signature(SigningKey(kSecret, scope), StringToSign(amz_date, scope, canonical));
  request.raw_query += "&X-Amz-Signature=" + signature;
  return request;
}

TEST(AuthenticatePresigned, AcceptsThePresignedGetExample) {
  Result<AuthContext> auth = Authenticate(PresignedExample(), Keys(), ExampleTime() + minutes(30));
  ASSERT_TRUE(auth.ok()) << auth.error().Message();
  EXPECT_TRUE(auth->presigned);
  EXPECT_EQ(auth->payload_mode, PayloadMode::kUnsignedPayload);
  EXPECT_EQ(auth->access_key_id, kAccessKey);
  EXPECT_EQ(auth->seed_signature,
            "aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404");
}

TEST(AuthenticatePresigned, ParameterOrderDoesNotMatter) {
  std::string query =
      "X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404"
      "&X-Amz-SignedHeaders=host&X-Amz-Expires=86400&X-Amz-Date=20130524T000000Z"
      "&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request"
      "&X-Amz-Algorithm=AWS4-HMAC-SHA256";
  EXPECT_TRUE(Authenticate(PresignedExample(query), Keys(), ExampleTime()).ok());
}

TEST(AuthenticatePresigned, Expiry) {
  EXPECT_TRUE(Authenticate(PresignedExample(), Keys(), ExampleTime() + seconds(86400)).ok());
  Result<AuthContext> expired =
      Authenticate(PresignedExample(), Keys(), ExampleTime() + seconds(86401));
  ASSERT_FALSE(expired.ok());
  EXPECT_EQ(expired.error().code, ErrorCode::kAccessDenied);
  EXPECT_EQ(expired.error().Message(), "Request has expired");

  // Made in the future (beyond the clock skew allowance): not valid yet.
  Result<AuthContext> early = Authenticate(PresignedExample(), Keys(), ExampleTime() - minutes(20));
  ASSERT_FALSE(early.ok());
  EXPECT_EQ(early.error().code, ErrorCode::kAccessDenied);
  EXPECT_TRUE(Authenticate(PresignedExample(), Keys(), ExampleTime() - minutes(10)).ok());
}

TEST(AuthenticatePresigned, ExpiresMustBeInRange) {
  EXPECT_TRUE(Authenticate(Presign("", 1), Keys(), ExampleTime()).ok());
  EXPECT_TRUE(Authenticate(Presign("", 604800), Keys(), ExampleTime()).ok());
  for (int expires : {0, 604801, 99999999}) {
    Result<AuthContext> auth = Authenticate(Presign("", expires), Keys(), ExampleTime());
    ASSERT_FALSE(auth.ok()) << expires;
    EXPECT_EQ(auth.error().code, ErrorCode::kAuthorizationQueryParametersError) << expires;
  }
}

TEST(AuthenticatePresigned, AnEmptyServiceIsS3AsAws4fetchSignsIt) {
  // aws4fetch 1.0.20 cannot guess the service of a custom endpoint: it signs an empty one by
  // SigV4's generic rules (path encoded twice, the empty body's hash). This URL is what it made
  // for `new AwsClient({accessKeyId, secretAccessKey})` and a PUT of this key.
  const SignableRequest from_aws4fetch{
      "PUT",
      "/bucket/photos/caf%C3%A9%20menu.png",
      "X-Amz-Expires=3600&X-Amz-Date=20130524T000000Z&X-Amz-Algorithm=AWS4-HMAC-SHA256"
      "&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2F%2Faws4_request"
      "&X-Amz-SignedHeaders=host"
      "&X-Amz-Signature=88764160056414e436562f6681ebdd42f03c55f2f5098f2f76282232fb6a2f04",
      {{"host", "localhost:9000"}}};
  Result<AuthContext> auth = Authenticate(from_aws4fetch, Keys(), ExampleTime());
  ASSERT_TRUE(auth.ok()) << auth.error().Message();
  EXPECT_EQ(auth->scope.ToString(), "20130524/us-east-1//aws4_request");
  EXPECT_EQ(auth->payload_mode, PayloadMode::kUnsignedPayload);  // the body comes later

  // The signature covers the scope as sent: one made for s3 does not pass as the empty service's.
  SignableRequest altered = Presign("", 3600);
  const size_t at = altered.raw_query.find("%2Fs3%2F");
  ASSERT_NE(at, std::string::npos);
  altered.raw_query.replace(at, 8, "%2F%2F");
  EXPECT_EQ(Authenticate(altered, Keys(), ExampleTime()).error().code,
            ErrorCode::kSignatureDoesNotMatch);

  Result<AuthContext> other =
      Authenticate(Presign("", 3600, kExampleDate, "ec2"), Keys(), ExampleTime());
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(other.error().Message(), "X-Amz-Credential names a service other than s3");
}

TEST(AuthenticatePresigned, ContentSha256FromTheQuery) {
  std::string hash = HexEncode(Sha256("body"));
  Result<AuthContext> auth =
      Authenticate(Presign("&X-Amz-Content-Sha256=" + hash, 3600), Keys(), ExampleTime());
  ASSERT_TRUE(auth.ok()) << auth.error().Message();
  EXPECT_EQ(auth->payload_mode, PayloadMode::kSha256Literal);
  EXPECT_EQ(auth->payload_sha256_hex, hash);
}

TEST(AuthenticatePresigned, SignedExtraParametersAreChecked) {
  // JavaScript's presigner signs a checksum into the URL; changing it breaks the signature.
  SignableRequest request = Presign("&x-amz-checksum-crc32=AAAAAA%3D%3D&x-id=PutObject", 3600);
  EXPECT_TRUE(Authenticate(request, Keys(), ExampleTime()).ok());
  size_t at = request.raw_query.find("AAAAAA");
  request.raw_query.replace(at, 6, "BBBBBB");
  EXPECT_EQ(Authenticate(request, Keys(), ExampleTime()).error().code,
            ErrorCode::kSignatureDoesNotMatch);
}

TEST(AuthenticatePresigned, WrongSignatureOrKey) {
  std::string query = kPresignedQuery;
  query.replace(query.size() - 4, 4, "0000");
  EXPECT_EQ(Authenticate(PresignedExample(query), Keys(), ExampleTime()).error().code,
            ErrorCode::kSignatureDoesNotMatch);
  EXPECT_EQ(Authenticate(PresignedExample(), Keys({{"X", "y"}}), ExampleTime()).error().code,
            ErrorCode::kInvalidAccessKeyId);
  SignableRequest other_path = PresignedExample();
  other_path.raw_path = "/other.txt";
  EXPECT_EQ(Authenticate(other_path, Keys(), ExampleTime()).error().code,
            ErrorCode::kSignatureDoesNotMatch);
}

TEST(AuthenticatePresigned, MalformedQueries) {
  auto without = [](const std::string& name) {
    std::string query = kPresignedQuery;
    size_t at = query.find(name + "=");
    size_t end = query.find('&', at);
    query.erase(at, end == std::string::npos ? std::string::npos : end - at + 1);
    if (!query.empty() && query.back() == '&') query.pop_back();
    return query;
  };
  auto replaced = [](const std::string& from, const std::string& to) {
    std::string query = kPresignedQuery;
    query.replace(query.find(from), from.size(), to);
    return query;
  };
  std::string cases[] = {
      without("X-Amz-Credential"),
      without("X-Amz-Date"),
      without("X-Amz-Expires"),
      without("X-Amz-SignedHeaders"),
      without("X-Amz-Signature"),
      replaced("AWS4-HMAC-SHA256", "AWS4-HMAC-SHA1"),
      replaced("X-Amz-Expires=86400", "X-Amz-Expires=soon"),
      replaced("X-Amz-Date=20130524T000000Z", "X-Amz-Date=2013-05-24"),
      replaced("%2Fs3%2F", "%2Fsqs%2F"),
      replaced("X-Amz-SignedHeaders=host", "X-Amz-SignedHeaders=range"),
      std::string(kPresignedQuery) + "&X-Amz-Date=20130524T000000Z",
  };
  for (const std::string& query : cases) {
    Result<AuthContext> auth = Authenticate(PresignedExample(query), Keys(), ExampleTime());
    ASSERT_FALSE(auth.ok()) << query;
    EXPECT_EQ(auth.error().code, ErrorCode::kAuthorizationQueryParametersError)
        << query << ": " << auth.error().Message();
  }
}

TEST(AuthenticatePresigned, HeaderAndQueryTogether) {
  SignableRequest request = PresignedExample();
  request.headers.emplace_back("authorization", GetObjectExample().headers.back().second);
  EXPECT_EQ(Authenticate(request, Keys(), ExampleTime()).error().code, ErrorCode::kInvalidArgument);
}

TEST(AuthenticatePresigned, SignatureVersion2IsRefused) {
  SignableRequest request{
      "GET", "/b/k", "AWSAccessKeyId=AK&Expires=1700000000&Signature=abc", {{"host", "h"}}};
  EXPECT_EQ(Authenticate(request, Keys(), ExampleTime()).error().code, ErrorCode::kInvalidRequest);
}

// A POST form signed with the example keys; the expected signature was computed independently
// --- Unsigned x-amz-* headers ------------------------------------------------------------------

// A request holder must not add what the signer did not sign: x-amz-* headers choose operations
// and set what is stored.
TEST(UnsignedAmzHeaders, AddedToAPresignedUrlAreRefused) {
  for (const char* name : {"x-amz-copy-source", "x-amz-meta-owner", "x-amz-storage-class",
                           "x-amz-security-token", "X-Amz-Tagging"}) {
    SignableRequest request = Presign("", 3600);
    request.headers.emplace_back(name, "/bucket/secret/payroll.csv");
    Result<AuthContext> auth = Authenticate(request, Keys(), ExampleTime());
    ASSERT_FALSE(auth.ok()) << name;
    EXPECT_EQ(auth.error().code, ErrorCode::kAccessDenied) << name;
    EXPECT_NE(auth.error().Message().find("There were headers present in the request which were "
                                          "not signed"),
              std::string_view::npos);
    EXPECT_NE(auth.error().Message().find(AsciiLowercase(name)), std::string_view::npos);
  }
}

TEST(UnsignedAmzHeaders, AddedToAHeaderSignedRequestAreRefused) {
  SignableRequest request = SignedPut();
  request.headers.emplace_back("x-amz-meta-injected", "yes");
  request.headers.emplace_back("x-amz-meta-injected", "twice");  // named once in the message
  Result<AuthContext> auth = Authenticate(request, Keys(), ExampleTime());
  ASSERT_FALSE(auth.ok());
  EXPECT_EQ(auth.error().code, ErrorCode::kAccessDenied);
  EXPECT_EQ(auth.error().Message(),
            "There were headers present in the request which were not signed: "
            "x-amz-meta-injected");
}

TEST(UnsignedAmzHeaders, CheckedBeforeTheKeyOrSignature) {
  // The answer is the same whoever signed: it does not depend on the secret.
  SignableRequest request = SignedPut(kExampleDate, "not the secret");
  request.headers.emplace_back("x-amz-copy-source", "/b/k");
  Result<AuthContext> auth = Authenticate(request, Keys(), ExampleTime());
  ASSERT_FALSE(auth.ok());
  EXPECT_EQ(auth.error().code, ErrorCode::kAccessDenied);
}

TEST(UnsignedAmzHeaders, SignedOnesAreAccepted) {
  SignableRequest request{"PUT", "/bucket/key", "", {}};
  SetHeader(&request, "host", "localhost:9000");
  SetHeader(&request, "x-amz-date", kExampleDate);
  SetHeader(&request, "x-amz-content-sha256", kEmptySha256);
  SetHeader(&request, "x-amz-copy-source", "/bucket/source");
  SetHeader(&request, "x-amz-meta-a", "1");
  SignHeader(&request,
             {"host", "x-amz-content-sha256", "x-amz-copy-source", "x-amz-date", "x-amz-meta-a"},
             kEmptySha256, kExampleDate, {"20130524", "auto", "s3"});
  Result<AuthContext> auth = Authenticate(request, Keys(), ExampleTime());
  EXPECT_TRUE(auth.ok()) << auth.error().Message();
}

// Their values are what the string to sign carries anyway, so they may be left out of the list.
TEST(UnsignedAmzHeaders, ContentSha256AndDateMayGoUnlistedWithTheSignedValues) {
  SignableRequest request{"GET", "/b/k", "", {{"host", "h"}}};
  SetHeader(&request, "x-amz-date", kExampleDate);
  SetHeader(&request, "x-amz-content-sha256", kEmptySha256);
  SignHeader(&request, {"host"}, kEmptySha256, kExampleDate, {"20130524", "us-east-1", "s3"});
  Result<AuthContext> auth = Authenticate(request, Keys(), ExampleTime());
  EXPECT_TRUE(auth.ok()) << auth.error().Message();

  SignableRequest presigned = Presign("", 3600);
  presigned.headers.emplace_back("x-amz-content-sha256", "UNSIGNED-PAYLOAD");
  presigned.headers.emplace_back("x-amz-date", kExampleDate);
  auth = Authenticate(presigned, Keys(), ExampleTime());
  EXPECT_TRUE(auth.ok()) << auth.error().Message();

  // Any other value would be a claim the signature does not make.
  for (auto [name, value] : {std::pair{"x-amz-content-sha256", kEmptySha256},
                             std::pair{"x-amz-date", "20130524T000001Z"}}) {
    SignableRequest changed = Presign("", 3600);
    changed.headers.emplace_back(name, value);
    auth = Authenticate(changed, Keys(), ExampleTime());
    ASSERT_FALSE(auth.ok()) << name;
    EXPECT_EQ(auth.error().code, ErrorCode::kAccessDenied) << name;
  }
}

// Headers hoisted into a presigned URL's query are signed as part of the canonical query.
TEST(UnsignedAmzHeaders, QueryParametersAreSigned) {
  SignableRequest request = Presign("&x-amz-meta-a=1", 3600);
  EXPECT_TRUE(Authenticate(request, Keys(), ExampleTime()).ok());
}

TEST(UnsignedAmzHeaders, OtherUnsignedHeadersAreLeftAlone) {
  // Content-Type is not x-amz-*: S3 accepts it unsigned on a presigned PUT, and so does cairn.
  SignableRequest request = Presign("", 3600);
  request.headers.emplace_back("content-type", "image/png");
  request.headers.emplace_back("user-agent", "curl");
  request.headers.emplace_back("amz-sdk-invocation-id", "1");
  EXPECT_TRUE(Authenticate(request, Keys(), ExampleTime()).ok());
}

TEST(ClaimedAccessKeyId, FromEitherForm) {
  EXPECT_EQ(ClaimedAccessKeyId(GetObjectExample()), kAccessKey);
  EXPECT_EQ(ClaimedAccessKeyId(PresignedExample()), kAccessKey);
  SignableRequest malformed{"GET", "/", "", {{"authorization", "AWS4-HMAC-SHA256 Credential=abc"}}};
  EXPECT_EQ(ClaimedAccessKeyId(malformed), "abc");
  malformed.headers = {{"authorization", "AWS4-HMAC-SHA256 Credential=abc, Signature=x"}};
  EXPECT_EQ(ClaimedAccessKeyId(malformed), "abc");
  EXPECT_EQ(ClaimedAccessKeyId(SignableRequest{"GET", "/", "", {}}), "");
  EXPECT_EQ(ClaimedAccessKeyId(SignableRequest{"GET", "/", "X-Amz-Credential=k%2F2013", {}}), "k");
}

// (Python's hmac) over this base64 policy with the 20151229/us-east-1/s3 signing key.
constexpr char kPostPolicy[] =
    "eyJleHBpcmF0aW9uIjoiMjAxNS0xMi0zMFQxMjowMDowMC4wMDBaIiwiY29uZGl0aW9ucyI6W3siYnVja2V0Ijoic2ln"
    "djRleGFtcGxlYnVja2V0In0sWyJzdGFydHMtd2l0aCIsIiRrZXkiLCJ1c2VyL3VzZXIxLyJdLHsieC1hbXotY3JlZGVu"
    "dGlhbCI6IkFLSUFJT1NGT0ROTjdFWEFNUExFLzIwMTUxMjI5L3VzLWVhc3QtMS9zMy9hd3M0X3JlcXVlc3QifSx7Ingt"
    "YW16LWFsZ29yaXRobSI6IkFXUzQtSE1BQy1TSEEyNTYifSx7IngtYW16LWRhdGUiOiIyMDE1MTIyOVQwMDAwMDBaIn1d"
    "fQ==";
constexpr char kPostSignature[] =
    "9332eced427c3e56c23189315489b88e2980a2190a169760a117ac6287b8e41d";

PostPolicyForm PostExample() {
  return {"AWS4-HMAC-SHA256", "AKIAIOSFODNN7EXAMPLE/20151229/us-east-1/s3/aws4_request",
          "20151229T000000Z", kPostSignature,
          kPostPolicy,        std::nullopt};
}

TEST(AuthenticatePostPolicy, AcceptsTheSignatureOfThePolicy) {
  Result<AuthContext> auth = AuthenticatePostPolicy(PostExample(), Keys());
  ASSERT_TRUE(auth.ok()) << auth.error().Message();
  EXPECT_EQ(auth->access_key_id, kAccessKey);
  EXPECT_EQ(auth->scope.ToString(), "20151229/us-east-1/s3/aws4_request");
  EXPECT_FALSE(auth->presigned);
}

TEST(AuthenticatePostPolicy, UppercaseHexSignatureIsTheSame) {
  std::string upper(kPostSignature);
  for (char& c : upper) {
    if (c >= 'a' && c <= 'f') c = static_cast<char>(c - 'a' + 'A');
  }
  PostPolicyForm form = PostExample();
  form.signature = upper;
  EXPECT_TRUE(AuthenticatePostPolicy(form, Keys()).ok());
}

TEST(AuthenticatePostPolicy, EachWayTheFormIsWrong) {
  using Field = std::optional<std::string_view> PostPolicyForm::*;
  struct Case {
    const char* what;
    Field field;
    std::optional<std::string_view> value;  // nullopt: the form lacks the field
    ErrorCode code;
  };
  constexpr ErrorCode kMismatch = ErrorCode::kSignatureDoesNotMatch;
  constexpr ErrorCode kInvalid = ErrorCode::kInvalidArgument;
  const Case cases[] = {
      {"other region in the scope", &PostPolicyForm::credential,
       "AKIAIOSFODNN7EXAMPLE/20151229/auto/s3/aws4_request", kMismatch},
      {"signature of other bytes", &PostPolicyForm::signature,
       "0000000000000000000000000000000000000000000000000000000000000000", kMismatch},
      {"signature not hex", &PostPolicyForm::signature, "not-a-signature", kMismatch},
      {"unknown key", &PostPolicyForm::credential, "AKIAUNKNOWN/20151229/us-east-1/s3/aws4_request",
       ErrorCode::kInvalidAccessKeyId},
      {"credential of another service", &PostPolicyForm::credential,
       "AKIAIOSFODNN7EXAMPLE/20151229/us-east-1/sqs/aws4_request", kInvalid},
      {"credential malformed", &PostPolicyForm::credential, "AKIAIOSFODNN7EXAMPLE", kInvalid},
      {"date malformed", &PostPolicyForm::amz_date, "2015-12-29", kInvalid},
      {"SigV2 algorithm", &PostPolicyForm::algorithm, "AWS4-HMAC-SHA1", kInvalid},
      {"no algorithm", &PostPolicyForm::algorithm, std::nullopt, kInvalid},
      {"no credential", &PostPolicyForm::credential, std::nullopt, kInvalid},
      {"no date", &PostPolicyForm::amz_date, std::nullopt, kInvalid},
      {"no signature", &PostPolicyForm::signature, std::nullopt, kInvalid},
  };
  for (const Case& c : cases) {
    PostPolicyForm form = PostExample();
    form.*c.field = c.value;
    Result<AuthContext> auth = AuthenticatePostPolicy(form, Keys());
    ASSERT_FALSE(auth.ok()) << c.what;
    EXPECT_EQ(auth.error().code, c.code) << c.what << ": " << auth.error().Message();
  }
  PostPolicyForm changed = PostExample();
  changed.policy = "eyJ9";  // the signature covers the policy's bytes
  EXPECT_EQ(AuthenticatePostPolicy(changed, Keys()).error().code, kMismatch);
}

TEST(AuthenticatePostPolicy, MissingFieldIsNamedAsS3NamesIt) {
  PostPolicyForm form = PostExample();
  form.credential.reset();
  EXPECT_EQ(AuthenticatePostPolicy(form, Keys()).error().Message(),
            "Bucket POST must contain a field named 'x-amz-credential'.  If it is specified, "
            "please check the order of the fields.");
}

}  // namespace

// --- Credentials: rotation grace, session tokens, who signed -----------------------------------

TEST(Credentials, EitherSecretOfAKeyInItsRotationGraceSigns) {
  auto principal = std::make_shared<Principal>();
  principal->access_key_id = kAccessKey;
  RecordingLookup lookup{.credential = {{"the-new-secret", kSecret}, principal}};
  Result<AuthContext> old_secret = Authenticate(SignedPut(), lookup.Lookup(), ExampleTime());
  ASSERT_TRUE(old_secret.ok()) << old_secret.error().Message();
  EXPECT_EQ(old_secret->principal, principal);
  EXPECT_TRUE(
      Authenticate(SignedPut(kExampleDate, "the-new-secret"), lookup.Lookup(), ExampleTime()).ok());
  EXPECT_EQ(
      Authenticate(SignedPut(kExampleDate, "a-third"), lookup.Lookup(), ExampleTime()).error().code,
      ErrorCode::kSignatureDoesNotMatch);
}

TEST(Credentials, TheSignedSessionTokenHeaderReachesTheLookup) {
  RecordingLookup lookup{.credential = {{kSecret}, std::make_shared<Principal>()}};
  SignableRequest request{"PUT", "/bucket/key", "", {}};
  SetHeader(&request, "host", "localhost:9000");
  SetHeader(&request, "x-amz-date", kExampleDate);
  SetHeader(&request, "x-amz-content-sha256", HexEncode(Sha256("hello")));
  SetHeader(&request, "x-amz-security-token", "the-token");
  SignableRequest unsigned_token = request;
  SignHeader(&request, {"host", "x-amz-content-sha256", "x-amz-date", "x-amz-security-token"},
             HexEncode(Sha256("hello")), kExampleDate, {"20130524", "auto", "s3"});
  ASSERT_TRUE(Authenticate(request, lookup.Lookup(), ExampleTime()).ok());
  EXPECT_EQ(*lookup.token_seen, "the-token");
  // A token that is not signed could be swapped: refused before any lookup.
  *lookup.token_seen = "";
  SignHeader(&unsigned_token, {"host", "x-amz-content-sha256", "x-amz-date"},
             HexEncode(Sha256("hello")), kExampleDate, {"20130524", "auto", "s3"});
  EXPECT_EQ(Authenticate(unsigned_token, lookup.Lookup(), ExampleTime()).error().code,
            ErrorCode::kAccessDenied);
  EXPECT_EQ(*lookup.token_seen, "");
}

TEST(Credentials, ThePresignedSessionTokenReachesTheLookup) {
  RecordingLookup lookup{.credential = {{kSecret}, std::make_shared<Principal>()}};
  ASSERT_TRUE(
      Authenticate(Presign("&X-Amz-Security-Token=tok%2Fen", 60), lookup.Lookup(), ExampleTime())
          .ok());
  EXPECT_EQ(*lookup.token_seen, "tok/en");
}

TEST(Credentials, LookupErrorsAreAnsweredAsTheyAre) {
  for (ErrorCode code :
       {ErrorCode::kExpiredToken, ErrorCode::kInvalidToken, ErrorCode::kInvalidAccessKeyId}) {
    CredentialLookup failing =
        [code](std::string_view, std::string_view) -> Result<std::shared_ptr<const Credential>> {
      return Error(code);
    };
    EXPECT_EQ(Authenticate(SignedPut(), failing, ExampleTime()).error().code, code);
  }
}

TEST(Credentials, AnonymousMeansNoSignatureInEitherForm) {
  EXPECT_TRUE(IsAnonymous({"GET", "/b/k", "", {{"host", "h"}}}));
  EXPECT_TRUE(IsAnonymous({"GET", "/b/k", "versionId=1&response-x=y", {{"host", "h"}}}));
  EXPECT_FALSE(IsAnonymous(SignedPut()));
  EXPECT_FALSE(IsAnonymous(Presign("", 60)));
  EXPECT_FALSE(IsAnonymous({"GET", "/b/k", "X-Amz-Credential=x", {}}));
  EXPECT_FALSE(IsAnonymous({"GET", "/b/k", "AWSAccessKeyId=x&Signature=y", {}}));
}

}  // namespace cairn::auth
