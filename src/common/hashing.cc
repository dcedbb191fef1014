// The digest and checksum wrappers. MD5/SHA use OpenSSL 3's EVP interface with each EVP_MD
// fetched once per process: an implicit fetch by name on every context init takes a provider
// lookup under a lock, which shows up when every request body gets an MD5 and a SHA-256.
// CRC32 and CRC32C come from ISA-L; CRC64/NVME lives in crc64nvme.cc.
#include "common/hashing.h"

#include <isa-l/crc.h>
#include <openssl/evp.h>

#include <algorithm>
#include <cctype>
#include <climits>
#include <cstdlib>
#include <initializer_list>
#include <memory>

#include "common/ascii.h"

namespace cairn {
namespace {

// Fetched once, kept for the life of the process (never freed: other statics may still hash
// during shutdown).
const EVP_MD* FetchOnce(const char* name) {
  EVP_MD* md = EVP_MD_fetch(nullptr, name, nullptr);
  if (md == nullptr) std::abort();  // OpenSSL without the default provider: nothing can work
  return md;
}

const EVP_MD* Md5Md() {
  static const EVP_MD* md = FetchOnce("MD5");
  return md;
}
const EVP_MD* Sha1Md() {
  static const EVP_MD* md = FetchOnce("SHA1");
  return md;
}
const EVP_MD* Sha256Md() {
  static const EVP_MD* md = FetchOnce("SHA256");
  return md;
}

class EvpHasher : public Hasher {
 public:
  explicit EvpHasher(const EVP_MD* md) : ctx_(EVP_MD_CTX_new()) {
    if (ctx_ == nullptr || EVP_DigestInit_ex(ctx_, md, nullptr) != 1) std::abort();
  }
  ~EvpHasher() override { EVP_MD_CTX_free(ctx_); }
  EvpHasher(const EvpHasher&) = delete;
  EvpHasher& operator=(const EvpHasher&) = delete;

  void Update(const void* data, size_t size) override { EVP_DigestUpdate(ctx_, data, size); }
  std::string Finish() override {
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    EVP_DigestFinal_ex(ctx_, out, &n);
    return std::string(reinterpret_cast<char*>(out), n);
  }

 private:
  EVP_MD_CTX* ctx_;
};

std::string BigEndian(uint64_t v, int bytes) {
  std::string out(bytes, '\0');
  for (int i = bytes - 1; i >= 0; --i) {
    out[i] = static_cast<char>(v & 0xff);
    v >>= 8;
  }
  return out;
}

template <typename T, T (*kUpdate)(T, const void*, size_t)>
class CrcHasher : public Hasher {
 public:
  void Update(const void* data, size_t size) override { crc_ = kUpdate(crc_, data, size); }
  std::string Finish() override { return BigEndian(crc_, sizeof(T)); }

 private:
  T crc_ = 0;
};

// This thread's context for one-shot digests (EVP_Digest allocates and frees one per call, and
// SigV4 hashes a canonical request per request).
EVP_MD_CTX* ThreadDigestContext() {
  thread_local std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(),
                                                                           &EVP_MD_CTX_free);
  if (ctx == nullptr) std::abort();
  return ctx.get();
}

void DigestInto(const EVP_MD* md, std::initializer_list<std::string_view> pieces,
                unsigned char* out) {
  EVP_MD_CTX* ctx = ThreadDigestContext();
  if (EVP_DigestInit_ex(ctx, md, nullptr) != 1) std::abort();
  for (std::string_view piece : pieces) {
    if (EVP_DigestUpdate(ctx, piece.data(), piece.size()) != 1) std::abort();
  }
  if (EVP_DigestFinal_ex(ctx, out, nullptr) != 1) std::abort();
}

std::string Digest(const EVP_MD* md, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  DigestInto(md, {data}, out);
  return std::string(reinterpret_cast<char*>(out), EVP_MD_get_size(md));
}

}  // namespace

std::optional<ChecksumAlgorithm> ParseChecksumAlgorithm(std::string_view name) {
  for (ChecksumAlgorithm a : kAllChecksumAlgorithms) {
    if (EqualsIgnoreCase(name, ChecksumAlgorithmName(a))) return a;
  }
  return std::nullopt;
}

std::string_view ChecksumAlgorithmName(ChecksumAlgorithm a) {
  switch (a) {
    case ChecksumAlgorithm::kCrc32:
      return "CRC32";
    case ChecksumAlgorithm::kCrc32c:
      return "CRC32C";
    case ChecksumAlgorithm::kCrc64Nvme:
      return "CRC64NVME";
    case ChecksumAlgorithm::kSha1:
      return "SHA1";
    case ChecksumAlgorithm::kSha256:
      return "SHA256";
  }
  return "";
}

