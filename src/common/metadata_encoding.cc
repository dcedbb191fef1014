// RFC 2047 encoded words for x-amz-meta-* values, written from the RFC: the encoder uses only the B
// encoding (what S3 SDKs send and every server decodes); the decoder reads B and Q words.
#include "common/metadata_encoding.h"

#include <cstdint>
#include <optional>

#include "common/ascii.h"
#include "common/encoding.h"
#include "common/utf8.h"

namespace cairn {
namespace {

constexpr std::string_view kPrefix = "=?UTF-8?B?";
constexpr std::string_view kSuffix = "?=";
// 45 input bytes make 60 base64 characters: 72 with the prefix and suffix, under the 75 of
// RFC 2047 section 2.
constexpr size_t kMaxBytesPerWord = 45;

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

bool IsLinearWhiteSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// RFC 2047 section 4.2: "_" is a space, "=XX" a byte, anything else itself.
std::optional<std::string> DecodeQ(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '_') {
      out.push_back(' ');
    } else if (c == '=') {
      if (i + 2 >= text.size()) return std::nullopt;
      const int hi = HexValue(text[i + 1]);
      const int lo = HexValue(text[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else {
      out.push_back(c);
    }
  }
  return out;
}

// RFC 2047 section 4.1 is plain base64. Some encoders drop the trailing "=" padding; restore it so
// the strict decoder accepts what is otherwise a well-formed word.
std::optional<std::string> DecodeB(std::string_view text) {
  std::string padded(text);
  if (padded.size() % 4 == 1) return std::nullopt;
  while (padded.size() % 4 != 0) padded.push_back('=');
  return Base64Decode(padded);
}

std::string Latin1ToUtf8(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size() * 2);
  for (char ch : bytes) {
    const auto c = static_cast<uint8_t>(ch);
    if (c < 0x80) {
      out.push_back(ch);
    } else {
      out.push_back(static_cast<char>(0xC0 | (c >> 6)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    }
  }
  return out;
}

// Decodes one encoded word, "=?charset?encoding?text?=", that spans all of `word`. nullopt when it
// is not one or uses a charset cairn does not convert; the caller then keeps the text as sent.
std::optional<std::string> DecodeWord(std::string_view word) {
  if (word.size() < 8 || !word.starts_with("=?") || !word.ends_with("?=")) return std::nullopt;
  std::string_view inner = word.substr(2, word.size() - 4);
  const size_t q1 = inner.find('?');
  if (q1 == std::string_view::npos) return std::nullopt;
  std::string_view charset = inner.substr(0, q1);
  inner.remove_prefix(q1 + 1);
  if (inner.size() < 2 || inner[1] != '?') return std::nullopt;
  const char encoding = AsciiLower(inner[0]);
  const std::string_view text = inner.substr(2);
  if (text.find('?') != std::string_view::npos) return std::nullopt;
  // RFC 2231 section 5 allows a language after the charset: "UTF-8*en".
  if (const size_t star = charset.find('*'); star != std::string_view::npos) {
    charset = charset.substr(0, star);
  }

  std::optional<std::string> bytes;
  if (encoding == 'b') {
    bytes = DecodeB(text);
  } else if (encoding == 'q') {
    bytes = DecodeQ(text);
  }
  if (!bytes) return std::nullopt;

  if (EqualsIgnoreCase(charset, "UTF-8") || EqualsIgnoreCase(charset, "UTF8")) {
    // Invalid UTF-8 would turn a harmless ASCII header into bytes no client can display.
    if (!IsValidUtf8(*bytes)) return std::nullopt;
    return bytes;
  }
  // US-ASCII is a subset of ISO-8859-1, so one conversion serves both.
  if (EqualsIgnoreCase(charset, "ISO-8859-1") || EqualsIgnoreCase(charset, "ISO8859-1") ||
      EqualsIgnoreCase(charset, "LATIN1") || EqualsIgnoreCase(charset, "US-ASCII")) {
    return Latin1ToUtf8(*bytes);
  }
  return std::nullopt;
}

}  // namespace

bool NeedsEncodedWords(std::string_view value) {
  for (unsigned char c : value) {
    if (c < 0x20 || c > 0x7E) return true;
  }
  return !value.empty() && (value.front() == ' ' || value.back() == ' ');
}

std::string EncodeAsWords(std::string_view value) {
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

std::string EncodeMetadataValue(std::string_view value) {
  if (NeedsEncodedWords(value) || value.find("=?") != std::string_view::npos) {
    return EncodeAsWords(value);
  }
  return std::string(value);
}

std::string DecodeMetadataValue(std::string_view value) {
  if (value.find("=?") == std::string_view::npos) return std::string(value);
  // RFC 2047 section 5: an encoded word is a whitespace-delimited token. Section 6.2: white space
  // between two adjacent encoded words is not displayed, so "=?..?= =?..?=" joins without a gap,
  // while white space next to ordinary text is kept.
  std::string out;
  std::string pending_space;   // white space seen since the last token
  bool last_was_word = false;  // the last token was a decoded encoded word
  size_t i = 0;
  while (i < value.size()) {
    if (IsLinearWhiteSpace(value[i])) {
      pending_space.push_back(value[i]);
      ++i;
      continue;
    }
    size_t end = i;
    while (end < value.size() && !IsLinearWhiteSpace(value[end])) ++end;
    const std::string_view token = value.substr(i, end - i);
    if (std::optional<std::string> decoded = DecodeWord(token)) {
      if (!last_was_word) out += pending_space;
      out += *decoded;
      last_was_word = true;
    } else {
      out += pending_space;
      out += token;
      last_was_word = false;
    }
    pending_space.clear();
    i = end;
  }
  out += pending_space;
  return out;
}

}  // namespace cairn
