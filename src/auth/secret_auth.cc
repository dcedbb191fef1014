#include "auth/secret_auth.h"

#include "common/hashing.h"

namespace cairn::auth {

Result<AuthContext> AuthenticateSecret(std::string_view access_key_id, std::string_view secret,
                                       const CredentialLookup& lookup) {
  if (access_key_id.empty()) return Error(ErrorCode::kInvalidAccessKeyId);
  Result<std::shared_ptr<const Credential>> credential = lookup(access_key_id, "");
  if (!credential.ok()) return credential.error();
  // Digests compared, not the secrets: equal lengths, so that neither a secret's contents nor its
  // length leaks through the comparison's timing.
  const std::string given = Sha256(secret);
  bool matches = false;
  for (const std::string& known : (*credential)->secrets) {
    matches |= SignaturesEqual(given, Sha256(known));
  }
  if (!matches) {
    return Error(ErrorCode::kSignatureDoesNotMatch,
                 "The secret access key given is not the key's.");
  }
  AuthContext context;
  context.access_key_id = std::string(access_key_id);
  context.principal = (*credential)->principal;
  return context;
}

}  // namespace cairn::auth
