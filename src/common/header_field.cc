#include "common/header_field.h"

#include <string>

namespace cairn {

bool IsHeaderValueSafe(std::string_view value) {
  for (const char ch : value) {
    const auto c = static_cast<unsigned char>(ch);
    if ((c < 0x20 && c != '\t') || c == 0x7F) return false;
  }
  return true;
}

bool IsHeaderToken(std::string_view name) {
  if (name.empty()) return false;
  constexpr std::string_view kTcharSymbols = "!#$%&'*+-.^_`|~";
  for (const char c : name) {
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (!alnum && kTcharSymbols.find(c) == std::string_view::npos) return false;
  }
  return true;
}

Status CheckHeaderValue(std::string_view what, std::string_view value) {
  if (IsHeaderValueSafe(value)) return Status::Ok();
  return Status(ErrorCode::kInvalidArgument,
                "The value of " + std::string(what) +
                    " contains a control character (CR, LF, NUL or another byte below 0x20 but "
                    "tab, or 0x7F), which cannot be sent in an HTTP header.");
}

}  // namespace cairn
