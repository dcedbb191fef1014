// Temporary credentials, stateless: everything a temporary credential is (its key id, secret,
// parent, scope and expiry) travels sealed in its session token (keys/secret_box.h, the key id as
// associated data), so issuing one writes nothing and a gateway that shares the master key can
// verify it. The parent is looked up on every request, so a temporary credential dies with it.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "auth/access_policy.h"
#include "common/status.h"
#include "common/time_format.h"
#include "keys/secret_box.h"

namespace cairn::keys {

inline constexpr std::string_view kTemporaryKeyLead = "CT";  // temporary key ids start so

struct TemporaryCredential {
  std::string access_key_id;
  std::string secret_access_key;
  std::string parent;  // the permanent access key id it was issued from
  auth::Permission permission = auth::Permission::kObjectReadOnly;
  std::vector<std::string> buckets;
  std::vector<std::string> prefixes;
  TimePoint expires_at{};
};

std::string SealSessionToken(const SecretBox& box, const TemporaryCredential& credential);

// The credential inside `token` when it was sealed for `access_key_id` by this server. Errors:
// InvalidToken (malformed, tampered, made for another key id or by another master key).
// Expiry is the caller's to check.
Result<TemporaryCredential> OpenSessionToken(const SecretBox& box, std::string_view access_key_id,
                                             std::string_view token);

}  // namespace cairn::keys
