#include "http/request_head.h"

#include "common/ascii.h"

namespace cairn::http {

RequestHead MakeHead(const RequestParser& parser, const std::string& remote, bool secure) {
  const auto& req = parser.get();
  RequestHead head;
  head.method = std::string(req.method_string());
  head.target = std::string(req.target());
  head.keep_alive = req.keep_alive();
  head.remote_address = remote;
  head.secure = secure;
  for (const auto& field : req) {
    auto name = field.name_string();
    auto value = field.value();
    head.headers.emplace_back(AsciiLowercase(std::string_view(name.data(), name.size())),
                              std::string(value.data(), value.size()));
  }
  if (auto expect = head.Header("expect"); expect && AsciiLowercase(*expect) == "100-continue") {
    head.expects_continue = true;
  }
  head.chunked = parser.chunked();
  if (auto len = parser.content_length()) head.content_length = *len;
  return head;
}

std::optional<std::string_view> RequestHead::Header(std::string_view lowercase_name) const {
  for (const auto& [name, value] : headers) {
    if (name == lowercase_name) return std::string_view(value);
  }
  return std::nullopt;
}

}  // namespace cairn::http
