#include "http/request_head.h"

#include <stdexcept>

#include "common/ascii.h"

namespace cairn::http {

namespace bhttp = boost::beast::http;

void RequestParser::on_field_impl(bhttp::field name, boost::beast::string_view name_string,
                                  boost::beast::string_view value, boost::beast::error_code& ec) {
  if (is_header_done()) {
    trailer_bytes_ += name_string.size() + value.size() + 4;  // ": " and CRLF
    if (++trailer_fields_ > kTrailerFieldLimit || trailer_bytes_ > kTrailerLimit) {
      ec = bhttp::error::header_limit;
    }
    return;
  }
  try {
    get().insert(name, name_string, value);
  } catch (const std::length_error&) {  // a field over 64 KiB; the head's limit prevents it
    ec = bhttp::error::header_limit;
  }
}

void RequestParser::on_chunk_header_impl(std::uint64_t, boost::beast::string_view extensions,
                                         boost::beast::error_code& ec) {
  if (extensions.size() > kChunkExtensionLimit) ec = bhttp::error::bad_chunk_extension;
}

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
