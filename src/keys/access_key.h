// An access key as cairn keeps it: what it may do (its spec: name, permission, scope, expiry) and
// its secret, sealed. The stored form is JSON in the metadata store's settings, one entry per key
// named "access-key/<id>" (keys/key_ring.h reads and writes them).
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/access_policy.h"
#include "common/status.h"
#include "common/time_format.h"

namespace cairn::keys {

inline constexpr size_t kMaxNameLength = 128;    // characters
inline constexpr size_t kMaxScopeEntries = 100;  // buckets, and prefixes
inline constexpr std::string_view kSettingPrefix = "access-key/";
// The setting every key change counts in (MetaStore::PutSettingCounted), so that each gateway
// sharing the store learns of the others' changes (KeyRing::Refresh).
inline constexpr std::string_view kChangeCounter = "access-keys-changed";

// What an access key may do, as a caller asks for it.
struct KeySpec {
  std::string name;
  auth::Permission permission = auth::Permission::kObjectReadOnly;
  std::vector<std::string> buckets;   // object permissions only; empty: every bucket
  std::vector<std::string> prefixes;  // object permissions only; empty: every key
  std::optional<TimePoint> expires_at;
};

// The rules of docs/access-keys.md: a name of 1 to 128 characters of UTF-8 without control
// characters, scopes only for object permissions, at most 100 valid bucket names and 100 prefixes
// of 1 to 1024 bytes of UTF-8. Error: InvalidArgument saying which rule failed.
Status ValidateKeySpec(const KeySpec& spec);
// Buckets and prefixes alone (temporary credentials have no name).
Status ValidateScope(auth::Permission permission, const std::vector<std::string>& buckets,
                     const std::vector<std::string>& prefixes);

struct AccessKeyRecord {
  std::string access_key_id;
  KeySpec spec;
  TimePoint created_at{};
  std::optional<TimePoint> last_used_at;
  std::string sealed_secret;           // keys/secret_box.h, the key id as associated data
  std::string sealed_previous_secret;  // a rotated-out secret in its grace period; empty: none
  std::optional<TimePoint> previous_expires_at;
  bool builtin = false;  // the admin key cairn starts with: never stored here
};

std::string EncodeAccessKey(const AccessKeyRecord& record);
// Errors: InternalError naming what is wrong (a stored record cairn cannot read).
Result<AccessKeyRecord> DecodeAccessKey(std::string_view json);

// A scope as JSON arrays and back ({"permission", "buckets", "prefixes"}), shared by the stored
// records and temporary credentials' tokens.
nlohmann::json ScopeJson(auth::Permission permission, const std::vector<std::string>& buckets,
                         const std::vector<std::string>& prefixes);

// 20 characters A-Z 0-9 (`lead` first, when given), as AWS access key ids look.
std::string NewAccessKeyId(std::string_view lead = "");
// 40 characters of A-Z a-z 0-9: about 238 bits, nothing a shell or a config file must quote.
std::string NewSecretAccessKey();

}  // namespace cairn::keys
