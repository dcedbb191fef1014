// Identifiers: unguessable ones (upload ids, session ids, keys) from OpenSSL's CSPRNG, and cheap
// unique ones (request ids) that need not be secret.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace cairn {

// `bytes` random bytes as lowercase hex (2 * bytes characters).
std::string RandomHex(size_t bytes);

// `length` characters drawn uniformly from `alphabet` (at most 256 characters): access key ids
// and secrets.
std::string RandomString(size_t length, std::string_view alphabet);

// 16 uppercase hex digits, distinct on every call of this thread and, with overwhelming
// probability, from other threads' and processes'. Guessable from earlier ones: not for secrets.
std::string UniqueIdHex();

}  // namespace cairn
