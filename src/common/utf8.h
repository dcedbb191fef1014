// UTF-8 as the S3 wire needs it: checking text that must be UTF-8 (keys, metadata, XML bodies) and
// escaping what may not pass into a log line or an XML document as \xNN, byte by byte.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace cairn {

// The length of the well-formed UTF-8 sequence at the start of `s` (RFC 3629 section 4: no overlong
// forms, no surrogates, nothing past U+10FFFF, no truncation), 0 when there is none or `s` is
// empty; `code_point`, when given, gets its value.
size_t Utf8Sequence(std::string_view s, uint32_t* code_point = nullptr);

bool IsValidUtf8(std::string_view s);

// `text` with every byte that is not part of well-formed UTF-8, and every byte of a sequence whose
// code point `escape` names, written as \xNN (lowercase hex); everything else as it is.
std::string EscapeBytes(std::string_view text, bool (*escape)(uint32_t code_point));

}  // namespace cairn
