// Identifiers: unguessable ones (upload ids, session ids, keys) from OpenSSL's CSPRNG, and cheap
// unique ones (request ids) that need not be secret.
#pragma once

#include <cstddef>
#include <string>

namespace cairn {

// `bytes` random bytes as lowercase hex (2 * bytes characters).
std::string RandomHex(size_t bytes);

// 16 uppercase hex digits, distinct on every call of this thread and, with overwhelming
// probability, from other threads' and processes'. Guessable from earlier ones: not for secrets.
std::string UniqueIdHex();

}  // namespace cairn
