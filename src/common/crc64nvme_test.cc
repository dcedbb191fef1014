// CRC-64/NVME checked against the plain bit-at-a-time definition, at every length and alignment
// the slice-by-8 loop, the folding loop and their tails can meet; and Crc64NvmeCombine, which a
// multipart object's FULL_OBJECT checksum rests on, checked against the CRC of the whole.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>

#include "common/hashing.h"

namespace cairn {
namespace {

uint64_t BitwiseCrc64Nvme(std::string_view data) {
  uint64_t crc = ~uint64_t{0};
  for (unsigned char c : data) {
    crc ^= c;
    for (int i = 0; i < 8; ++i) crc = (crc >> 1) ^ ((crc & 1) ? 0x9a6c9329ac4bc9b5ULL : 0);
  }
  return ~crc;
}

TEST(Crc64Nvme, MatchesBitwiseDefinitionAtEveryLengthAndOffset) {
  std::mt19937 rng(7);
  std::string buf(600, '\0');
  for (auto& c : buf) c = static_cast<char>(rng());
  for (size_t offset = 0; offset < 8; ++offset) {
    for (size_t len = 0; len + offset <= buf.size(); len += (len < 80 ? 1 : 37)) {
      std::string_view s(buf.data() + offset, len);
      EXPECT_EQ(Crc64NvmeUpdate(0, s.data(), s.size()), BitwiseCrc64Nvme(s))
          << "offset " << offset << " len " << len;
    }
  }
}

// Long inputs take the carry-less-multiply path where the CPU has one; chaining must still agree
// when a split puts one side on each path.
TEST(Crc64Nvme, LongInputsAndMixedPathChaining) {
  std::mt19937 rng(11);
  std::string buf(70000, '\0');
  for (auto& c : buf) c = static_cast<char>(rng());
  uint64_t whole = Crc64NvmeUpdate(0, buf.data(), buf.size());
  EXPECT_EQ(whole, BitwiseCrc64Nvme(buf));
  for (int i = 0; i < 200; ++i) {
    size_t split = rng() % buf.size();
    uint64_t first = Crc64NvmeUpdate(0, buf.data(), split);
    EXPECT_EQ(Crc64NvmeUpdate(first, buf.data() + split, buf.size() - split), whole) << split;
  }
  for (size_t len = 100; len < 1200; len += 7) {
    std::string_view s(buf.data() + len % 13, len);
    EXPECT_EQ(Crc64NvmeUpdate(0, s.data(), s.size()), BitwiseCrc64Nvme(s)) << len;
  }
}

TEST(Crc64Nvme, AllZerosAndAllOnes) {
  std::string zeros(4096, '\0'), ones(4096, '\xff');
  EXPECT_EQ(Crc64NvmeUpdate(0, zeros.data(), zeros.size()), BitwiseCrc64Nvme(zeros));
  EXPECT_EQ(Crc64NvmeUpdate(0, ones.data(), ones.size()), BitwiseCrc64Nvme(ones));
}

uint64_t Crc(std::string_view s) { return Crc64NvmeUpdate(0, s.data(), s.size()); }

TEST(Crc64NvmeCombine, RandomSplitsGiveTheCrcOfTheWhole) {
  std::mt19937 rng(23);
  std::string buf(5000, '\0');
  for (auto& c : buf) c = static_cast<char>(rng());
  const std::string_view all(buf);
  for (int i = 0; i < 300; ++i) {
    const size_t len = rng() % (buf.size() + 1);
    const size_t split = rng() % (len + 1);
    const std::string_view a = all.substr(0, split), b = all.substr(split, len - split);
    EXPECT_EQ(Crc64NvmeCombine(Crc(a), Crc(b), b.size()), Crc(all.substr(0, len)))
        << "split " << split << " of " << len;
  }
}

TEST(Crc64NvmeCombine, EmptySides) {
  const std::string data = "The quick brown fox jumps over the lazy dog";
  EXPECT_EQ(Crc(""), 0u);
  EXPECT_EQ(Crc64NvmeCombine(Crc(data), Crc(""), 0), Crc(data));  // length_b = 0
  EXPECT_EQ(Crc64NvmeCombine(Crc(""), Crc(data), data.size()), Crc(data));
  EXPECT_EQ(Crc64NvmeCombine(0, 0, 0), 0u);
}

// Many parts folded one after the other, as CompleteMultipartUpload does.
TEST(Crc64NvmeCombine, ManyPartsInSequence) {
  std::mt19937 rng(5);
  std::string buf(20000, '\0');
  for (auto& c : buf) c = static_cast<char>(rng());
  uint64_t running = 0;
  size_t at = 0;
  while (at < buf.size()) {
    const size_t n = std::min<size_t>(1 + rng() % 700, buf.size() - at);
    running = Crc64NvmeCombine(running, Crc(std::string_view(buf).substr(at, n)), n);
    at += n;
  }
  EXPECT_EQ(running, Crc(buf));
}

// Lengths far past what a test can hash: runs of zeros built by doubling with Combine must agree
// with a run hashed directly, and combining must be associative at multi-GiB and 5 TiB lengths
// (the bits of length_b above 32 use the high powers of x).
TEST(Crc64NvmeCombine, LargeLengths) {
  const std::string zeros(1 << 20, '\0');
  uint64_t run = Crc(std::string_view(zeros).substr(0, 1024));
  for (uint64_t len = 1024; len < zeros.size(); len *= 2) run = Crc64NvmeCombine(run, run, len);
  EXPECT_EQ(run, Crc(zeros));

  std::mt19937_64 rng(99);
  for (int i = 0; i < 50; ++i) {
    const uint64_t a = rng(), b = rng(), c = rng();
    const uint64_t len_b = rng() % (uint64_t{5} << 40), len_c = rng() >> (1 + rng() % 63);
    EXPECT_EQ(Crc64NvmeCombine(Crc64NvmeCombine(a, b, len_b), c, len_c),
              Crc64NvmeCombine(a, Crc64NvmeCombine(b, c, len_c), len_b + len_c))
        << len_b << " " << len_c;
  }
  // The top bit of the length is reachable too.
  const uint64_t huge = ~uint64_t{0};
  EXPECT_EQ(Crc64NvmeCombine(Crc64NvmeCombine(1, 2, huge - 7), 3, 7),
            Crc64NvmeCombine(1, Crc64NvmeCombine(2, 3, 7), huge));
}

}  // namespace
}  // namespace cairn
