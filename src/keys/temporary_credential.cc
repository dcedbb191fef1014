#include "keys/temporary_credential.h"

#include <nlohmann/json.hpp>

#include "keys/access_key.h"

namespace cairn::keys {
namespace {

// A version in front, so that another token format can come later beside this one.
constexpr std::string_view kTokenVersion = "cairn1.";

using json = nlohmann::json;

std::vector<std::string> Strings(const json& value) {
  std::vector<std::string> out;
  for (const json& item : value) out.push_back(item.get<std::string>());
  return out;
}

}  // namespace

std::string SealSessionToken(const SecretBox& box, const TemporaryCredential& credential) {
  json claims = ScopeJson(credential.permission, credential.buckets, credential.prefixes);
  claims["secret"] = credential.secret_access_key;
  claims["parent"] = credential.parent;
  claims["expires"] = credential.expires_at.time_since_epoch().count();
  return std::string(kTokenVersion) + box.Seal(claims.dump(), credential.access_key_id);
}

Result<TemporaryCredential> OpenSessionToken(const SecretBox& box, std::string_view access_key_id,
                                             std::string_view token) {
  const Error invalid(ErrorCode::kInvalidToken);
  if (!token.starts_with(kTokenVersion)) return invalid;
  std::optional<std::string> plaintext =
      box.Open(token.substr(kTokenVersion.size()), access_key_id);
  if (!plaintext) return invalid;
  // Sealed by this server, so well formed; the checks guard against a format change only.
  const json claims = json::parse(*plaintext, nullptr, /*allow_exceptions=*/false);
  if (!claims.is_object() || !claims.contains("secret") || !claims.contains("parent") ||
      !claims.contains("expires") || !claims.contains("permission")) {
    return invalid;
  }
  std::optional<auth::Permission> permission =
      auth::ParsePermission(claims["permission"].get<std::string>());
  if (!permission) return invalid;
  TemporaryCredential credential;
  credential.access_key_id = std::string(access_key_id);
  credential.secret_access_key = claims["secret"].get<std::string>();
  credential.parent = claims["parent"].get<std::string>();
  credential.permission = *permission;
  credential.buckets = Strings(claims.value("buckets", json::array()));
  credential.prefixes = Strings(claims.value("prefixes", json::array()));
  credential.expires_at = TimePoint(std::chrono::milliseconds(claims["expires"].get<int64_t>()));
  return credential;
}

}  // namespace cairn::keys