std::string_view ChecksumHeaderName(ChecksumAlgorithm a) {
  switch (a) {
    case ChecksumAlgorithm::kCrc32:
      return "x-amz-checksum-crc32";
    case ChecksumAlgorithm::kCrc32c:
      return "x-amz-checksum-crc32c";
    case ChecksumAlgorithm::kCrc64Nvme:
      return "x-amz-checksum-crc64nvme";
    case ChecksumAlgorithm::kSha1:
      return "x-amz-checksum-sha1";
    case ChecksumAlgorithm::kSha256:
      return "x-amz-checksum-sha256";
  }
  return "";
}

size_t ChecksumDigestSize(ChecksumAlgorithm a) {
  switch (a) {
    case ChecksumAlgorithm::kCrc32:
      return 4;
    case ChecksumAlgorithm::kCrc32c:
      return 4;
    case ChecksumAlgorithm::kCrc64Nvme:
      return 8;
    case ChecksumAlgorithm::kSha1:
      return 20;
    case ChecksumAlgorithm::kSha256:
      return 32;
  }
  return 0;
}

std::unique_ptr<Hasher> MakeChecksumHasher(ChecksumAlgorithm a) {
  switch (a) {
    case ChecksumAlgorithm::kCrc32:
      return std::make_unique<CrcHasher<uint32_t, Crc32Update>>();
    case ChecksumAlgorithm::kCrc32c:
      return std::make_unique<CrcHasher<uint32_t, Crc32cUpdate>>();
    case ChecksumAlgorithm::kCrc64Nvme:
      return std::make_unique<CrcHasher<uint64_t, Crc64NvmeUpdate>>();
    case ChecksumAlgorithm::kSha1:
      return std::make_unique<EvpHasher>(Sha1Md());
    case ChecksumAlgorithm::kSha256:
      return std::make_unique<EvpHasher>(Sha256Md());
  }
  return nullptr;
}

std::unique_ptr<Hasher> MakeMd5Hasher() { return std::make_unique<EvpHasher>(Md5Md()); }
std::unique_ptr<Hasher> MakeSha256Hasher() { return std::make_unique<EvpHasher>(Sha256Md()); }
std::unique_ptr<Hasher> MakeSha384Hasher() {
  static const EVP_MD* md = FetchOnce("SHA384");
  return std::make_unique<EvpHasher>(md);
}
std::unique_ptr<Hasher> MakeSha512Hasher() {
  static const EVP_MD* md = FetchOnce("SHA512");
  return std::make_unique<EvpHasher>(md);
}

std::string Md5(std::string_view data) { return Digest(Md5Md(), data); }
std::string Sha256(std::string_view data) { return Digest(Sha256Md(), data); }

// HMAC (RFC 2104) over this thread's digest context. OpenSSL 3's HMAC() looks the MAC up by name
// and builds a new context on every call, which cost more than the hashing itself for the short
// strings SigV4 signs once per request.
std::string HmacSha256(std::string_view key, std::string_view data) {
  constexpr size_t kBlock = 64;
  constexpr size_t kDigest = 32;
  unsigned char block_key[kBlock] = {};
  if (key.size() > kBlock) {
    DigestInto(Sha256Md(), {key}, block_key);
  } else {
    std::copy(key.begin(), key.end(), block_key);
  }
  unsigned char inner_pad[kBlock];
  unsigned char outer_pad[kBlock];
  for (size_t i = 0; i < kBlock; ++i) {
    inner_pad[i] = block_key[i] ^ 0x36;
    outer_pad[i] = block_key[i] ^ 0x5c;
  }
  auto bytes = [](const unsigned char* p, size_t n) {
    return std::string_view(reinterpret_cast<const char*>(p), n);
  };
  unsigned char inner[kDigest];
  DigestInto(Sha256Md(), {bytes(inner_pad, kBlock), data}, inner);
  unsigned char out[kDigest];
  DigestInto(Sha256Md(), {bytes(outer_pad, kBlock), bytes(inner, kDigest)}, out);
  return std::string(reinterpret_cast<char*>(out), kDigest);
}

// crc32_gzip_refl inverts the value on entry and exit itself, so its running value already is
// the finished CRC and calls chain as they are.
uint32_t Crc32Update(uint32_t crc, const void* data, size_t size) {
  return crc32_gzip_refl(crc, static_cast<const unsigned char*>(data), size);
}

// crc32_iscsi does no inversion (the iSCSI convention passes ~0 in and inverts the result), so
// wrap it into the same finished-value convention as Crc32Update. Its length is an int, hence
// the chunking.
uint32_t Crc32cUpdate(uint32_t crc, const void* data, size_t size) {
  auto* p = const_cast<unsigned char*>(static_cast<const unsigned char*>(data));
  uint32_t state = ~crc;
  constexpr size_t kMaxChunk = size_t{1} << 30;
  while (size > 0) {
    size_t n = std::min(size, kMaxChunk);
    state = crc32_iscsi(p, static_cast<int>(n), state);
    p += n;
    size -= n;
  }
  return ~state;
}

}  // namespace cairn
