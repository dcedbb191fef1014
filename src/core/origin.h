// Web origins ("scheme://host[:port]", RFC 6454) as browsers write them in an Origin header. The
// dashboard (console listener) and the S3 API (S3 listener) are two origins on purpose, so that a
// page stored as an object never runs on the console's origin; each side names the other's origin
// from a configured public URL or, by default, from the host name the browser used and the other
// listener's port.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cairn::core {

// The host name of a Host header value, without its port: "example.com:9000" -> "example.com",
// "[::1]:9000" -> "[::1]" (an IPv6 literal keeps its brackets, as in a URL).
std::string_view HostName(std::string_view host_header);

// "host" or "host:port": the authority a browser writes in Host and Origin, which leaves out the
// scheme's default port (80 for http, 443 for https).
std::string Authority(std::string_view scheme, std::string_view host_name, uint16_t port);

// A configured public URL ("https://s3.example.com", "http://10.0.0.5:9000/") as an origin:
// lowercase scheme and host, no trailing slash, no default port. nullopt: not an http(s) URL of a
// bare origin (a path, query, user info or empty host).
std::optional<std::string> ParseOrigin(std::string_view url);

}  // namespace cairn::core
