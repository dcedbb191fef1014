// Crc32Combine, Crc32cCombine and Crc64NvmeCombine, which a multipart object's FULL_OBJECT checksum
// rests on: the combine of the parts' CRCs must be the CRC of the whole, for the catalogue's check
// value, random splits, many parts in sequence, empty sides and lengths far past what a test
// hashes.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <string>
#include <string_view>

#include "common/hashing.h"

namespace cairn {
namespace {

// One CRC with its update and combine functions, so each test runs over the three.
template <typename T, T (*kUpdate)(T, const void*, size_t), T (*kCombine)(T, T, uint64_t)>
struct Crc {
  using Value = T;
  static T Of(std::string_view s) { return kUpdate(0, s.data(), s.size()); }
  static T Combine(T a, T b, uint64_t length_b) { return kCombine(a, b, length_b); }
};

using Crc32 = Crc<uint32_t, Crc32Update, Crc32Combine>;
using Crc32c = Crc<uint32_t, Crc32cUpdate, Crc32cCombine>;
using Crc64Nvme = Crc<uint64_t, Crc64NvmeUpdate, Crc64NvmeCombine>;

template <typename C>
class CrcCombine : public ::testing::Test {};
using AllCrcs = ::testing::Types<Crc32, Crc32c, Crc64Nvme>;
TYPED_TEST_SUITE(CrcCombine, AllCrcs);

// The check values of the CRC catalogue (the CRC of "123456789"), from its halves.
TEST(CrcCombineKnownVectors, CheckValuesFromTwoHalves) {
  EXPECT_EQ(Crc32::Of("123456789"), 0xcbf43926u);
  EXPECT_EQ(Crc32c::Of("123456789"), 0xe3069283u);
  EXPECT_EQ(Crc64Nvme::Of("123456789"), 0xae8b14860a799888ULL);
  EXPECT_EQ(Crc32Combine(Crc32::Of("1234"), Crc32::Of("56789"), 5), 0xcbf43926u);
  EXPECT_EQ(Crc32cCombine(Crc32c::Of("12345"), Crc32c::Of("6789"), 4), 0xe3069283u);
  EXPECT_EQ(Crc64NvmeCombine(Crc64Nvme::Of("1"), Crc64Nvme::Of("23456789"), 8),
            0xae8b14860a799888ULL);
}

TYPED_TEST(CrcCombine, RandomSplitsGiveTheCrcOfTheWhole) {
  std::mt19937 rng(23);
  std::string buf(5000, '\0');
  for (auto& c : buf) c = static_cast<char>(rng());
  const std::string_view all(buf);
  for (int i = 0; i < 300; ++i) {
    const size_t len = rng() % (buf.size() + 1);
    const size_t split = rng() % (len + 1);
    const std::string_view a = all.substr(0, split), b = all.substr(split, len - split);
    EXPECT_EQ(TypeParam::Combine(TypeParam::Of(a), TypeParam::Of(b), b.size()),
              TypeParam::Of(all.substr(0, len)))
        << "split " << split << " of " << len;
  }
}

TYPED_TEST(CrcCombine, EmptySides) {
  const std::string data = "The quick brown fox jumps over the lazy dog";
  const auto whole = TypeParam::Of(data);
  EXPECT_EQ(TypeParam::Of(""), 0u);
  EXPECT_EQ(TypeParam::Combine(whole, TypeParam::Of(""), 0), whole);  // length_b = 0
  EXPECT_EQ(TypeParam::Combine(TypeParam::Of(""), whole, data.size()), whole);
  EXPECT_EQ(TypeParam::Combine(0, 0, 0), 0u);
}

// Many parts folded one after the other, as CompleteMultipartUpload does.
TYPED_TEST(CrcCombine, ManyPartsInSequence) {
  std::mt19937 rng(5);
  std::string buf(20000, '\0');
  for (auto& c : buf) c = static_cast<char>(rng());
  typename TypeParam::Value running = 0;
  size_t at = 0;
  while (at < buf.size()) {
    const size_t n = std::min<size_t>(1 + rng() % 700, buf.size() - at);
    running = TypeParam::Combine(running, TypeParam::Of(std::string_view(buf).substr(at, n)), n);
    at += n;
  }
  EXPECT_EQ(running, TypeParam::Of(buf));
}

// Lengths far past what a test can hash: runs of zeros built by doubling with Combine must agree
// with a run hashed directly, and combining must be associative at multi-GiB and 5 TiB lengths
// (the bits of length_b above 32 use the high powers of x).
TYPED_TEST(CrcCombine, LargeLengths) {
  using Value = typename TypeParam::Value;
  const std::string zeros(1 << 20, '\0');
  Value run = TypeParam::Of(std::string_view(zeros).substr(0, 1024));
  for (uint64_t len = 1024; len < zeros.size(); len *= 2) run = TypeParam::Combine(run, run, len);
  EXPECT_EQ(run, TypeParam::Of(zeros));

  std::mt19937_64 rng(99);
  for (int i = 0; i < 50; ++i) {
    const Value a = static_cast<Value>(rng()), b = static_cast<Value>(rng()),
                c = static_cast<Value>(rng());
    const uint64_t len_b = rng() % (uint64_t{5} << 40), len_c = rng() >> (1 + rng() % 63);
    EXPECT_EQ(TypeParam::Combine(TypeParam::Combine(a, b, len_b), c, len_c),
              TypeParam::Combine(a, TypeParam::Combine(b, c, len_c), len_b + len_c))
        << len_b << " " << len_c;
  }
  // The top bit of the length is reachable too.
  const uint64_t huge = ~uint64_t{0};
  EXPECT_EQ(TypeParam::Combine(TypeParam::Combine(1, 2, huge - 7), 3, 7),
            TypeParam::Combine(1, TypeParam::Combine(2, 3, 7), huge));
}

}  // namespace
}  // namespace cairn
