#include "auth/access_policy.h"

#include <algorithm>
#include <array>

namespace cairn::auth {
namespace {

constexpr std::array<std::pair<Permission, std::string_view>, 4> kPermissionNames = {{
    {Permission::kAdminReadWrite, "admin-rw"},
    {Permission::kAdminReadOnly, "admin-ro"},
    {Permission::kObjectReadWrite, "object-rw"},
    {Permission::kObjectReadOnly, "object-ro"},
}};

bool InList(const std::vector<std::string>& allowed, std::string_view value) {
  return allowed.empty() || std::find(allowed.begin(), allowed.end(), value) != allowed.end();
}

bool UnderPrefix(const std::vector<std::string>& prefixes, std::string_view key) {
  return prefixes.empty() || std::any_of(prefixes.begin(), prefixes.end(),
                                         [&](const std::string& p) { return key.starts_with(p); });
}

}  // namespace

std::string_view PermissionName(Permission p) {
  for (const auto& [permission, name] : kPermissionNames) {
    if (permission == p) return name;
  }
  return "unknown";
}

std::optional<Permission> ParsePermission(std::string_view name) {
  for (const auto& [permission, known] : kPermissionNames) {
    if (known == name) return permission;
  }
  return std::nullopt;
}

bool IsAdmin(Permission p) {
  return p == Permission::kAdminReadWrite || p == Permission::kAdminReadOnly;
}

std::string_view ActionName(Action a) {
  switch (a) {
    case Action::kNone:
      return "none";
    case Action::kListBuckets:
      return "list-buckets";
    case Action::kManageBuckets:
      return "manage-buckets";
    case Action::kReadBucketConfig:
      return "read-bucket-config";
    case Action::kReadObjects:
      return "read-objects";
    case Action::kWriteObjects:
      return "write-objects";
    case Action::kReadKeys:
      return "read-keys";
    case Action::kManageKeys:
      return "manage-keys";
  }
  return "unknown";
}

// R2's token kinds: admin read & write, admin read only, object read & write, object read only.
bool PermissionAllows(Permission p, Action a) {
  switch (a) {
    case Action::kNone:
      return true;
    case Action::kReadObjects:
      return true;
    case Action::kWriteObjects:
      return p == Permission::kAdminReadWrite || p == Permission::kObjectReadWrite;
    case Action::kListBuckets:
    case Action::kReadBucketConfig:
    case Action::kReadKeys:
      return IsAdmin(p);
    case Action::kManageBuckets:
    case Action::kManageKeys:
      return p == Permission::kAdminReadWrite;
  }
  return false;
}

bool PermissionWithin(Permission narrower, Permission wider) {
  for (Action a :
       {Action::kListBuckets, Action::kManageBuckets, Action::kReadBucketConfig,
        Action::kReadObjects, Action::kWriteObjects, Action::kReadKeys, Action::kManageKeys}) {
    if (PermissionAllows(narrower, a) && !PermissionAllows(wider, a)) return false;
  }
  return true;
}

bool Principal::Allows(Action action, std::string_view bucket) const {
  if (!PermissionAllows(permission, action)) return false;
  if (!bucket.empty() && !InList(buckets, bucket)) return false;
  return parent == nullptr || parent->Allows(action, bucket);
}

bool Principal::AllowsObject(Action action, std::string_view bucket, std::string_view key) const {
  if (!PermissionAllows(permission, action) || !InList(buckets, bucket)) return false;
  if (!UnderPrefix(prefixes, key)) return false;
  return parent == nullptr || parent->AllowsObject(action, bucket, key);
}

bool Principal::AllowsListing(std::string_view bucket, std::string_view prefix) const {
  // A listing shows keys under `prefix`: all of them must be keys this principal may read.
  return AllowsObject(Action::kReadObjects, bucket, prefix);
}

}  // namespace cairn::auth
