// RFC 2047 encoded words for metadata values, written from the RFC. The encoder uses only the B
// encoding: it is what S3 SDKs send and what every server decodes.
#include "client/metadata_encoding.h"

#include <cctype>
#include <optional>

#include "common/encoding.h"

namespace cairn::client {
namespace {

constexpr std::string_view kPrefix = "=?UTF-8?B?";
constexpr std::string_view kSuffix = "?=";
// 45 input bytes make 60 base64 characters: 72 with the prefix and suffix, under the 75 of
// RFC 2047 section 2.
constexpr size_t kMaxBytesPerWord = 45;

bool NeedsEncoding(std::string_view value) {
  for (unsigned char c : value) {
    if (c < 0x20 || c > 0x7E) return true;
  }
  if (!value.empty() && (value.front() == ' ' || value.back() == ' ')) return true;
  return value.find("=?") != std::string_view::npos;
}

// The length of the longest prefix of `bytes`, at most `limit`, that does not cut a UTF-8
// sequence; bytes that are not UTF-8 are cut anywhere.
size_t Utf8Cut(std::string_view bytes, size_t limit) {
  if (bytes.size() <= limit) return bytes.size();
  size_t cut = limit;
  // Step back over continuation bytes (10xxxxxx) to the start of the character that crosses.
  while (cut > 0 && (static_cast<unsigned char>(bytes[cut]) & 0xC0) == 0x80 && limit - cut < 3) {
    --cut;
  }
  return cut == 0 ? limit : cut;
}

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

std::string Latin1ToUtf8(std::string_view bytes) {
  std::string out;
  for (unsigned char c : bytes) {
    if (c < 0x80) {
      out += static_cast<char>(c);
    } else {
      out += static_cast<char>(0xC0 | (c >> 6));
      out += static_cast<char>(0x80 | (c & 0x3F));
    }
  }
  return out;
}

std::optional<std::string> DecodeQ(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '_') {
      out += ' ';
    } else if (text[i] == '=') {
      if (i + 2 >= text.size()) return std::nullopt;
      std::optional<std::string> byte = HexDecode(text.substr(i + 1, 2));
      if (!byte) return std::nullopt;
      out += *byte;
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

// One encoded word, "=?charset?encoding?text?=" (an RFC 2231 language suffix "*lang" on the
// charset is allowed and ignored), decoded to UTF-8.
std::optional<std::string> DecodeWord(std::string_view word) {
  if (word.size() < 8 || !word.starts_with("=?") || !word.ends_with("?=")) return std::nullopt;
  std::string_view inner = word.substr(2, word.size() - 4);
  size_t q1 = inner.find('?');
  if (q1 == std::string_view::npos || q1 + 2 >= inner.size() || inner[q1 + 2] != '?') {
    return std::nullopt;
  }
  std::string charset(inner.substr(0, q1));
  charset = charset.substr(0, charset.find('*'));
  for (char& c : charset) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  const char encoding = static_cast<char>(std::toupper(static_cast<unsigned char>(inner[q1 + 1])));
  std::string_view text = inner.substr(q1 + 3);
  std::optional<std::string> bytes;
  if (encoding == 'B') {
    std::string padded(text);
    while (padded.size() % 4 != 0) padded += '=';  // some encoders drop the padding
    bytes = Base64Decode(padded);
  } else if (encoding == 'Q') {
    bytes = DecodeQ(text);
  }
  if (!bytes) return std::nullopt;
  if (charset == "UTF-8" || charset == "UTF8" || charset == "US-ASCII") return bytes;
  if (charset == "ISO-8859-1" || charset == "LATIN1") return Latin1ToUtf8(*bytes);
  return std::nullopt;
}

}  // namespace

std::string EncodeMetadataValue(std::string_view value) {
  if (!NeedsEncoding(value)) return std::string(value);
  std::string out;
  do {
    const size_t n = Utf8Cut(value, kMaxBytesPerWord);
    if (!out.empty()) out += ' ';
    out += kPrefix;
    out += Base64Encode(value.substr(0, n));
    out += kSuffix;
    value.remove_prefix(n);
  } while (!value.empty());
  return out;
}

std::string DecodeMetadataValue(std::string_view value) {
  if (value.find("=?") == std::string_view::npos) return std::string(value);
  std::string out;
  std::string pending_space;
  bool last_was_word = false;
  size_t i = 0;
  while (i < value.size()) {
    if (IsSpace(value[i])) {
      pending_space += value[i++];
      continue;
    }
    size_t end = i;
    while (end < value.size() && !IsSpace(value[end])) ++end;
    std::string_view token = value.substr(i, end - i);
    std::optional<std::string> decoded = DecodeWord(token);
    if (!(decoded && last_was_word)) out += pending_space;
    out += decoded ? *decoded : std::string(token);
    last_was_word = decoded.has_value();
    pending_space.clear();
    i = end;
  }
  return out + pending_space;
}

}  // namespace cairn::client
