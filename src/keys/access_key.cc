#include "keys/access_key.h"

#include "common/random.h"
#include "common/utf8.h"
#include "core/names.h"

namespace cairn::keys {
namespace {

using json = nlohmann::json;

constexpr std::string_view kIdAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
constexpr std::string_view kSecretAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

Status Invalid(std::string message) {
  return Status(ErrorCode::kInvalidArgument, std::move(message));
}

size_t CountCharacters(std::string_view text) {
  size_t count = 0;
  while (!text.empty()) {
    text.remove_prefix(std::max<size_t>(1, Utf8Sequence(text)));
    ++count;
  }
  return count;
}

bool HasControlCharacter(std::string_view text) {
  for (unsigned char c : text) {
    if (c < 0x20 || c == 0x7f) return true;
  }
  return false;
}

json OptionalTime(const std::optional<TimePoint>& t) {
  return t ? json(FormatIso8601(*t)) : json(nullptr);
}

std::optional<TimePoint> TimeField(const json& doc, const char* name) {
  if (!doc.contains(name) || !doc[name].is_string()) return std::nullopt;
  return ParseIso8601(doc[name].get<std::string>());
}

std::vector<std::string> StringList(const json& doc, const char* name) {
  std::vector<std::string> out;
  if (doc.contains(name) && doc[name].is_array()) {
    for (const json& item : doc[name]) {
      if (item.is_string()) out.push_back(item.get<std::string>());
    }
  }
  return out;
}

}  // namespace

Status ValidateScope(auth::Permission permission, const std::vector<std::string>& buckets,
                     const std::vector<std::string>& prefixes) {
  if (auth::IsAdmin(permission) && !(buckets.empty() && prefixes.empty())) {
    return Invalid("Buckets and prefixes scope object keys only; an " +
                   std::string(auth::PermissionName(permission)) + " key has every bucket.");
  }
  if (buckets.size() > kMaxScopeEntries || prefixes.size() > kMaxScopeEntries) {
    return Invalid("A key may name at most 100 buckets and 100 prefixes.");
  }
  for (const std::string& bucket : buckets) {
    if (Status s = core::ValidateBucketName(bucket); !s.ok()) {
      return Invalid("Not a valid bucket name in the key's buckets: " +
                     std::string(s.error().Message()));
    }
  }
  for (const std::string& prefix : prefixes) {
    if (prefix.empty() || prefix.size() > 1024 || !IsValidUtf8(prefix)) {
      return Invalid("Each prefix must be 1 to 1024 bytes of UTF-8.");
    }
  }
  return Status::Ok();
}

Status ValidateKeySpec(const KeySpec& spec) {
  if (spec.name.empty() || !IsValidUtf8(spec.name) || HasControlCharacter(spec.name) ||
      CountCharacters(spec.name) > kMaxNameLength) {
    return Invalid("A key's name must be 1 to 128 characters of UTF-8 without control characters.");
  }
  return ValidateScope(spec.permission, spec.buckets, spec.prefixes);
}

json ScopeJson(auth::Permission permission, const std::vector<std::string>& buckets,
               const std::vector<std::string>& prefixes) {
  return json{{"permission", auth::PermissionName(permission)},
              {"buckets", buckets},
              {"prefixes", prefixes}};
}

std::string EncodeAccessKey(const AccessKeyRecord& record) {
  json doc = ScopeJson(record.spec.permission, record.spec.buckets, record.spec.prefixes);
  doc["accessKeyId"] = record.access_key_id;
  doc["name"] = record.spec.name;
  doc["createdAt"] = FormatIso8601(record.created_at);
  doc["expiresAt"] = OptionalTime(record.spec.expires_at);
  doc["lastUsedAt"] = OptionalTime(record.last_used_at);
  doc["sealedSecret"] = record.sealed_secret;
  if (!record.sealed_previous_secret.empty()) {
    doc["sealedPreviousSecret"] = record.sealed_previous_secret;
    doc["previousSecretExpiresAt"] = OptionalTime(record.previous_expires_at);
  }
  return doc.dump();
}

Result<AccessKeyRecord> DecodeAccessKey(std::string_view text) {
  const json doc = json::parse(text, nullptr, /*allow_exceptions=*/false);
  auto broken = [](const std::string& what) {
    return Error(ErrorCode::kInternalError, "a stored access key " + what);
  };
  if (!doc.is_object() || !doc.contains("accessKeyId") || !doc["accessKeyId"].is_string() ||
      !doc.contains("sealedSecret") || !doc["sealedSecret"].is_string() ||
      !doc.contains("permission") || !doc["permission"].is_string()) {
    return broken("is not a JSON record with accessKeyId, permission and sealedSecret");
  }
  AccessKeyRecord record;
  record.access_key_id = doc["accessKeyId"].get<std::string>();
  std::optional<auth::Permission> permission =
      auth::ParsePermission(doc["permission"].get<std::string>());
  if (!permission) return broken(record.access_key_id + " has an unknown permission");
  record.spec.permission = *permission;
  record.spec.name = doc.value("name", "");
  record.spec.buckets = StringList(doc, "buckets");
  record.spec.prefixes = StringList(doc, "prefixes");
  record.spec.expires_at = TimeField(doc, "expiresAt");
  std::optional<TimePoint> created = TimeField(doc, "createdAt");
  if (!created) return broken(record.access_key_id + " has no creation time");
  record.created_at = *created;
  record.last_used_at = TimeField(doc, "lastUsedAt");
  record.sealed_secret = doc["sealedSecret"].get<std::string>();
  record.sealed_previous_secret = doc.value("sealedPreviousSecret", "");
  record.previous_expires_at = TimeField(doc, "previousSecretExpiresAt");
  return record;
}

std::string NewAccessKeyId(std::string_view lead) {
  return std::string(lead) + RandomString(20 - std::min<size_t>(lead.size(), 20), kIdAlphabet);
}

std::string NewSecretAccessKey() { return RandomString(40, kSecretAlphabet); }

}  // namespace cairn::keys
