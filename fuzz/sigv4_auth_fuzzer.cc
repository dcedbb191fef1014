// SigV4 authentication of a request: the Authorization header form and the presigned query form,
// with one known key and a fixed clock (2013-05-24, the date of the S3 reference's examples).
// Input: "METHOD target" on the first line, then one "name: value" header per line.
// A first line starting with "+" or "?" asks the harness to sign the request itself, in the
// header or the presigned form (as cairn's client and the SDKs do): whatever the path, query and
// headers, a request signed by the rules must then authenticate.
#include <algorithm>
#include <chrono>
#include <cstdio>

#include "auth/fixed_credentials.h"
#include "auth/request_auth.h"
#include "common/ascii.h"
#include "common/encoding.h"
#include "fuzz/fuzz_input.h"
#include "s3/router.h"

namespace {

using cairn::fuzz::Check;

constexpr char kAccessKey[] = "AKIAIOSFODNN7EXAMPLE";
constexpr char kSecret[] = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
constexpr char kDate[] = "20130524T000000Z";
const cairn::auth::CredentialScope kScope{"20130524", "us-east-1", "s3"};

cairn::auth::SignableRequest ToRequest(std::string_view input) {
  cairn::auth::SignableRequest request;
  const size_t lf = input.find('\n');
  const std::string_view line = input.substr(0, lf);
  const size_t space = line.find(' ');
  request.method = std::string(line.substr(0, space));
  const std::string_view target =
      space == std::string_view::npos ? std::string_view() : line.substr(space + 1);
  const size_t q = target.find('?');
  request.raw_path = std::string(target.substr(0, q));
  if (q != std::string_view::npos) request.raw_query = std::string(target.substr(q + 1));
  std::string_view rest = lf == std::string_view::npos ? std::string_view() : input.substr(lf + 1);
  while (!rest.empty()) {
    const size_t end = rest.find('\n');
    const std::string_view header = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
    const size_t colon = header.find(':');
    if (colon == std::string_view::npos) continue;
    // As the server hands them over: names lowercased, values without surrounding white space.
    request.headers.emplace_back(cairn::AsciiLowercase(header.substr(0, colon)),
                                 std::string(cairn::TrimOws(header.substr(colon + 1))));
  }
  return request;
}

bool HasHeader(const cairn::auth::SignableRequest& request, std::string_view name) {
  return std::any_of(request.headers.begin(), request.headers.end(),
                     [name](const auto& h) { return h.first == name; });
}

std::string Sign(const cairn::auth::SignableRequest& request,
                 const std::vector<std::string>& signed_headers, std::string_view payload_hash) {
  const std::string canonical =
      cairn::auth::CanonicalRequest(request, signed_headers, payload_hash);
  return cairn::auth::Signature(cairn::auth::SigningKey(kSecret, kScope),
                                cairn::auth::StringToSign(kDate, kScope, canonical));
}

// Signs `request` as a client would, or returns false when the input already holds what signing
// adds (its own signature parameters or headers), or header names SignedHeaders cannot list.
bool SignAsClient(cairn::auth::SignableRequest* request, bool presigned) {
  auto query = cairn::s3::QueryParams::Parse(request->raw_query);
  if (!query.ok()) return false;
  for (const auto& [name, value] : query->all()) {
    if (name.starts_with("X-Amz-") || name == "AWSAccessKeyId") return false;
  }
  std::erase_if(request->headers, [](const auto& h) {
    return h.first == "x-amz-date" || h.first == "date" || h.first == "x-amz-content-sha256";
  });
  if (HasHeader(*request, "authorization")) return false;
  if (!HasHeader(*request, "host")) request->headers.emplace_back("host", "localhost:9000");
  std::vector<std::string> signed_headers;
  for (const auto& [name, value] : request->headers) {
    if (name.empty() || name.find_first_of(";, \t") != std::string::npos) return false;
    if (std::find(signed_headers.begin(), signed_headers.end(), name) == signed_headers.end()) {
      signed_headers.push_back(name);
    }
  }
  if (presigned) {
    std::string names;
    for (const std::string& name : signed_headers) names += (names.empty() ? "" : ";") + name;
    request->raw_query +=
        std::string(request->raw_query.empty() ? "" : "&") +
        "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=" + kAccessKey +
        "%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=" + kDate +
        "&X-Amz-Expires=3600&X-Amz-SignedHeaders=" + cairn::UriEncode(names, false);
    request->raw_query += "&X-Amz-Signature=" + Sign(*request, signed_headers, "UNSIGNED-PAYLOAD");
    return true;
  }
  request->headers.emplace_back("x-amz-date", kDate);
  request->headers.emplace_back("x-amz-content-sha256", "UNSIGNED-PAYLOAD");
  signed_headers.push_back("x-amz-date");
  signed_headers.push_back("x-amz-content-sha256");
  std::string names;
  for (const std::string& name : signed_headers) names += (names.empty() ? "" : ";") + name;
  const std::string signature = Sign(*request, signed_headers, "UNSIGNED-PAYLOAD");
  request->headers.emplace_back("authorization", std::string("AWS4-HMAC-SHA256 Credential=") +
                                                     kAccessKey + "/" + kScope.ToString() +
                                                     ", SignedHeaders=" + names +
                                                     ", Signature=" + signature);
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input = cairn::fuzz::AsText(data, size);
  const bool sign = !input.empty() && (input[0] == '+' || input[0] == '?');
  const bool presigned = sign && input[0] == '?';
  if (sign) input.remove_prefix(1);
  cairn::auth::SignableRequest request = ToRequest(input);
  if (sign && !SignAsClient(&request, presigned)) return 0;
  // Tokens reach the lookup as sent: a fuzzed x-amz-security-token is refused like a wrong one.
  static const cairn::auth::CredentialLookup lookup =
      cairn::auth::FixedCredentials({{kAccessKey, kSecret}});
  // 2013-05-24T00:00:00Z
  const cairn::TimePoint now{std::chrono::seconds(1369353600)};
  auto result = cairn::auth::Authenticate(request, lookup, now);
  cairn::fuzz::CheckMessage(result);
  if (sign && !result.ok()) {
    std::fprintf(stderr, "signed as a client, refused: %s\n",
                 std::string(result.error().Message()).c_str());
    cairn::fuzz::Fail("a correctly signed request does not authenticate");
  }
  if (result.ok()) {
    Check(result->access_key_id == kAccessKey, "an unknown key authenticated");
    Check(result->presigned == presigned || !sign, "the wrong form authenticated");
    Check(result->signing_key.size() == 32, "a signing key that is not 32 bytes");
  }
  return 0;
}
