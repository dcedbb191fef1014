// Authenticated encryption of small secrets under the server's master key: AES-256-GCM with a
// random 96-bit nonce per message, so secrets at rest and temporary credentials' session tokens
// are unreadable and unforgeable without the master key. Each use derives its own subkey from the
// master key (HMAC-SHA256 of a purpose label), so a secret sealed for one purpose never opens as
// another. Thread-safe (immutable).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace cairn::keys {

class SecretBox {
 public:
  // `master_key` is 32 raw bytes; `purpose` names the use ("access-key-secret", ...).
  SecretBox(std::string_view master_key, std::string_view purpose);

  // nonce || ciphertext || tag, as base64url without padding. `associated` is bound to the
  // message: Open must be given the same bytes.
  std::string Seal(std::string_view plaintext, std::string_view associated) const;
  // nullopt when `sealed` was not made by Seal with this key, purpose and associated data.
  std::optional<std::string> Open(std::string_view sealed, std::string_view associated) const;

 private:
  std::string key_;  // 32 bytes
};

}  // namespace cairn::keys
