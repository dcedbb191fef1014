// Authenticates a caller that presents an access key's secret itself rather than a signature made
// with it. workerd's R2 binding is such a caller: its config can only add fixed headers to the
// requests it sends, so it cannot sign them (docs/r2-binding-protocol.md). The secret then travels
// in the clear: fit for loopback or TLS only, which is the operator's choice of endpoint.
#pragma once

#include <string_view>

#include "auth/request_auth.h"
#include "common/status.h"

namespace cairn::auth {

// The key `access_key_id` if `secret` is one of its secrets (the current one, or one rotated out
// while its grace period lasts), compared in constant time. Errors: InvalidAccessKeyId (unknown,
// revoked or expired key; temporary credentials, which need their session token, are not taken
// here), SignatureDoesNotMatch (another secret).
Result<AuthContext> AuthenticateSecret(std::string_view access_key_id, std::string_view secret,
                                       const CredentialLookup& lookup);

}  // namespace cairn::auth
