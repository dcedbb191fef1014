#include "common/log_text.h"

#include <cstdint>

#include "common/ascii.h"
#include "common/encoding.h"
#include "common/utf8.h"

namespace cairn {
namespace {

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

std::string LogSafe(std::string_view text) { return EscapeBytes(text, BreaksOrControlsALine); }

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
