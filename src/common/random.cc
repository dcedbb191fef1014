#include "common/random.h"

#include <openssl/rand.h>

#include <cstdint>
#include <cstdlib>
#include <vector>

#include "common/encoding.h"

namespace cairn {

std::string RandomHex(size_t bytes) {
  std::vector<unsigned char> raw(bytes);
  // RAND_bytes fails only when the CSPRNG cannot be seeded: no id is better than a guessable one.
  if (RAND_bytes(raw.data(), static_cast<int>(raw.size())) != 1) std::abort();
  return HexEncode(std::string_view(reinterpret_cast<const char*>(raw.data()), raw.size()));
}

std::string RandomString(size_t length, std::string_view alphabet) {
  std::string out;
  while (out.size() < length) {
    unsigned char byte;
    if (RAND_bytes(&byte, 1) != 1) std::abort();
    // Rejection sampling keeps every character equally likely.
    if (byte < 256 - 256 % alphabet.size()) out += alphabet[byte % alphabet.size()];
  }
  return out;
}

// A per-thread counter from a random start, scrambled by SplitMix64's finalizer (a bijection, so
// a thread never repeats itself). RAND_bytes per request cost a lock and a getpid() each time.
std::string UniqueIdHex() {
  thread_local uint64_t counter = [] {
    uint64_t seed = 0;
    if (RAND_bytes(reinterpret_cast<unsigned char*>(&seed), sizeof seed) != 1) std::abort();
    return seed;
  }();
  uint64_t z = counter++;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  z ^= z >> 31;
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string out(16, '0');
  for (int i = 15; i >= 0; --i, z >>= 4) out[static_cast<size_t>(i)] = kDigits[z & 0xf];
  return out;
}

}  // namespace cairn
