// SigV4 signing on the client side, on top of the signer the server verifies with
// (auth/sigv4.h): the Authorization header form for every request the library sends, and the
// query form for presigned URLs. Pure functions of their inputs (the time is a parameter), so the
// AWS test vectors can pin them.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "auth/sigv4.h"

namespace cairn::client {

struct Credentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string region = "auto";
  std::string service = "s3";
  std::string session_token{};  // temporary credentials' token (x-amz-security-token); empty: none
};

inline constexpr std::string_view kUnsignedPayload = "UNSIGNED-PAYLOAD";
inline constexpr std::string_view kEmptyPayloadSha256 =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

// The lowercase names of the headers a request signs: all it carries but those a proxy may
// rewrite or that describe the connection rather than the request (user-agent, content-length,
// transfer-encoding, expect, connection), sorted, without repeats.
std::vector<std::string> SignedHeaderNames(const auth::SignableRequest& request);

// "AWS4-HMAC-SHA256 Credential=<id>/<scope>, SignedHeaders=<names>, Signature=<hex>" for a
// request that already carries its host and x-amz-date headers. `amz_date` is 20150830T123600Z.
// `normalize_path` is generic SigV4's path handling (the AWS test suite); S3 leaves paths alone.
std::string AuthorizationValue(const auth::SignableRequest& request, const Credentials& credentials,
                               std::string_view amz_date, std::string_view payload_hash,
                               bool normalize_path = false);

// Signs an S3 request in place: adds x-amz-date and x-amz-content-sha256 (`payload_hash`: the hex
// SHA-256 of the body, or UNSIGNED-PAYLOAD), x-amz-security-token for temporary credentials, then
// authorization. `request.headers` must hold the
// host header and every other header that will be sent, names lowercased.
void SignRequest(auth::SignableRequest& request, const Credentials& credentials,
                 std::string_view amz_date, std::string_view payload_hash);

// The query string of a presigned URL: `request.raw_query` (already encoded, may be empty)
// followed by X-Amz-Algorithm, X-Amz-Credential, X-Amz-Date, X-Amz-Expires and
// X-Amz-SignedHeaders (and X-Amz-Security-Token for temporary credentials), then X-Amz-Signature.
// Every header of `request` (host at least) is signed, so whoever uses the URL must send them with
// exactly these values. The payload is UNSIGNED-PAYLOAD (AWS's "Authenticating Requests: Using
// Query Parameters").
std::string PresignQuery(const auth::SignableRequest& request, const Credentials& credentials,
                         std::string_view amz_date, std::chrono::seconds expires);

}  // namespace cairn::client
