// Byte encodings used on the S3 wire: hex, base64, and the URI encodings of SigV4 and of listings.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace cairn {

std::string HexEncode(std::string_view bytes);  // lowercase
std::optional<std::string> HexDecode(std::string_view hex);

std::string Base64Encode(std::string_view bytes);
// Strict: rejects characters outside the alphabet and wrong padding (S3 answers InvalidDigest).
std::optional<std::string> Base64Decode(std::string_view text);

// SigV4's UriEncode: every byte but A-Z a-z 0-9 - . _ ~ becomes %XX (uppercase hex); '/' is kept
// when keep_slash is true (object key paths).
std::string UriEncode(std::string_view bytes, bool keep_slash);

// Decodes %XX escapes; '+' stays '+' unless plus_is_space (form encoding only). nullopt on a bad
// escape.
std::optional<std::string> UrlDecode(std::string_view text, bool plus_is_space = false);

}  // namespace cairn
