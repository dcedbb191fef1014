// Known answers for the digests and checksums, and the property the streaming body path relies
// on: any split of the input into Update() calls gives the one-shot result.
#include "common/hashing.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

#include "common/encoding.h"

namespace cairn {
namespace {

constexpr std::string_view kCheck = "123456789";

std::string RandomBytes(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::string s(n, '\0');
  for (auto& c : s) c = static_cast<char>(rng());
  return s;
}

std::string HashAll(ChecksumAlgorithm a, std::string_view data) {
  auto h = MakeChecksumHasher(a);
  h->Update(data);
  return h->Finish();
}

TEST(Crc, CheckValues) {
  EXPECT_EQ(Crc32Update(0, kCheck.data(), kCheck.size()), 0xCBF43926u);
  EXPECT_EQ(Crc32cUpdate(0, kCheck.data(), kCheck.size()), 0xE3069283u);
  EXPECT_EQ(Crc64NvmeUpdate(0, kCheck.data(), kCheck.size()), 0xae8b14860a799888ull);
}

TEST(Crc, EmptyInputLeavesRunningValue) {
  EXPECT_EQ(Crc32Update(0, "", 0), 0u);
  EXPECT_EQ(Crc32cUpdate(0, "", 0), 0u);
  EXPECT_EQ(Crc64NvmeUpdate(0, "", 0), 0u);
  EXPECT_EQ(Crc32cUpdate(0x12345678, "", 0), 0x12345678u);
}

TEST(Crc, ChainingAcrossEverySplitEqualsOneShot) {
  std::string data = RandomBytes(300, 1);
  uint32_t crc32 = Crc32Update(0, data.data(), data.size());
  uint32_t crc32c = Crc32cUpdate(0, data.data(), data.size());
  uint64_t crc64 = Crc64NvmeUpdate(0, data.data(), data.size());
  for (size_t split = 0; split <= data.size(); ++split) {
    const char* p = data.data();
    size_t rest = data.size() - split;
    EXPECT_EQ(Crc32Update(Crc32Update(0, p, split), p + split, rest), crc32) << split;
    EXPECT_EQ(Crc32cUpdate(Crc32cUpdate(0, p, split), p + split, rest), crc32c) << split;
    EXPECT_EQ(Crc64NvmeUpdate(Crc64NvmeUpdate(0, p, split), p + split, rest), crc64) << split;
  }
}

TEST(Checksum, HasherChunksEqualOneShot) {
  std::string data = RandomBytes(1 << 16, 2);
  for (ChecksumAlgorithm a : kAllChecksumAlgorithms) {
    auto h = MakeChecksumHasher(a);
    std::mt19937 rng(3);
    size_t pos = 0;
    while (pos < data.size()) {
      size_t n = std::min<size_t>(rng() % 5000, data.size() - pos);
      h->Update(data.data() + pos, n);
      pos += n;
    }
    std::string chunked = h->Finish();
    EXPECT_EQ(chunked, HashAll(a, data)) << ChecksumAlgorithmName(a);
    EXPECT_EQ(chunked.size(), ChecksumDigestSize(a)) << ChecksumAlgorithmName(a);
  }
}

TEST(Checksum, S3KnownAnswersForEmptyBody) {
  EXPECT_EQ(Base64Encode(HashAll(ChecksumAlgorithm::kCrc32, "")), "AAAAAA==");
  EXPECT_EQ(Base64Encode(HashAll(ChecksumAlgorithm::kCrc32c, "")), "AAAAAA==");
  EXPECT_EQ(Base64Encode(HashAll(ChecksumAlgorithm::kCrc64Nvme, "")), "AAAAAAAAAAA=");
  EXPECT_EQ(Base64Encode(HashAll(ChecksumAlgorithm::kSha1, "")), "2jmj7l5rSw0yVb/vlWAYkK/YBwk=");
  EXPECT_EQ(Base64Encode(HashAll(ChecksumAlgorithm::kSha256, "")),
            "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=");
  EXPECT_EQ(Base64Encode(Md5("")), "1B2M2Y8AsgTpgAmY7PhCfg==");
}

TEST(Checksum, CrcDigestsAreBigEndian) {
  EXPECT_EQ(HexEncode(HashAll(ChecksumAlgorithm::kCrc32, kCheck)), "cbf43926");
  EXPECT_EQ(HexEncode(HashAll(ChecksumAlgorithm::kCrc32c, kCheck)), "e3069283");
  EXPECT_EQ(HexEncode(HashAll(ChecksumAlgorithm::kCrc64Nvme, kCheck)), "ae8b14860a799888");
  EXPECT_EQ(Base64Encode(HashAll(ChecksumAlgorithm::kCrc32, kCheck)), "y/Q5Jg==");
}

TEST(Digest, AbcKnownAnswers) {
  EXPECT_EQ(HexEncode(Md5("abc")), "900150983cd24fb0d6963f7d28e17f72");
  EXPECT_EQ(HexEncode(HashAll(ChecksumAlgorithm::kSha1, "abc")),
            "a9993e364706816aba3e25717850c26c9cd0d89d");
  EXPECT_EQ(HexEncode(Sha256("abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  auto md5 = MakeMd5Hasher();
  md5->Update("a");
  md5->Update("bc");
  EXPECT_EQ(HexEncode(md5->Finish()), "900150983cd24fb0d6963f7d28e17f72");
  auto sha = MakeSha256Hasher();
  sha->Update("ab");
  sha->Update("c");
  EXPECT_EQ(HexEncode(sha->Finish()),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

// FIPS 180-2's "abc" answers for the two digests only the R2 binding uses.
TEST(Digest, Sha384AndSha512AbcKnownAnswers) {
  auto sha384 = MakeSha384Hasher();
  sha384->Update("a");
  sha384->Update("bc");
  EXPECT_EQ(HexEncode(sha384->Finish()),
            "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baec"
            "a134c825a7");
  auto sha512 = MakeSha512Hasher();
  sha512->Update("abc");
  EXPECT_EQ(HexEncode(sha512->Finish()),
            "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c"
            "23a3feebbd454d4423643ce80e2a9ac94fa54ca49f");
}

TEST(Digest, HmacSha256Rfc4231Case2) {
  EXPECT_EQ(HexEncode(HmacSha256("Jefe", "what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

// A key longer than SHA-256's 64-byte block is hashed first; one exactly a block long is not.
TEST(Digest, HmacSha256Rfc4231Case6KeyLongerThanBlock) {
  EXPECT_EQ(HexEncode(HmacSha256(std::string(131, '\xaa'),
                                 "Test Using Larger Than Block-Size Key - Hash Key First")),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

TEST(Digest, HmacSha256Rfc4231Case1) {
  EXPECT_EQ(HexEncode(HmacSha256(std::string(20, '\x0b'), "Hi There")),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
}

TEST(ChecksumAlgorithm, NamesRoundTrip) {
  for (ChecksumAlgorithm a : kAllChecksumAlgorithms) {
    EXPECT_EQ(ParseChecksumAlgorithm(ChecksumAlgorithmName(a)), a);
  }
  EXPECT_EQ(ParseChecksumAlgorithm("crc64nvme"), ChecksumAlgorithm::kCrc64Nvme);
  EXPECT_EQ(ParseChecksumAlgorithm("Sha256"), ChecksumAlgorithm::kSha256);
  EXPECT_EQ(ParseChecksumAlgorithm("MD5"), std::nullopt);
  EXPECT_EQ(ParseChecksumAlgorithm("CRC32CC"), std::nullopt);
  EXPECT_EQ(ChecksumHeaderName(ChecksumAlgorithm::kCrc32c), "x-amz-checksum-crc32c");
}

}  // namespace
}  // namespace cairn
