// Combining CRCs: the CRC of A followed by B from the CRCs of A and B and B's length, for the three
// reflected CRCs S3 offers as FULL_OBJECT checksums of multipart objects (CRC-32, CRC-32C and
// CRC-64/NVME). One GF(2) routine serves all three, parameterised by register width and polynomial.
//
// The CRC register is affine in the message: a message's register is its first part's register
// times x^(8 len_b), plus what B alone contributes. The init and xorout inversions (all ones for
// the three CRCs) cancel out of that sum (the ~0 terms appear once through crc_a and once through
// crc_b), which is why the finished values can be combined as they are, the argument zlib's
// crc32_combine makes for CRC-32. O(log length_b) multiplications, so a 10,000-part object
// combines in microseconds.
#include <array>
#include <cstdint>

#include "common/hashing.h"

namespace cairn {
namespace {

// In the reflected register the most significant bit holds the coefficient of x^0 and the least
// significant that of x^(width-1), so multiplying by x is the CRC's own step: shift right, and
// reduce by P when a term leaves at x^width.
template <typename T, T kPoly>
struct Gf2 {
  static constexpr T kXPow0 = T{1} << (sizeof(T) * 8 - 1);

  static constexpr T TimesX(T a) { return (a >> 1) ^ ((a & 1) ? kPoly : 0); }

  // a * b mod P, both reflected: b is added for each term of a, times x^i.
  static constexpr T MultiplyModP(T a, T b) {
    T product = 0;
    for (T term = kXPow0; term != 0 && a != 0; term >>= 1) {
      if (a & term) {
        product ^= b;
        a ^= term;
      }
      b = TimesX(b);
    }
    return product;
  }

  // pow2[k] = x^(2^k) mod P, each the square of the one before. A length of n bytes shifts by
  // x^(8n) = the product of pow2[k + 3] over the bits k set in n; k + 3 <= 66 for any 64-bit n.
  static constexpr std::array<T, 67> MakePowersOfTwo() {
    std::array<T, 67> pow2{};
    pow2[0] = kXPow0 >> 1;  // x^1
    for (size_t k = 1; k < pow2.size(); ++k) pow2[k] = MultiplyModP(pow2[k - 1], pow2[k - 1]);
    return pow2;
  }
  static constexpr std::array<T, 67> kPow2 = MakePowersOfTwo();

  static T Combine(T crc_a, T crc_b, uint64_t length_b) {
    T shift = kXPow0;
    for (int k = 0; length_b != 0; ++k, length_b >>= 1) {
      if (length_b & 1) shift = MultiplyModP(shift, kPow2[k + 3]);
    }
    return MultiplyModP(shift, crc_a) ^ crc_b;
  }
};

// The reflected polynomials: CRC-32 (ISO-HDLC), CRC-32C (Castagnoli), CRC-64/NVME.
using Crc32Field = Gf2<uint32_t, 0xedb88320u>;
using Crc32cField = Gf2<uint32_t, 0x82f63b78u>;
using Crc64NvmeField = Gf2<uint64_t, 0x9a6c9329ac4bc9b5ULL>;

}  // namespace

uint32_t Crc32Combine(uint32_t crc_a, uint32_t crc_b, uint64_t length_b) {
  return Crc32Field::Combine(crc_a, crc_b, length_b);
}

uint32_t Crc32cCombine(uint32_t crc_a, uint32_t crc_b, uint64_t length_b) {
  return Crc32cField::Combine(crc_a, crc_b, length_b);
}

uint64_t Crc64NvmeCombine(uint64_t crc_a, uint64_t crc_b, uint64_t length_b) {
  return Crc64NvmeField::Combine(crc_a, crc_b, length_b);
}

}  // namespace cairn
