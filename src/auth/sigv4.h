// AWS Signature Version 4, the parts shared by the server (verifying) and cairn's own client
// (signing): canonical request, string to sign, signing key, signature. Knows nothing of HTTP
// libraries: a request is a method, the raw path and query, and its headers.
//
// S3 differs from generic SigV4 in two ways: the path is not normalised (`..` and `//` stay) and it
// is URI-encoded once; and `x-amz-content-sha256` is signed and names the payload mode.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/time_format.h"

namespace cairn::auth {

// A request as it arrived (or as the client will send it).
struct SignableRequest {
  std::string method;     // "PUT"
  std::string raw_path;   // as on the wire, percent-encoded, without the query: "/bucket/a%20b"
  std::string raw_query;  // as on the wire, after '?', without it; may be empty
  // Every header, name lowercased, value as received. Repeated names appear more than once.
  std::vector<std::pair<std::string, std::string>> headers;
};

// "20150830/us-east-1/s3/aws4_request" and its parts.
struct CredentialScope {
  std::string date;              // 20150830
  std::string region;            // us-east-1
  std::string service;           // s3
  std::string ToString() const;  // date/region/service/aws4_request
};

// The canonical URI of S3: the path decoded once and re-encoded with UriEncode (slashes kept),
// with no dot-segment or slash normalisation. `normalize_path` true gives generic SigV4 behaviour
// (used by the AWS test-suite vectors).
std::string CanonicalUri(std::string_view raw_path, bool normalize_path = false);

// Query parameters decoded, re-encoded with UriEncode, sorted by name then value; `exclude`
// names one parameter to leave out (X-Amz-Signature for presigned URLs).
std::string CanonicalQueryString(std::string_view raw_query, std::string_view exclude = {});

// The canonical request. `signed_headers` are lowercase names in any order; each header's values
// are trimmed, inner runs of spaces folded to one, repeated headers joined with ','.
std::string CanonicalRequest(const SignableRequest& request,
                             const std::vector<std::string>& signed_headers,
                             std::string_view payload_hash, bool normalize_path = false);

// "AWS4-HMAC-SHA256\n<amz_date>\n<scope>\n<hex sha256 of canonical request>".
std::string StringToSign(std::string_view amz_date, const CredentialScope& scope,
                         std::string_view canonical_request);

// HMAC chain of the secret over date, region, service, "aws4_request". Raw 32 bytes.
std::string SigningKey(std::string_view secret_access_key, const CredentialScope& scope);

// Lowercase hex HMAC-SHA256 of `string_to_sign` under `signing_key`.
std::string Signature(std::string_view signing_key, std::string_view string_to_sign);

// Compares two signatures in constant time.
bool SignaturesEqual(std::string_view a, std::string_view b);

}  // namespace cairn::auth
