// Digests and checksums computed while bytes stream past: MD5 (ETags), SHA-256 (SigV4 payloads),
// and the five S3 checksum algorithms. CRC32/CRC32C come from ISA-L; CRC64/NVME is our own
// (ISA-L 2.30 lacks it). All are incremental: Update() any number of times, then Finish() once.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace cairn {

enum class ChecksumAlgorithm { kCrc32, kCrc32c, kCrc64Nvme, kSha1, kSha256 };
inline constexpr ChecksumAlgorithm kAllChecksumAlgorithms[] = {
    ChecksumAlgorithm::kCrc32, ChecksumAlgorithm::kCrc32c, ChecksumAlgorithm::kCrc64Nvme,
    ChecksumAlgorithm::kSha1, ChecksumAlgorithm::kSha256};

// "CRC32", "CRC32C", "CRC64NVME", "SHA1", "SHA256" (case-insensitive) -> algorithm.
std::optional<ChecksumAlgorithm> ParseChecksumAlgorithm(std::string_view name);
std::string_view ChecksumAlgorithmName(ChecksumAlgorithm a);  // "CRC32", ...
std::string_view ChecksumHeaderName(ChecksumAlgorithm a);     // "x-amz-checksum-crc32", ...
// The length of the raw digest in bytes (4, 4, 8, 20, 32).
size_t ChecksumDigestSize(ChecksumAlgorithm a);

// One running digest. Finish() returns the raw digest bytes (CRCs big-endian, as S3 encodes them
// before base64).
class Hasher {
 public:
  virtual ~Hasher() = default;
  virtual void Update(const void* data, size_t size) = 0;
  void Update(std::string_view s) { Update(s.data(), s.size()); }
  virtual std::string Finish() = 0;
};

std::unique_ptr<Hasher> MakeChecksumHasher(ChecksumAlgorithm a);
std::unique_ptr<Hasher> MakeMd5Hasher();
std::unique_ptr<Hasher> MakeSha256Hasher();
// SHA-384 and SHA-512: the R2 binding's put may promise them (not S3 checksums).
std::unique_ptr<Hasher> MakeSha384Hasher();
std::unique_ptr<Hasher> MakeSha512Hasher();

// One-shot helpers.
std::string Md5(std::string_view data);                               // raw 16 bytes
std::string Sha256(std::string_view data);                            // raw 32 bytes
std::string HmacSha256(std::string_view key, std::string_view data);  // raw 32 bytes
// Signature Version 2 POST forms only: what their signatures are made of.
std::string HmacSha1(std::string_view key, std::string_view data);  // raw 20 bytes

// The raw CRC functions, exposed for tests and benchmarks. `crc` is the running value (start with
// 0).
uint32_t Crc32Update(uint32_t crc, const void* data, size_t size);
uint32_t Crc32cUpdate(uint32_t crc, const void* data, size_t size);
uint64_t Crc64NvmeUpdate(uint64_t crc, const void* data, size_t size);

// The CRC of A followed by B, from the CRCs of A and of B and B's length: how a multipart object's
// FULL_OBJECT checksum is derived from its parts' without reading them again (crc_combine.cc).
uint32_t Crc32Combine(uint32_t crc_a, uint32_t crc_b, uint64_t length_b);
uint32_t Crc32cCombine(uint32_t crc_a, uint32_t crc_b, uint64_t length_b);
uint64_t Crc64NvmeCombine(uint64_t crc_a, uint64_t crc_b, uint64_t length_b);

}  // namespace cairn
