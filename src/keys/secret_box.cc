#include "keys/secret_box.h"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <memory>

#include "common/encoding.h"
#include "common/hashing.h"

namespace cairn::keys {
namespace {

constexpr size_t kNonceSize = 12;
constexpr size_t kTagSize = 16;

using CipherContext = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

unsigned char* Bytes(std::string& s) { return reinterpret_cast<unsigned char*>(s.data()); }
const unsigned char* Bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

// base64url without padding: tokens travel in headers and query strings.
std::string ToBase64Url(std::string_view bytes) {
  std::string text = Base64Encode(bytes);
  while (!text.empty() && text.back() == '=') text.pop_back();
  for (char& c : text) c = c == '+' ? '-' : c == '/' ? '_' : c;
  return text;
}

std::optional<std::string> FromBase64Url(std::string_view text) {
  std::string standard(text);
  for (char& c : standard) {
    if (c == '+' || c == '/' || c == '=') return std::nullopt;
    c = c == '-' ? '+' : c == '_' ? '/' : c;
  }
  while (standard.size() % 4 != 0) standard.push_back('=');
  std::optional<std::string> bytes = Base64Decode(standard);
  // One text per message: no second spelling through the unused bits of the last character.
  if (!bytes || ToBase64Url(*bytes) != text) return std::nullopt;
  return bytes;
}

}  // namespace

SecretBox::SecretBox(std::string_view master_key, std::string_view purpose)
    : key_(HmacSha256(master_key, "cairn secret box: " + std::string(purpose))) {}

std::string SecretBox::Seal(std::string_view plaintext, std::string_view associated) const {
  std::string out(kNonceSize + plaintext.size() + kTagSize, '\0');
  if (RAND_bytes(Bytes(out), kNonceSize) != 1) throw std::runtime_error("RAND_bytes failed");
  CipherContext ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
  int len = 0;
  bool ok =
      ctx &&
      EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, Bytes(key_), Bytes(out)) == 1 &&
      EVP_EncryptUpdate(ctx.get(), nullptr, &len, Bytes(associated),
                        static_cast<int>(associated.size())) == 1 &&
      EVP_EncryptUpdate(ctx.get(), Bytes(out) + kNonceSize, &len, Bytes(plaintext),
                        static_cast<int>(plaintext.size())) == 1 &&
      EVP_EncryptFinal_ex(ctx.get(), Bytes(out) + kNonceSize + len, &len) == 1 &&
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kTagSize,
                          Bytes(out) + kNonceSize + plaintext.size()) == 1;
  if (!ok) throw std::runtime_error("AES-256-GCM encryption failed");
  return ToBase64Url(out);
}

std::optional<std::string> SecretBox::Open(std::string_view sealed,
                                           std::string_view associated) const {
  std::optional<std::string> raw = FromBase64Url(sealed);
  if (!raw || raw->size() < kNonceSize + kTagSize) return std::nullopt;
  const size_t size = raw->size() - kNonceSize - kTagSize;
  std::string plaintext(size, '\0');
  CipherContext ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
  int len = 0;
  bool ok =
      ctx &&
      EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, Bytes(key_), Bytes(*raw)) == 1 &&
      EVP_DecryptUpdate(ctx.get(), nullptr, &len, Bytes(associated),
                        static_cast<int>(associated.size())) == 1 &&
      EVP_DecryptUpdate(ctx.get(), Bytes(plaintext), &len, Bytes(*raw) + kNonceSize,
                        static_cast<int>(size)) == 1 &&
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kTagSize,
                          Bytes(*raw) + kNonceSize + size) == 1 &&
      EVP_DecryptFinal_ex(ctx.get(), Bytes(plaintext) + len, &len) == 1;
  if (!ok) return std::nullopt;
  return plaintext;
}

}  // namespace cairn::keys
