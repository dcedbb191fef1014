// Rules for client-sent object metadata. HTTP header values are ASCII in practice, so clients
// that want non-ASCII x-amz-meta-* values send RFC 2047 encoded words ("=?UTF-8?B?w6k=?="), which
// S3 stores verbatim and R2 decodes; cairn decodes like R2 so the dashboard and the API show the
// text the user meant. The size limit and storage classes follow R2's documented limits.
#include "core/metadata_rules.h"

#include <cstdint>
#include <optional>

#include "common/ascii.h"
#include "common/encoding.h"
#include "common/header_field.h"
#include "common/utf8.h"

namespace cairn::core {
namespace {

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

// x-amz-meta- names may reach us with or without the prefix; S3 counts only the user's part.
std::string_view UserPart(std::string_view name) {
  constexpr std::string_view kPrefix = "x-amz-meta-";
  if (name.size() >= kPrefix.size() && EqualsIgnoreCase(name.substr(0, kPrefix.size()), kPrefix)) {
    name.remove_prefix(kPrefix.size());
  }
  return name;
}

}  // namespace

std::string DecodeRfc2047(std::string_view value) {
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

Status ValidateUserMetadata(const std::vector<std::pair<std::string, std::string>>& metadata) {
  // Each entry goes back out as an "x-amz-meta-<name>: <value>" header on every GET and HEAD, so
  // it must be one. Headers arrive that way, but a POST form's field names are free text and a
  // decoded encoded word can hold any byte: "=?UTF-8?B?DQpYOiB5?=" is "\r\nX: y".
  for (const auto& [name, value] : metadata) {
    const std::string header = "x-amz-meta-" + std::string(UserPart(name));
    if (!IsHeaderToken(UserPart(name))) {
      return Status(ErrorCode::kInvalidArgument, "The metadata name " + header.substr(0, 64) +
                                                     (header.size() > 64 ? "..." : "") +
                                                     " is not a valid HTTP header name.");
    }
    if (Status s = CheckHeaderValue(header, value); !s.ok()) return s;
  }
  // S3's rule ("Working with object metadata"): the size is the sum of the UTF-8 bytes of each
  // name and value; R2 applies it with an 8 KiB budget.
  size_t total = 0;
  for (const auto& [name, value] : metadata) {
    total += UserPart(name).size() + value.size();
  }
  if (total > kMaxUserMetadataBytes) {
    return Status(
        ErrorCode::kMetadataTooLarge,
        "Your metadata headers exceed the maximum allowed metadata size: " + std::to_string(total) +
            " bytes of names and values, at most " + std::to_string(kMaxUserMetadataBytes) + ".");
  }
  return Status::Ok();
}

Result<std::string> NormalizeStorageClass(std::string_view value) {
  // R2 has two classes, Standard and Infrequent Access; through the S3 API they are STANDARD and
  // STANDARD_IA, and R2's own names are accepted as synonyms. Matching is case-sensitive as in S3.
  if (value.empty() || value == "STANDARD" || value == "Standard") return std::string("STANDARD");
  if (value == "STANDARD_IA" || value == "InfrequentAccess") return std::string("STANDARD_IA");
  return Error(ErrorCode::kInvalidStorageClass,
               "The storage class you specified is not valid: " + std::string(value) +
                   " (use STANDARD or STANDARD_IA).");
}

}  // namespace cairn::core
