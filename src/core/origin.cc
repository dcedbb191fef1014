#include "core/origin.h"

#include <charconv>

#include "common/ascii.h"

namespace cairn::core {

std::string_view HostName(std::string_view host_header) {
  if (!host_header.empty() && host_header.front() == '[') {
    const size_t close = host_header.find(']');
    return close == std::string_view::npos ? host_header : host_header.substr(0, close + 1);
  }
  return host_header.substr(0, host_header.rfind(':'));
}

std::string Authority(std::string_view scheme, std::string_view host_name, uint16_t port) {
  const bool default_port = (scheme == "http" && port == 80) || (scheme == "https" && port == 443);
  std::string out(host_name);
  if (!default_port) out += ":" + std::to_string(port);
  return out;
}

std::optional<std::string> ParseOrigin(std::string_view url) {
  const size_t sep = url.find("://");
  if (sep == std::string_view::npos) return std::nullopt;
  const std::string scheme = AsciiLowercase(url.substr(0, sep));
  if (scheme != "http" && scheme != "https") return std::nullopt;
  std::string_view authority = url.substr(sep + 3);
  if (authority.ends_with('/')) authority.remove_suffix(1);
  if (authority.empty() || authority.find_first_of("/?#@ \t\\") != std::string_view::npos) {
    return std::nullopt;
  }
  const std::string_view host = HostName(authority);
  if (host.empty() || host == "[]") return std::nullopt;
  for (char c : host) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) return std::nullopt;
  }
  std::string_view port_text = authority.substr(host.size());
  if (port_text.empty()) return scheme + "://" + AsciiLowercase(host);
  if (port_text.front() != ':' || port_text.size() == 1) return std::nullopt;
  port_text.remove_prefix(1);
  unsigned port = 0;
  auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (ec != std::errc() || end != port_text.data() + port_text.size() || port == 0 ||
      port > 65535) {
    return std::nullopt;
  }
  return scheme + "://" + Authority(scheme, AsciiLowercase(host), static_cast<uint16_t>(port));
}

}  // namespace cairn::core
