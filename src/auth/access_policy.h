// Who may do what: the four permissions of an access key (R2's API token kinds), the action classes
// every S3 operation falls into, and the bucket and key-prefix scope of object keys. Pure rules:
// the router says which action an operation is (s3/router.h), the key ring says who signed
// (keys/key_ring.h), and these functions decide.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/time_format.h"

namespace cairn::auth {

enum class Permission { kAdminReadWrite, kAdminReadOnly, kObjectReadWrite, kObjectReadOnly };

std::string_view PermissionName(Permission p);  // "admin-rw", "admin-ro", "object-rw", "object-ro"
std::optional<Permission> ParsePermission(std::string_view name);
bool IsAdmin(Permission p);
// True when every action `narrower` permits, `wider` permits too.
bool PermissionWithin(Permission narrower, Permission wider);

// What an operation does, as far as permissions go. Each S3 operation has exactly one.
enum class Action {
  kNone,              // answered without authentication (CORS preflight)
  kListBuckets,       // ListBuckets
  kManageBuckets,     // create and delete buckets, change their settings
  kReadBucketConfig,  // read bucket settings (CORS, lifecycle, public access)
  kReadObjects,       // read and list objects and uploads; HeadBucket, GetBucketLocation
  kWriteObjects,      // put, copy, delete objects; multipart
  kReadKeys,          // the admin API's key list
  kManageKeys,        // the admin API's key changes
};

std::string_view ActionName(Action a);  // "list-buckets", ...
bool PermissionAllows(Permission p, Action a);

// The signer of a request: an access key with its permission and scope. A temporary credential
// has its parent too, and is held to both.
struct Principal {
  std::string access_key_id;
  Permission permission = Permission::kAdminReadWrite;
  std::vector<std::string> buckets;         // object keys: the buckets allowed (empty: all)
  std::vector<std::string> prefixes;        // object keys: the key prefixes allowed (empty: all)
  std::shared_ptr<const Principal> parent;  // temporary credentials only
  std::optional<TimePoint> expires_at;      // none: the key does not expire

  bool temporary() const { return parent != nullptr; }
  // `action` on `bucket` (empty for ListBuckets and the admin API's own calls).
  bool Allows(Action action, std::string_view bucket) const;
  // `action` on the object `key` of `bucket`.
  bool AllowsObject(Action action, std::string_view bucket, std::string_view key) const;
  // A listing of `bucket` restricted to keys starting with `prefix`.
  bool AllowsListing(std::string_view bucket, std::string_view prefix) const;
};

}  // namespace cairn::auth
