// SigV4 against published answers: AWS's generic test suite (tests/data/aws4_testsuite, run with
// path normalisation) and the four S3 examples of "Signature Calculations for the Authorization
// Header: Transferring Payload in a Single Chunk", which pin the S3 rules (no normalisation,
// x-amz-content-sha256 signed).
#include "auth/sigv4.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "auth/aws4_test_cases.h"
#include "common/encoding.h"
#include "common/hashing.h"

namespace cairn::auth {
namespace {

constexpr char kEmptySha256[] = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << "cannot open " << path;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string StripFinalNewline(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  return s;
}

// A .req file: request line, headers (continuation lines start with whitespace), blank line, body.
struct SuiteRequest {
  SignableRequest request;
  std::string body;
};

SuiteRequest ParseSuiteRequest(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(line);
  }
  SuiteRequest out;
  const std::string& first = lines.at(0);
  size_t space = first.find(' ');
  size_t version = first.rfind(" HTTP/");
  out.request.method = first.substr(0, space);
  std::string target = first.substr(space + 1, version - space - 1);
  size_t question = target.find('?');
  out.request.raw_path = target.substr(0, question);
  if (question != std::string::npos) out.request.raw_query = target.substr(question + 1);
  size_t i = 1;
  for (; i < lines.size() && !lines[i].empty(); ++i) {
    const std::string& line = lines[i];
    if (line[0] == ' ' || line[0] == '\t') {
      out.request.headers.back().second += line;  // folded: CanonicalRequest squeezes the spaces
      continue;
    }
    size_t colon = line.find(':');
    std::string name = line.substr(0, colon);
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    out.request.headers.emplace_back(name, line.substr(colon + 1));
  }
  for (++i; i < lines.size(); ++i) {
    if (!out.body.empty()) out.body += "\n";
    out.body += lines[i];
  }
  return out;
}

std::string Between(const std::string& text, const std::string& start, const std::string& end) {
  size_t from = text.find(start);
  EXPECT_NE(from, std::string::npos) << start << " not in " << text;
  from += start.size();
  size_t to = end.empty() ? std::string::npos : text.find(end, from);
  return text.substr(from, to == std::string::npos ? std::string::npos : to - from);
}

std::vector<std::string> SplitSemicolons(const std::string& s) {
  std::vector<std::string> out;
  std::istringstream in(s);
  for (std::string item; std::getline(in, item, ';');) out.push_back(item);
  return out;
}

class AwsTestSuite : public testing::TestWithParam<const char*> {};

TEST_P(AwsTestSuite, CanonicalRequestStringToSignAndSignature) {
  std::string dir = std::string(CAIRN_TEST_DATA_DIR) + "/aws4_testsuite/" + GetParam();
  std::string name = dir.substr(dir.rfind('/') + 1);
  std::string base = dir + "/" + name;
  SuiteRequest req = ParseSuiteRequest(ReadFile(base + ".req"));
  std::string creq = StripFinalNewline(ReadFile(base + ".creq"));
  std::string sts = StripFinalNewline(ReadFile(base + ".sts"));
  std::string authz = StripFinalNewline(ReadFile(base + ".authz"));

  std::vector<std::string> signed_headers = SplitSemicolons(Between(authz, "SignedHeaders=", ","));
  std::string payload_hash = HexEncode(Sha256(req.body));
  std::string canonical =
      CanonicalRequest(req.request, signed_headers, payload_hash, /*normalize_path=*/true);
  EXPECT_EQ(canonical, creq);

  CredentialScope scope{"20150830", "us-east-1", "service"};
  std::string string_to_sign = StringToSign("20150830T123600Z", scope, canonical);
  EXPECT_EQ(string_to_sign, sts);

  std::string key = SigningKey("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", scope);
  EXPECT_EQ(Signature(key, string_to_sign), Between(authz, "Signature=", ""));
}

INSTANTIATE_TEST_SUITE_P(Vectors, AwsTestSuite, testing::ValuesIn(testing_support::kAws4TestCases),
                         testing_support::Aws4TestName);

// --- The S3 examples: examplebucket, 20130524T000000Z, us-east-1 -----------------------------

const CredentialScope kS3Scope{"20130524", "us-east-1", "s3"};
constexpr char kS3Secret[] = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
constexpr char kS3Host[] = "examplebucket.s3.amazonaws.com";
constexpr char kS3Date[] = "20130524T000000Z";

struct S3Example {
  std::string canonical;
  std::string string_to_sign;
  std::string signature;
};

S3Example SignS3Example(const SignableRequest& request, std::string_view payload_hash) {
  std::vector<std::string> names;
  for (const auto& [name, value] : request.headers) names.push_back(name);
  S3Example out;
  out.canonical = CanonicalRequest(request, names, payload_hash);
  out.string_to_sign = StringToSign(kS3Date, kS3Scope, out.canonical);
  out.signature = Signature(SigningKey(kS3Secret, kS3Scope), out.string_to_sign);
  return out;
}

std::string LastLine(const std::string& s) { return s.substr(s.rfind('\n') + 1); }

TEST(S3Examples, SigningKey) {
  EXPECT_EQ(HexEncode(SigningKey(kS3Secret, kS3Scope)),
            "dbb893acc010964918f1fd433add87c70e8b0db6be30c1fbeafefa5ec6ba8378");
  EXPECT_EQ(kS3Scope.ToString(), "20130524/us-east-1/s3/aws4_request");
}

TEST(S3Examples, GetObjectWithRange) {
  SignableRequest request{"GET",
                          "/test.txt",
                          "",
                          {{"host", kS3Host},
                           {"range", "bytes=0-9"},
                           {"x-amz-content-sha256", kEmptySha256},
                           {"x-amz-date", kS3Date}}};
  S3Example got = SignS3Example(request, kEmptySha256);
  EXPECT_EQ(
      got.canonical,
      "GET\n/test.txt\n\nhost:examplebucket.s3.amazonaws.com\nrange:bytes=0-9\n"
      "x-amz-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n"
      "x-amz-date:20130524T000000Z\n\nhost;range;x-amz-content-sha256;x-amz-date\n"
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(LastLine(got.string_to_sign),
            "7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972");
  EXPECT_EQ(got.signature, "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
}

TEST(S3Examples, PutObject) {
  std::string body_hash = HexEncode(Sha256("Welcome to Amazon S3."));
  EXPECT_EQ(body_hash, "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072");
  // The key has a '$', which UriEncode escapes; the client may send it raw or as %24.
  for (const char* path : {"/test$file.text", "/test%24file.text"}) {
    SignableRequest request{"PUT",
                            path,
                            "",
                            {{"date", "Fri, 24 May 2013 00:00:00 GMT"},
                             {"host", kS3Host},
                             {"x-amz-content-sha256", body_hash},
                             {"x-amz-date", kS3Date},
                             {"x-amz-storage-class", "REDUCED_REDUNDANCY"}}};
    S3Example got = SignS3Example(request, body_hash);
    EXPECT_EQ(got.canonical.substr(0, got.canonical.find('\n', 4)), "PUT\n/test%24file.text");
    EXPECT_EQ(LastLine(got.string_to_sign),
              "9e0e90d9c76de8fa5b200d8c849cd5b8dc7a3be3951ddb7f6a76b4158342019d");
    EXPECT_EQ(got.signature, "98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd");
  }
}

TEST(S3Examples, GetBucketLifecycle) {
  SignableRequest request{
      "GET",
      "/",
      "lifecycle",
      {{"host", kS3Host}, {"x-amz-content-sha256", kEmptySha256}, {"x-amz-date", kS3Date}}};
  S3Example got = SignS3Example(request, kEmptySha256);
  EXPECT_NE(got.canonical.find("\n/\nlifecycle=\n"), std::string::npos) << got.canonical;
  EXPECT_EQ(LastLine(got.string_to_sign),
            "9766c798316ff2757b517bc739a67f6213b4ab36dd5da2f94eaebf79c77395ca");
  EXPECT_EQ(got.signature, "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543");
}

TEST(S3Examples, ListObjects) {
  // Sent in either order, signed sorted.
  for (const char* query : {"max-keys=2&prefix=J", "prefix=J&max-keys=2"}) {
    SignableRequest request{
        "GET",
        "/",
        query,
        {{"host", kS3Host}, {"x-amz-content-sha256", kEmptySha256}, {"x-amz-date", kS3Date}}};
    S3Example got = SignS3Example(request, kEmptySha256);
    EXPECT_EQ(LastLine(got.string_to_sign),
              "df57d21db20da04d7fa30298dd4488ba3a2b47ca3a489c74750e0f1e7df1b9b7");
    EXPECT_EQ(got.signature, "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7");
  }
}

// --- S3's own rules ---------------------------------------------------------------------------

TEST(CanonicalUri, S3KeepsDotSegmentsAndEmptySegments) {
  EXPECT_EQ(CanonicalUri("/bucket/a//b/../c/./d"), "/bucket/a//b/../c/./d");
  EXPECT_EQ(CanonicalUri("/bucket//"), "/bucket//");
  EXPECT_EQ(CanonicalUri("/my-object//example//photo.user"), "/my-object//example//photo.user");
}

TEST(CanonicalUri, DecodesOnceAndEncodesOnce) {
  EXPECT_EQ(CanonicalUri("/bucket/a%20b"), "/bucket/a%20b");
  EXPECT_EQ(CanonicalUri("/bucket/a b"), "/bucket/a%20b");
  EXPECT_EQ(CanonicalUri("/bucket/a+b"), "/bucket/a%2Bb");
  EXPECT_EQ(CanonicalUri("/bucket/a%2Bb"), "/bucket/a%2Bb");
  EXPECT_EQ(CanonicalUri("/bucket/%7Etilde"), "/bucket/~tilde");
  EXPECT_EQ(CanonicalUri("/bucket/%E1%88%B4"), "/bucket/%E1%88%B4");
  // An encoded percent stays one level encoded: the key is "100%".
  EXPECT_EQ(CanonicalUri("/bucket/100%25"), "/bucket/100%25");
  EXPECT_EQ(CanonicalUri(""), "/");
}

TEST(CanonicalUri, NormalizationForGenericServices) {
  EXPECT_EQ(CanonicalUri("/a/b/../c", true), "/a/c");
  EXPECT_EQ(CanonicalUri("/a/b/..", true), "/a/");
  EXPECT_EQ(CanonicalUri("/../..", true), "/");
  EXPECT_EQ(CanonicalUri("//a///b//", true), "/a/b/");
  EXPECT_EQ(CanonicalUri("/a/.", true), "/a/");
}

TEST(CanonicalQueryString, DecodesSortsAndReencodes) {
  EXPECT_EQ(CanonicalQueryString(""), "");
  EXPECT_EQ(CanonicalQueryString("uploads"), "uploads=");
  EXPECT_EQ(CanonicalQueryString("b=2&a=1&a=0"), "a=0&a=1&b=2");
  EXPECT_EQ(CanonicalQueryString("prefix=a%20b&delimiter=%2F"), "delimiter=%2F&prefix=a%20b");
  EXPECT_EQ(CanonicalQueryString("prefix=a/b"), "prefix=a%2Fb");
  EXPECT_EQ(CanonicalQueryString("v=%7e"), "v=~");
  EXPECT_EQ(CanonicalQueryString("a=1&&b=2&"), "a=1&b=2");
  EXPECT_EQ(CanonicalQueryString("a=b=c"), "a=b%3Dc");
}

TEST(CanonicalQueryString, PlusIsALiteralPlus) {
  // S3 clients encode a space as %20; a '+' on the wire is the character '+'.
  EXPECT_EQ(CanonicalQueryString("prefix=a+b"), "prefix=a%2Bb");
  EXPECT_EQ(CanonicalQueryString("uploadId=x%2By"), "uploadId=x%2By");
}

TEST(CanonicalQueryString, SortsByEncodedName) {
  // '%' sorts before letters, so the encoded form decides the order, not the decoded one.
  EXPECT_EQ(CanonicalQueryString("Param=2&%E1%88%B4=1"), "%E1%88%B4=1&Param=2");
  EXPECT_EQ(CanonicalQueryString("b=1&B=2"), "B=2&b=1");
}

TEST(CanonicalQueryString, ExcludesOneParameter) {
  EXPECT_EQ(CanonicalQueryString("X-Amz-Signature=abc&X-Amz-Date=1&x=2", "X-Amz-Signature"),
            "X-Amz-Date=1&x=2");
}

TEST(CanonicalRequest, HeadersTrimmedFoldedJoinedAndSorted) {
  SignableRequest request{"GET",
                          "/",
                          "",
                          {{"host", "h"},
                           {"x-amz-meta-a", "  one   two  "},
                           {"x-amz-meta-a", "three"},
                           {"x-amz-meta-b", "\tb\t"}}};
  EXPECT_EQ(CanonicalRequest(request, {"x-amz-meta-b", "Host", "x-amz-meta-a", "host"},
                             "UNSIGNED-PAYLOAD"),
            "GET\n/\n\nhost:h\nx-amz-meta-a:one two,three\nx-amz-meta-b:b\n\n"
            "host;x-amz-meta-a;x-amz-meta-b\nUNSIGNED-PAYLOAD");
}

TEST(SignaturesEqual, ComparesWholeStrings) {
  EXPECT_TRUE(SignaturesEqual("abc", "abc"));
  EXPECT_FALSE(SignaturesEqual("abc", "abd"));
  EXPECT_FALSE(SignaturesEqual("abc", "ab"));
  EXPECT_TRUE(SignaturesEqual("", ""));
}

}  // namespace
}  // namespace cairn::auth
