// Authenticates an incoming S3 request: the Authorization header form or the presigned query form
// of SigV4. Decides the payload mode the body must then be verified in.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "auth/access_policy.h"
#include "auth/sigv4.h"
#include "common/status.h"
#include "common/time_format.h"

namespace cairn::auth {

// How the body is protected, from `x-amz-content-sha256` (or UNSIGNED-PAYLOAD for presigned URLs).
enum class PayloadMode {
  kSha256Literal,             // hex SHA-256 of the body, verified at the end of the body
  kUnsignedPayload,           // UNSIGNED-PAYLOAD
  kStreamingSigned,           // STREAMING-AWS4-HMAC-SHA256-PAYLOAD (aws-chunked, chunk signatures)
  kStreamingSignedTrailer,    // STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER
  kStreamingUnsignedTrailer,  // STREAMING-UNSIGNED-PAYLOAD-TRAILER
};

bool IsAwsChunked(PayloadMode mode);
bool HasTrailer(PayloadMode mode);

struct AuthContext {
  std::string access_key_id;
  std::shared_ptr<const Principal> principal;  // who signed: the key's permission and scope
  bool presigned = false;
  PayloadMode payload_mode = PayloadMode::kUnsignedPayload;
  std::string payload_sha256_hex;  // kSha256Literal: what the body must hash to (lowercase hex)
  // What chunk and trailer signatures chain from (streaming signed modes).
  std::string signing_key;     // raw 32 bytes
  std::string seed_signature;  // hex signature of the request itself
  std::string amz_date;        // 20150830T123600Z
  CredentialScope scope;
};

// What the server knows of an access key: the secrets a signature may be made with (the current
// one first, then one rotated out while its grace period lasts) and who the key is.
struct Credential {
  std::vector<std::string> secrets;
  std::shared_ptr<const Principal> principal;
};

// The credential of an access key id, given the session token the request carried (empty for
// none: only temporary credentials have one). Errors: InvalidAccessKeyId (unknown, revoked or
// expired key, or a temporary credential whose parent is gone), ExpiredToken, InvalidToken.
using CredentialLookup = std::function<Result<std::shared_ptr<const Credential>>(
    std::string_view access_key_id, std::string_view session_token)>;

struct AuthOptions {
  std::chrono::seconds max_clock_skew{15 * 60};
  std::chrono::seconds max_presign_expiry{7 * 24 * 3600};
};

// Verifies the signature of `request` at time `now`. Every x-amz-* header the request carries
// must be signed (x-amz-content-sha256 and x-amz-date may be left out of the signed headers when
// they hold the values the signature covers anyway). Errors: AccessDenied (anonymous, expired
// presigned URL, an x-amz-* header that is not signed), AuthorizationHeaderMalformed,
// AuthorizationQueryParametersError, InvalidAccessKeyId, ExpiredToken, InvalidToken (from the
// lookup, given x-amz-security-token), SignatureDoesNotMatch, RequestTimeTooSkewed, InvalidArgument
// (bad x-amz-content-sha256 value, unsupported algorithm, header and query auth together),
// InvalidRequest (x-amz-content-sha256 missing from a header-signed request, SigV2).
// Any region in the scope is accepted (cairn has one region, `auto`); the service must be s3.
Result<AuthContext> Authenticate(const SignableRequest& request, const CredentialLookup& lookup,
                                 TimePoint now, const AuthOptions& options = {});

// The access key id a request claims to be signed with (its Credential's first part), whether or
// not the request is well formed; empty when it names none. For counting failures per key id.
std::string ClaimedAccessKeyId(const SignableRequest& request);

// True when the request carries no signature in either form: an anonymous request, which only a
// public bucket's objects answer.
bool IsAnonymous(const SignableRequest& request);

// The fields of a browser POST form that sign it (AWS "Browser-Based Uploads Using POST (AWS
// Signature Version 4)", and the older "HTML forms (AWS signature version 2)"); nullopt for a field
// the form does not have.
struct PostPolicyForm {
  std::optional<std::string_view> algorithm;   // x-amz-algorithm
  std::optional<std::string_view> credential;  // x-amz-credential
  std::optional<std::string_view> amz_date;    // x-amz-date
  std::optional<std::string_view> signature;   // x-amz-signature
  std::string_view policy;                     // the policy field as sent (base64): what is signed
  std::optional<std::string_view> security_token;  // x-amz-security-token (temporary credentials)
  std::optional<std::string_view> aws_access_key_id{};  // AWSAccessKeyId (Signature Version 2)
  std::optional<std::string_view> signature_v2{};       // signature (Signature Version 2): base64
};

// Verifies the form's signature over its policy: with Signature Version 4 fields, the hex
// HMAC-SHA256 under the signing key of x-amz-credential's scope; with Version 2 fields, the base64
// HMAC-SHA1 under the secret of AWSAccessKeyId. POST forms are the only requests cairn accepts
// Version 2 signatures on. It does not look inside the policy (expiration, conditions): that is
// core/post_policy.h. Errors: InvalidArgument (a missing or malformed field, an algorithm other
// than AWS4-HMAC-SHA256, fields of both versions), InvalidAccessKeyId, ExpiredToken, InvalidToken,
// SignatureDoesNotMatch.
Result<AuthContext> AuthenticatePostPolicy(const PostPolicyForm& form,
                                           const CredentialLookup& lookup);

}  // namespace cairn::auth
