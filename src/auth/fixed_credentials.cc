#include "auth/fixed_credentials.h"

namespace cairn::auth {

CredentialLookup FixedCredentials(std::map<std::string, std::string> secrets) {
  std::map<std::string, std::shared_ptr<const Credential>, std::less<>> credentials;
  for (auto& [id, secret] : secrets) {
    auto principal = std::make_shared<Principal>();
    principal->access_key_id = id;
    credentials.emplace(id, std::make_shared<Credential>(Credential{{secret}, principal}));
  }
  return [credentials = std::move(credentials)](
             std::string_view id,
             std::string_view token) -> Result<std::shared_ptr<const Credential>> {
    auto it = credentials.find(id);
    if (it == credentials.end()) return Error(ErrorCode::kInvalidAccessKeyId);
    if (!token.empty()) return Error(ErrorCode::kInvalidToken);
    return it->second;
  };
}

}  // namespace cairn::auth
