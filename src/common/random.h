// Unguessable identifiers (request ids, upload ids) from OpenSSL's CSPRNG.
#pragma once

#include <cstddef>
#include <string>

namespace cairn {

// `bytes` random bytes as lowercase hex (2 * bytes characters).
std::string RandomHex(size_t bytes);

}  // namespace cairn
