#include "common/log_text.h"

#include <cstdint>

#include "common/ascii.h"
#include "common/encoding.h"

namespace cairn {
namespace {

constexpr char kHexDigits[] = "0123456789abcdef";

void AppendEscaped(std::string_view bytes, std::string& out) {
  for (const char ch : bytes) {
    const auto c = static_cast<uint8_t>(ch);
    out += "\\x";
    out += kHexDigits[c >> 4];
    out += kHexDigits[c & 0xF];
  }
}

// The length of the well-formed UTF-8 sequence at the start of `s` (RFC 3629: no overlong forms,
// no surrogates, nothing past U+10FFFF), or 0 when there is none; `code_point` gets its value.
size_t Utf8Sequence(std::string_view s, uint32_t& code_point) {
  const auto lead = static_cast<uint8_t>(s[0]);
  if (lead < 0x80) {
    code_point = lead;
    return 1;
  }
  const size_t length = (lead & 0xE0) == 0xC0   ? 2
                        : (lead & 0xF0) == 0xE0 ? 3
                        : (lead & 0xF8) == 0xF0 ? 4
                                                : 0;
  if (length == 0 || s.size() < length) return 0;
  code_point = lead & (0x7F >> length);
  for (size_t i = 1; i < length; ++i) {
    const auto c = static_cast<uint8_t>(s[i]);
    if ((c & 0xC0) != 0x80) return 0;
    code_point = (code_point << 6) | (c & 0x3F);
  }
  constexpr uint32_t kSmallest[] = {0, 0, 0x80, 0x800, 0x10000};  // by length: no overlong forms
  const bool surrogate = code_point >= 0xD800 && code_point <= 0xDFFF;
  if (code_point < kSmallest[length] || code_point > 0x10FFFF || surrogate) return 0;
  return length;
}

bool BreaksOrControlsALine(uint32_t code_point) {
  return code_point < 0x20 || (code_point >= 0x7F && code_point <= 0x9F) || code_point == 0x2028 ||
         code_point == 0x2029;
}

// The query parameters whose values are credentials.
bool IsSecretParameter(std::string_view name) {
  return EqualsIgnoreCase(name, "X-Amz-Signature") || EqualsIgnoreCase(name, "Signature") ||
         EqualsIgnoreCase(name, "X-Amz-Security-Token");
}

// One name=value item of a query, redacted.
std::string RedactParameter(std::string_view item) {
  const size_t eq = item.find('=');
  if (eq == std::string_view::npos) return std::string(item);
  const std::string_view raw_name = item.substr(0, eq);
  const std::string_view value = item.substr(eq + 1);
  const std::string name = UrlDecode(raw_name).value_or(std::string(raw_name));
  std::string out(raw_name);
  out += '=';
  if (IsSecretParameter(name)) {
    out += "REDACTED";
  } else if (EqualsIgnoreCase(name, "X-Amz-Credential")) {
    // <key id>/<date>/<region>/s3/aws4_request: only the key id says whose URL it was.
    const std::string decoded = UrlDecode(value).value_or(std::string(value));
    out += UriEncode(decoded.substr(0, decoded.find('/')), /*keep_slash=*/false);
    if (decoded.find('/') != std::string::npos) out += "%2F...";
  } else {
    out += value;
  }
  return out;
}

}  // namespace

std::string LogSafe(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  while (!text.empty()) {
    uint32_t code_point = 0;
    size_t length = Utf8Sequence(text, code_point);
    const std::string_view piece = text.substr(0, length == 0 ? 1 : length);
    if (length == 0 || BreaksOrControlsALine(code_point)) {
      AppendEscaped(piece, out);
    } else {
      out += piece;
    }
    text.remove_prefix(piece.size());
  }
  return out;
}

std::string RedactTarget(std::string_view target) {
  const size_t question = target.find('?');
  if (question == std::string_view::npos) return LogSafe(target);
  std::string out(target.substr(0, question + 1));
  std::string_view query = target.substr(question + 1);
  for (bool first = true;; first = false) {
    const size_t amp = query.find('&');
    if (!first) out += '&';
    out += RedactParameter(query.substr(0, amp));
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return LogSafe(out);
}

std::string LogKeyId(std::string_view key_id, bool known) {
  bool key_shaped = key_id.size() >= 16 && key_id.size() <= 128;
  for (const char c : key_id) {
    if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) key_shaped = false;
  }
  if (known || key_shaped) return LogSafe(key_id);
  return "<key id not shown, " + std::to_string(key_id.size()) + " bytes>";
}

}  // namespace cairn
