// The session cookie on the wire (RFC 6265): finding it in a Cookie header, and the Set-Cookie
// values that sign a browser in and out. The cookie is HttpOnly (scripts never see the token),
// SameSite=Strict (no other site's page can make the browser send it), scoped to /_cairn/, and
// Secure when the dashboard is served over TLS.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace cairn::dashboard {

inline constexpr std::string_view kSessionCookieName = "cairn_session";

// The value of cookie `name` in a Cookie header ("a=1; cairn_session=abc"), or nullopt.
std::optional<std::string_view> CookieValue(std::string_view cookie_header, std::string_view name);

std::string SessionCookie(std::string_view token, std::chrono::seconds max_age, bool secure);
// Tells the browser to drop the session cookie now.
std::string ExpiredSessionCookie(bool secure);

}  // namespace cairn::dashboard
