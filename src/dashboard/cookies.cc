#include "dashboard/cookies.h"

#include "common/ascii.h"

namespace cairn::dashboard {
namespace {

std::string Attributes(bool secure) {
  return std::string("; Path=/_cairn/; HttpOnly; SameSite=Strict") + (secure ? "; Secure" : "");
}

}  // namespace

std::optional<std::string_view> CookieValue(std::string_view cookie_header, std::string_view name) {
  while (!cookie_header.empty()) {
    size_t end = cookie_header.find(';');
    std::string_view pair = TrimOws(cookie_header.substr(0, end));
    cookie_header =
        end == std::string_view::npos ? std::string_view() : cookie_header.substr(end + 1);
    size_t eq = pair.find('=');
    if (eq == std::string_view::npos || TrimOws(pair.substr(0, eq)) != name) continue;
    std::string_view value = TrimOws(pair.substr(eq + 1));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
      value = value.substr(1, value.size() - 2);
    }
    return value;
  }
  return std::nullopt;
}

std::string SessionCookie(std::string_view token, std::chrono::seconds max_age, bool secure) {
  return std::string(kSessionCookieName) + "=" + std::string(token) +
         "; Max-Age=" + std::to_string(max_age.count()) + Attributes(secure);
}

std::string ExpiredSessionCookie(bool secure) {
  return std::string(kSessionCookieName) + "=; Max-Age=0" + Attributes(secure);
}

}  // namespace cairn::dashboard
