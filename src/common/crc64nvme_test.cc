// CRC-64/NVME checked against the plain bit-at-a-time definition, at every length and alignment
// the slice-by-8 loop, the folding loop and their tails can meet (its combine:
// crc_combine_test.cc).
#include <gtest/gtest.h>

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

}  // namespace
}  // namespace cairn
