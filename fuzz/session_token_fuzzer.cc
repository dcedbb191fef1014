// Temporary credentials' session tokens (x-amz-security-token): whatever a client sends must open
// only when this server sealed it for that access key id, and sealing must round-trip any
// credential. Input lines: access key id, token, then a secret, a parent, a bucket and a prefix
// for the round trip.
#include "fuzz/fuzz_input.h"
#include "keys/temporary_credential.h"

namespace {

using cairn::fuzz::Check;

const cairn::keys::SecretBox& Box() {
  static const cairn::keys::SecretBox box(std::string(32, '\x5a'), "session-token");
  return box;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::vector<std::string_view> f = cairn::fuzz::Fields(cairn::fuzz::AsText(data, size), 6);
  auto opened = cairn::keys::OpenSessionToken(Box(), f[0], f[1]);
  cairn::fuzz::CheckMessage(opened);
  if (!opened.ok()) {
    Check(opened.error().code == cairn::ErrorCode::kInvalidToken, "a bad token is InvalidToken");
  }

  cairn::keys::TemporaryCredential credential;
  credential.access_key_id = std::string(f[0]);
  credential.secret_access_key = std::string(f[2]);
  credential.parent = std::string(f[3]);
  credential.buckets = {std::string(f[4])};
  credential.prefixes = {std::string(f[5])};
  credential.expires_at = cairn::TimePoint(std::chrono::milliseconds(size * 1000));
  // JSON carries UTF-8 only: the server seals ids and secrets it made, scopes it validated.
  for (std::string_view field : f) {
    if (!cairn::IsValidUtf8(field)) return 0;
  }
  const std::string token = cairn::keys::SealSessionToken(Box(), credential);
  auto round = cairn::keys::OpenSessionToken(Box(), f[0], token);
  Check(round.ok(), "a sealed token opens");
  Check(round->secret_access_key == credential.secret_access_key &&
            round->parent == credential.parent && round->buckets == credential.buckets &&
            round->prefixes == credential.prefixes && round->expires_at == credential.expires_at,
        "a sealed token opens to what was sealed");
  Check(!cairn::keys::OpenSessionToken(Box(), std::string(f[0]) + "x", token).ok(),
        "a token opens for its own key id only");
  return 0;
}
