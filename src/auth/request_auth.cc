// Authenticate(): parses the two wire forms of SigV4 into one set of signed parts, checks the time
// rules of each form, then recomputes the signature with sigv4.h. The checks and their S3 error
// codes follow "Authenticating Requests (AWS Signature Version 4)" in the S3 API reference: the
// Authorization header form ("Using the Authorization Header") and the query form ("Using Query
// Parameters"). Messages are cairn's own and name the field that was wrong.
#include "auth/request_auth.h"

#include <algorithm>
#include <array>

#include "common/ascii.h"
#include "common/encoding.h"
#include "common/hashing.h"
#include "common/time_format.h"

namespace cairn::auth {
namespace {

constexpr std::string_view kAlgorithm = "AWS4-HMAC-SHA256";
constexpr std::string_view kService = "s3";
constexpr std::string_view kUnsignedPayload = "UNSIGNED-PAYLOAD";

// What both forms carry once parsed: who signed, over what, and the signature to check.
struct SignedParts {
  std::string access_key_id;
  CredentialScope scope;
  std::vector<std::string> signed_headers;  // lowercase
  std::string signature;                    // lowercase hex
  std::string amz_date;                     // as it goes into the string to sign
  std::string payload_hash;                 // what the body is checked against
  std::string session_token;                // x-amz-security-token, when the request has one
  // The last line of the canonical request when it is not payload_hash (see the generic signer
  // in AuthenticatePresigned).
  std::optional<std::string> signed_payload_line;
};

bool IsHex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

bool IsHex64(std::string_view s) {
  return s.size() == 64 && std::all_of(s.begin(), s.end(), IsHex);
}

bool IsDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::vector<std::string_view> Split(std::string_view s, char sep) {
  std::vector<std::string_view> parts;
  size_t pos = 0;
  while (true) {
    size_t end = s.find(sep, pos);
    if (end == std::string_view::npos) {
      parts.push_back(s.substr(pos));
      return parts;
    }
    parts.push_back(s.substr(pos, end - pos));
    pos = end + 1;
  }
}

// The values of every header called `name` (names compared case-insensitively, although the
// contract of SignableRequest already has them lowercase).
std::vector<std::string_view> HeaderValues(const SignableRequest& request, std::string_view name) {
  std::vector<std::string_view> values;
  for (const auto& [header, value] : request.headers) {
    if (EqualsIgnoreCase(header, name)) values.push_back(value);
  }
  return values;
}

struct QueryParam {
  std::string name;  // decoded
  std::string value;
};

std::vector<QueryParam> ParseQuery(std::string_view raw_query) {
  std::vector<QueryParam> params;
  if (raw_query.empty()) return params;
  for (std::string_view piece : Split(raw_query, '&')) {
    if (piece.empty()) continue;
    size_t eq = piece.find('=');
    std::string_view name = piece.substr(0, eq);
    std::string_view value = eq == std::string_view::npos ? "" : piece.substr(eq + 1);
    std::optional<std::string> dname = UrlDecode(name);
    std::optional<std::string> dvalue = UrlDecode(value);
    params.push_back({dname ? *dname : std::string(name), dvalue ? *dvalue : std::string(value)});
  }
  return params;
}

// The raw query without the parameter called `name`, other pieces kept byte for byte.
std::string RemoveQueryParam(std::string_view raw_query, std::string_view name) {
  std::string out;
  for (std::string_view piece : Split(raw_query, '&')) {
    std::string_view raw_name = piece.substr(0, piece.find('='));
    std::optional<std::string> decoded = UrlDecode(raw_name);
    if ((decoded ? std::string_view(*decoded) : raw_name) == name) continue;
    if (!out.empty()) out.push_back('&');
    out.append(piece);
  }
  return out;
}

// "<access key id>/YYYYMMDD/<region>/s3/aws4_request". An empty service is taken as s3: cairn
// has no other, and aws4fetch signs with an empty one when it cannot guess the service from the
// host (any endpoint but R2's and AWS's). The signature still proves the secret, computed over the
// scope as sent. `field` names the source in messages.
Status ParseCredential(std::string_view text, ErrorCode code, std::string_view field,
                       SignedParts* parts) {
  std::vector<std::string_view> items = Split(text, '/');
  const bool service_ok = items.size() == 5 && (items[3] == kService || items[3].empty());
  bool shaped = service_ok && items[4] == "aws4_request" && items[1].size() == 8 &&
                IsDigits(items[1]) && !items[0].empty() && !items[2].empty();
  if (!shaped) {
    if (items.size() == 5 && !service_ok) {
      return Status(code, std::string(field) + " names a service other than s3");
    }
    return Status(code, std::string(field) +
                            " is malformed; expected "
                            "\"<access-key-id>/YYYYMMDD/<region>/s3/aws4_request\"");
  }
  parts->access_key_id = std::string(items[0]);
  parts->scope =
      CredentialScope{std::string(items[1]), std::string(items[2]), std::string(items[3])};
  return Status::Ok();
}

// "host;range;x-amz-date". S3 requires `host` to be signed, so a request cannot be replayed
// against another endpoint.
Status ParseSignedHeaders(std::string_view text, ErrorCode code, std::string_view field,
                          SignedParts* parts) {
  for (std::string_view name : Split(text, ';')) {
    name = TrimOws(name);
    if (name.empty()) return Status(code, std::string(field) + " has an empty header name");
    parts->signed_headers.push_back(AsciiLowercase(name));
  }
  if (std::find(parts->signed_headers.begin(), parts->signed_headers.end(), "host") ==
      parts->signed_headers.end()) {
    return Status(code, std::string(field) + " must include host");
  }
  return Status::Ok();
}

Status ParseSignature(std::string_view text, ErrorCode code, std::string_view field,
                      SignedParts* parts) {
  if (!IsHex64(text)) return Status(code, std::string(field) + " must be 64 hexadecimal digits");
  parts->signature = AsciiLowercase(text);
  return Status::Ok();
}

// The credential date is the day the signing key was derived for; it must be the request's day.
Status CheckScopeDate(const SignedParts& parts, ErrorCode code) {
  if (parts.amz_date.compare(0, 8, parts.scope.date) != 0) {
    return Status(code, "The credential date " + parts.scope.date +
                            " is not the date of the request (" + parts.amz_date + ")");
  }
  return Status::Ok();
}

Result<PayloadMode> ParsePayloadMode(std::string_view value) {
  static constexpr std::array<std::pair<std::string_view, PayloadMode>, 4> kModes = {{
      {kUnsignedPayload, PayloadMode::kUnsignedPayload},
      {"STREAMING-AWS4-HMAC-SHA256-PAYLOAD", PayloadMode::kStreamingSigned},
      {"STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER", PayloadMode::kStreamingSignedTrailer},
      {"STREAMING-UNSIGNED-PAYLOAD-TRAILER", PayloadMode::kStreamingUnsignedTrailer},
  }};
  for (const auto& [name, mode] : kModes) {
    if (value == name) return mode;
  }
  if (IsHex64(value)) return PayloadMode::kSha256Literal;
  return Error(ErrorCode::kInvalidArgument,
               "x-amz-content-sha256 must be the hex SHA-256 of the body, UNSIGNED-PAYLOAD, "
               "STREAMING-AWS4-HMAC-SHA256-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER or "
               "STREAMING-UNSIGNED-PAYLOAD-TRAILER");
}

bool IsAmzHeader(std::string_view name) {
  constexpr std::string_view kPrefix = "x-amz-";
  return name.size() >= kPrefix.size() && EqualsIgnoreCase(name.substr(0, kPrefix.size()), kPrefix);
}

// S3 wants every x-amz-* header of a request signed ("Signature Calculations for the Authorization
// Header" and "Authenticating Requests: Using Query Parameters" list them among the headers that
// must be): they choose operations (x-amz-copy-source) and set what is stored (x-amz-meta-*,
// x-amz-storage-class), so whoever holds a presigned URL must not be able to add them. Two are
// bound by the signature without being listed, and clients leave them out: x-amz-content-sha256
// is the canonical request's last line, x-amz-date the string to sign's date. Either may go
// unsigned when it carries exactly that signed value.
Status CheckAmzHeadersSigned(const SignableRequest& request, const SignedParts& parts) {
  std::vector<std::string> unsigned_names;
  for (const auto& [header, value] : request.headers) {
    if (!IsAmzHeader(header)) continue;
    std::string name = AsciiLowercase(header);
    auto listed = [&name](const std::vector<std::string>& names) {
      return std::find(names.begin(), names.end(), name) != names.end();
    };
    const bool bound = (name == "x-amz-content-sha256" && TrimOws(value) == parts.payload_hash) ||
                       (name == "x-amz-date" && TrimOws(value) == parts.amz_date);
    if (!listed(parts.signed_headers) && !bound && !listed(unsigned_names)) {
      unsigned_names.push_back(std::move(name));
    }
  }
  if (unsigned_names.empty()) return Status::Ok();
  std::string names;
  for (const std::string& name : unsigned_names) names += (names.empty() ? "" : ", ") + name;
  return Status(ErrorCode::kAccessDenied,
                "There were headers present in the request which were not signed: " + names);
}

Result<std::shared_ptr<const Credential>> LookUp(const CredentialLookup& lookup,
                                                 std::string_view access_key_id,
                                                 std::string_view session_token) {
  if (!lookup) return Error(ErrorCode::kInvalidAccessKeyId);
  Result<std::shared_ptr<const Credential>> credential = lookup(access_key_id, session_token);
  if (credential.ok() && (*credential == nullptr || (*credential)->secrets.empty())) {
    return Error(ErrorCode::kInvalidAccessKeyId);
  }
  return credential;
}

struct SecretMatch {
  std::string signing_key;  // raw 32 bytes
  std::string signature;    // hex
};

// The secret of `credential` that signed `string_to_sign` into `signature`: the current one, or one
// rotated out that is still in its grace period.
std::optional<SecretMatch> MatchSecret(const Credential& credential, const CredentialScope& scope,
                                       std::string_view string_to_sign,
                                       std::string_view signature) {
  for (const std::string& secret : credential.secrets) {
    std::string key = SigningKey(secret, scope);
    std::string expected = Signature(key, string_to_sign);
    if (SignaturesEqual(expected, signature))
      return SecretMatch{std::move(key), std::move(expected)};
  }
  return std::nullopt;
}

// Recomputes the signature over `canonical_source` and, when it matches, describes the request.
Result<AuthContext> VerifySignature(const SignableRequest& canonical_source, SignedParts parts,
                                    const CredentialLookup& lookup, bool presigned) {
  Result<PayloadMode> mode = ParsePayloadMode(parts.payload_hash);
  if (!mode.ok()) return mode.error();
  if (Status s = CheckAmzHeadersSigned(canonical_source, parts); !s.ok()) return s;
  Result<std::shared_ptr<const Credential>> credential =
      LookUp(lookup, parts.access_key_id, parts.session_token);
  if (!credential.ok()) return credential.error();

  std::string canonical = CanonicalRequest(canonical_source, parts.signed_headers,
                                           parts.signed_payload_line.value_or(parts.payload_hash));
  std::optional<SecretMatch> match =
      MatchSecret(**credential, parts.scope, StringToSign(parts.amz_date, parts.scope, canonical),
                  parts.signature);
  if (!match) return Error(ErrorCode::kSignatureDoesNotMatch);
  std::string key = std::move(match->signing_key);
  std::string expected = std::move(match->signature);

  AuthContext context;
  context.access_key_id = std::move(parts.access_key_id);
  context.principal = (*credential)->principal;
  context.presigned = presigned;
  context.payload_mode = *mode;
  if (*mode == PayloadMode::kSha256Literal) {
    context.payload_sha256_hex = AsciiLowercase(parts.payload_hash);
  }
  context.signing_key = std::move(key);
  context.seed_signature = std::move(expected);
  context.amz_date = std::move(parts.amz_date);
  context.scope = std::move(parts.scope);
  return context;
}

// "AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=..." into `parts`.
Status ParseAuthorization(std::string_view header, SignedParts* parts) {
  constexpr ErrorCode kMalformed = ErrorCode::kAuthorizationHeaderMalformed;
  header = TrimOws(header);
  if (header.substr(0, 4) == "AWS ") {
    return Status(ErrorCode::kInvalidRequest,
                  "Signature Version 2 is not supported; sign requests with AWS4-HMAC-SHA256");
  }
  if (header.substr(0, kAlgorithm.size()) != kAlgorithm || header.size() == kAlgorithm.size() ||
      (header[kAlgorithm.size()] != ' ' && header[kAlgorithm.size()] != '\t')) {
    return Status(ErrorCode::kInvalidArgument,
                  "Unsupported Authorization type; only AWS4-HMAC-SHA256 is accepted");
  }
  bool have_credential = false, have_signed_headers = false, have_signature = false;
  // Components are separated by ',' with or without spaces; clients differ (botocore writes ", ",
  // others write ",").
  for (std::string_view component : Split(header.substr(kAlgorithm.size()), ',')) {
    component = TrimOws(component);
    size_t eq = component.find('=');
    if (eq == std::string_view::npos) {
      return Status(kMalformed, "The Authorization header has a component without '='");
    }
    std::string_view key = TrimOws(component.substr(0, eq));
    std::string_view value = TrimOws(component.substr(eq + 1));
    Status status;
    bool* seen = nullptr;
    if (key == "Credential") {
      seen = &have_credential;
      status = ParseCredential(value, kMalformed, "Credential", parts);
    } else if (key == "SignedHeaders") {
      seen = &have_signed_headers;
      status = ParseSignedHeaders(value, kMalformed, "SignedHeaders", parts);
    } else if (key == "Signature") {
      seen = &have_signature;
      status = ParseSignature(value, kMalformed, "Signature", parts);
    } else {
      // Client text is not echoed back: it may hold bytes that are not valid in an XML body.
      return Status(kMalformed,
                    "The Authorization header has a component other than "
                    "Credential, SignedHeaders and Signature");
    }
    if (*seen) return Status(kMalformed, "The Authorization header repeats " + std::string(key));
    *seen = true;
    if (!status.ok()) return status;
  }
  if (!have_credential || !have_signed_headers || !have_signature) {
    return Status(kMalformed,
                  "The Authorization header must have Credential, SignedHeaders and Signature");
  }
  return Status::Ok();
}

// The request time: x-amz-date, or the Date header when a client signs that instead. The string
// to sign carries it in ISO 8601 basic form either way: botocore, given a Date header, replaces
// it with email.utils.formatdate's "Sat, 06 Dec 2025 23:25:00 -0000" and signs the same instant
// as "20251206T232500Z" (auth.py, SigV4Auth._set_necessary_date_headers).
Result<TimePoint> RequestTime(const SignableRequest& request, SignedParts* parts) {
  std::optional<TimePoint> time;
  if (std::vector<std::string_view> amz = HeaderValues(request, "x-amz-date"); !amz.empty()) {
    parts->amz_date = std::string(TrimOws(amz.front()));
    time = ParseAmzDate(parts->amz_date);
  } else if (std::vector<std::string_view> http = HeaderValues(request, "date"); !http.empty()) {
    time = ParseDateHeader(TrimOws(http.front()));
    if (time) parts->amz_date = FormatAmzDate(*time);
  }
  if (!time) {
    return Error(ErrorCode::kAccessDenied,
                 "AWS authentication requires a valid Date or x-amz-date header");
  }
  return *time;
}

Result<AuthContext> AuthenticateHeader(const SignableRequest& request, std::string_view header,
                                       const CredentialLookup& lookup, TimePoint now,
                                       const AuthOptions& options) {
  SignedParts parts;
  if (Status s = ParseAuthorization(header, &parts); !s.ok()) return s;
  Result<TimePoint> time = RequestTime(request, &parts);
  if (!time.ok()) return time.error();
  if (Status s = CheckScopeDate(parts, ErrorCode::kAuthorizationHeaderMalformed); !s.ok()) {
    return s;
  }
  auto skew = now > *time ? now - *time : *time - now;
  if (skew > options.max_clock_skew) return Error(ErrorCode::kRequestTimeTooSkewed);

  std::vector<std::string_view> content_sha = HeaderValues(request, "x-amz-content-sha256");
  if (content_sha.empty()) {
    return Error(ErrorCode::kInvalidRequest,
                 "Missing required header for this request: x-amz-content-sha256");
  }
  parts.payload_hash = std::string(TrimOws(content_sha.front()));
  if (std::vector<std::string_view> token = HeaderValues(request, "x-amz-security-token");
      !token.empty()) {
    parts.session_token = std::string(TrimOws(token.front()));
  }
  return VerifySignature(request, std::move(parts), lookup, /*presigned=*/false);
}

// A presigned URL is valid from X-Amz-Date (give or take the clock skew) for X-Amz-Expires seconds.
Status CheckPresignedTime(TimePoint signed_at, std::string_view expires, TimePoint now,
                          const AuthOptions& options) {
  // Up to 7 digits is enough for any allowed value and keeps the arithmetic far from overflow.
  const int64_t max_expiry = options.max_presign_expiry.count();
  int64_t expiry = IsDigits(expires) && expires.size() <= 7 ? std::stoll(std::string(expires)) : 0;
  if (expiry < 1 || expiry > max_expiry) {
    return Status(
        ErrorCode::kAuthorizationQueryParametersError,
        "X-Amz-Expires must be a number of seconds from 1 to " + std::to_string(max_expiry));
  }
  if (now + options.max_clock_skew < signed_at) {
    return Status(ErrorCode::kAccessDenied, "Request is not valid yet");
  }
  if (now > signed_at + std::chrono::seconds(expiry)) {
    return Status(ErrorCode::kAccessDenied, "Request has expired");
  }
  return Status::Ok();
}

// ?X-Amz-Algorithm=...&X-Amz-Credential=...&X-Amz-Date=...&X-Amz-Expires=...
//  &X-Amz-SignedHeaders=...&X-Amz-Signature=...
Result<AuthContext> AuthenticatePresigned(const SignableRequest& request,
                                          const std::vector<QueryParam>& query,
                                          const CredentialLookup& lookup, TimePoint now,
                                          const AuthOptions& options) {
  constexpr ErrorCode kBadQuery = ErrorCode::kAuthorizationQueryParametersError;
  auto find = [&](std::string_view name) -> Result<const std::string*> {
    const std::string* found = nullptr;
    for (const QueryParam& p : query) {
      if (p.name != name) continue;
      if (found) return Error(kBadQuery, std::string(name) + " is given more than once");
      found = &p.value;
    }
    return found;
  };
  constexpr std::array<std::string_view, 8> kNames = {
      "X-Amz-Algorithm",     "X-Amz-Credential", "X-Amz-Date",           "X-Amz-Expires",
      "X-Amz-SignedHeaders", "X-Amz-Signature",  "X-Amz-Content-Sha256", "X-Amz-Security-Token"};
  std::array<const std::string*, kNames.size()> values{};
  for (size_t i = 0; i < kNames.size(); ++i) {
    Result<const std::string*> v = find(kNames[i]);
    if (!v.ok()) return v.error();
    values[i] = *v;
  }
  const auto& [algorithm, credential, date, expires, signed_headers, signature, content_sha,
               session_token] = values;
  if (!algorithm || !credential || !date || !expires || !signed_headers || !signature) {
    return Error(kBadQuery,
                 "A presigned URL needs X-Amz-Algorithm, X-Amz-Credential, X-Amz-Date, "
                 "X-Amz-Expires, X-Amz-SignedHeaders and X-Amz-Signature");
  }
  if (*algorithm != kAlgorithm) {
    return Error(kBadQuery, "X-Amz-Algorithm must be AWS4-HMAC-SHA256");
  }

  SignedParts parts;
  if (Status s = ParseCredential(*credential, kBadQuery, "X-Amz-Credential", &parts); !s.ok()) {
    return s;
  }
  if (Status s = ParseSignedHeaders(*signed_headers, kBadQuery, "X-Amz-SignedHeaders", &parts);
      !s.ok()) {
    return s;
  }
  if (Status s = ParseSignature(*signature, kBadQuery, "X-Amz-Signature", &parts); !s.ok()) {
    return s;
  }
  std::optional<TimePoint> time = ParseAmzDate(*date);
  if (!time) return Error(kBadQuery, "X-Amz-Date must have the form YYYYMMDD'T'HHMMSS'Z'");
  parts.amz_date = *date;
  if (Status s = CheckScopeDate(parts, kBadQuery); !s.ok()) return s;

  if (Status s = CheckPresignedTime(*time, *expires, now, options); !s.ok()) return s;

  // A presigned URL is made before the body exists, so the payload is unsigned unless the signer
  // put a hash in the query.
  parts.payload_hash = content_sha ? *content_sha : std::string(kUnsignedPayload);
  if (session_token) parts.session_token = *session_token;
  // The signature cannot sign itself: the canonical query leaves X-Amz-Signature out.
  SignableRequest canonical_source = request;
  canonical_source.raw_query = RemoveQueryParam(request.raw_query, "X-Amz-Signature");
  if (parts.scope.service.empty() && !content_sha) {
    // aws4fetch presigns for an unnamed service by SigV4's generic rules rather than S3's: the
    // path encoded twice, and the hash of the body it had when presigning (none) where S3 has
    // UNSIGNED-PAYLOAD. The body that comes later is as unsigned as with any presigned PUT.
    canonical_source.raw_path = UriEncode(CanonicalUri(request.raw_path), /*keep_slash=*/true);
    parts.signed_payload_line = HexEncode(Sha256(""));
  }
  return VerifySignature(canonical_source, std::move(parts), lookup, /*presigned=*/true);
}

}  // namespace

bool IsAwsChunked(PayloadMode mode) {
  return mode == PayloadMode::kStreamingSigned || mode == PayloadMode::kStreamingSignedTrailer ||
         mode == PayloadMode::kStreamingUnsignedTrailer;
}

bool HasTrailer(PayloadMode mode) {
  return mode == PayloadMode::kStreamingSignedTrailer ||
         mode == PayloadMode::kStreamingUnsignedTrailer;
}

Result<AuthContext> Authenticate(const SignableRequest& request, const CredentialLookup& lookup,
                                 TimePoint now, const AuthOptions& options) {
  std::vector<std::string_view> authorization = HeaderValues(request, "authorization");
  std::vector<QueryParam> query = ParseQuery(request.raw_query);
  auto has_param = [&](std::string_view name) {
    return std::any_of(query.begin(), query.end(),
                       [&](const QueryParam& p) { return p.name == name; });
  };
  bool presigned =
      has_param("X-Amz-Algorithm") || has_param("X-Amz-Credential") || has_param("X-Amz-Signature");

  if (!authorization.empty() && presigned) {
    return Error(ErrorCode::kInvalidArgument,
                 "Only one authentication mechanism is allowed: the Authorization header or the "
                 "X-Amz-* query parameters, not both");
  }
  if (authorization.size() > 1) {
    return Error(ErrorCode::kAuthorizationHeaderMalformed,
                 "The request has more than one Authorization header");
  }
  if (!authorization.empty()) {
    return AuthenticateHeader(request, authorization.front(), lookup, now, options);
  }
  if (presigned) return AuthenticatePresigned(request, query, lookup, now, options);
  if (has_param("AWSAccessKeyId") && has_param("Signature")) {
    return Error(ErrorCode::kInvalidRequest,
                 "Signature Version 2 is not supported; sign requests with AWS4-HMAC-SHA256");
  }
  return Error(ErrorCode::kAccessDenied,
               "The request is not signed and anonymous access is not allowed");
}

bool IsAnonymous(const SignableRequest& request) {
  if (!HeaderValues(request, "authorization").empty()) return false;
  const std::vector<QueryParam> query = ParseQuery(request.raw_query);
  return std::none_of(query.begin(), query.end(), [](const QueryParam& p) {
    return p.name.starts_with("X-Amz-") || p.name == "AWSAccessKeyId";
  });
}

std::string ClaimedAccessKeyId(const SignableRequest& request) {
  std::string credential;
  if (std::vector<std::string_view> header = HeaderValues(request, "authorization");
      !header.empty()) {
    constexpr std::string_view kField = "Credential=";
    const size_t at = header.front().find(kField);
    if (at == std::string_view::npos) return {};
    credential = header.front().substr(at + kField.size());
  } else {
    for (QueryParam& param : ParseQuery(request.raw_query)) {
      if (param.name == "X-Amz-Credential") credential = std::move(param.value);
    }
  }
  return credential.substr(0, credential.find_first_of("/, \t"));
}

// Browser-Based Uploads Using POST (AWS Signature Version 4): the form signs its policy alone,
// with the signing key of the credential's scope; the policy's conditions then cover the fields.
Result<AuthContext> AuthenticatePostPolicy(const PostPolicyForm& form,
                                           const CredentialLookup& lookup) {
  auto required = [](std::string_view field) {
    return Error(ErrorCode::kInvalidArgument, "Bucket POST must contain a field named '" +
                                                  std::string(field) +
                                                  "'.  If it is specified, please check the "
                                                  "order of the fields.");
  };
  if (!form.algorithm) return required("x-amz-algorithm");
  if (*form.algorithm != kAlgorithm) {
    return Error(ErrorCode::kInvalidArgument,
                 "x-amz-algorithm must be AWS4-HMAC-SHA256 (Signature Version 2 POST forms are "
                 "not supported)");
  }
  if (!form.credential) return required("x-amz-credential");
  if (!form.amz_date) return required("x-amz-date");
  if (!form.signature) return required("x-amz-signature");

  SignedParts parts;
  if (Status s = ParseCredential(*form.credential, ErrorCode::kInvalidArgument, "x-amz-credential",
                                 &parts);
      !s.ok()) {
    return s;
  }
  if (!ParseAmzDate(*form.amz_date)) {
    return Error(ErrorCode::kInvalidArgument, "x-amz-date must have the form YYYYMMDD'T'HHMMSS'Z'");
  }
  if (Status s = ParseSignature(*form.signature, ErrorCode::kSignatureDoesNotMatch,
                                "x-amz-signature", &parts);
      !s.ok()) {
    return s;
  }
  Result<std::shared_ptr<const Credential>> credential =
      LookUp(lookup, parts.access_key_id, form.security_token.value_or(""));
  if (!credential.ok()) return credential.error();
  std::optional<SecretMatch> match =
      MatchSecret(**credential, parts.scope, form.policy, parts.signature);
  if (!match) return Error(ErrorCode::kSignatureDoesNotMatch);

  AuthContext context;
  context.access_key_id = std::move(parts.access_key_id);
  context.principal = (*credential)->principal;
  context.signing_key = std::move(match->signing_key);
  context.amz_date = std::string(*form.amz_date);
  context.scope = std::move(parts.scope);
  return context;
}

}  // namespace cairn::auth
