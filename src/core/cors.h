// Bucket CORS rules (S3 "PutBucketCors" and "CORS configuration"): which cross-origin browser
// requests a bucket allows, how a preflight (OPTIONS) is answered, and which headers an actual
// request's response carries so that a browser lets the page read it (ExposeHeaders: ETag is what
// browser multipart uploads need).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace cairn::core {

struct CorsRule {
  std::string id;
  std::vector<std::string> allowed_origins;  // "*" or with at most one "*" wildcard each
  std::vector<std::string> allowed_methods;  // GET, PUT, POST, DELETE, HEAD
  std::vector<std::string> allowed_headers;  // may contain "*" wildcards; compared lowercase
  std::vector<std::string> expose_headers;
  std::optional<uint32_t> max_age_seconds;
};

struct CorsConfiguration {
  std::vector<CorsRule> rules;
};

// S3's checks: 1..100 rules, each with at least one origin and method, methods among the five,
// at most one '*' per origin and per allowed header. Errors: MalformedXML / InvalidRequest with a
// message naming the rule.
Status ValidateCors(const CorsConfiguration& config);

// Stored form (JSON), as for lifecycle rules.
std::string EncodeCors(const CorsConfiguration& config);
Result<CorsConfiguration> DecodeCors(std::string_view json);

// The headers a response carries for a matching rule.
struct CorsHeaders {
  std::string allow_origin;    // the request's Origin, or "*" when the rule allows any origin
  std::string allow_methods;   // the rule's methods, comma-separated
  std::string allow_headers;   // preflight: the requested headers that the rule allows
  std::string expose_headers;  // comma-separated
  std::optional<uint32_t> max_age_seconds;
  bool vary_origin = true;
  bool allow_credentials = true;  // Access-Control-Allow-Credentials: true
};

// The first rule that allows `origin` with `method` (and, for a preflight, every header of
// `request_headers`, a comma-separated Access-Control-Request-Headers value). nullopt: no rule
// matches, and the response carries no CORS headers (a preflight then gets 403).
std::optional<CorsHeaders> MatchCors(const CorsConfiguration& config, std::string_view origin,
                                     std::string_view method, std::string_view request_headers);

// The answer to cairn's own console (another origin than the S3 API's, see core/origin.h), which
// every bucket lets in without a rule of its own: the five methods, the requested headers (a
// preflight's Access-Control-Request-Headers, echoed), every response header exposed (ETag for
// multipart uploads, x-amz-meta-* for an object's details). The console sends presigned URLs and
// never credentials, so none are allowed: a cookie can never ride along.
CorsHeaders ConsoleCors(std::string_view origin, std::string_view request_headers);

}  // namespace cairn::core
