#include "common/random.h"

#include <openssl/rand.h>

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

}  // namespace cairn
