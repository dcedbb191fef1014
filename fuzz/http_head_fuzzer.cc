// The request head as the server reads it: Beast's request_parser with the server's limits, fed
// the bytes whole and in small reads (both must agree), then MakeHead, then the body as Beast
// frames it (Content-Length or chunked) into a small buffer, as the session's ReadBody does.
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <limits>
#include <optional>

#include "fuzz/fuzz_input.h"
#include "http/request_head.h"
#include "http/server.h"

namespace {

namespace beast = boost::beast;
namespace bhttp = beast::http;
using cairn::fuzz::Check;
using cairn::http::RequestParser;

void Limit(RequestParser& parser) {
  // As RunSession in src/http/server.cc: the configured head limit, no body limit.
  parser.header_limit(static_cast<std::uint32_t>(cairn::http::ServerOptions{}.header_limit));
  parser.body_limit(std::numeric_limits<std::uint64_t>::max());
}

// Feeds `input` in `slices` until the head is done. Returns the head, or nullopt on an error or
// when the input ends first. `used` is how many bytes the head took.
std::optional<cairn::http::RequestHead> ReadHead(RequestParser& parser,
                                                 const std::vector<std::string_view>& slices,
                                                 size_t* used) {
  std::string pending;  // what the parser has not consumed yet, as the session's flat_buffer
  *used = 0;
  for (std::string_view slice : slices) {
    pending.append(slice);
    beast::error_code ec;
    const size_t n = parser.put(boost::asio::buffer(pending), ec);
    pending.erase(0, n);
    *used += n;
    if (ec == bhttp::error::need_more) continue;
    if (ec && ec != bhttp::error::need_buffer) return std::nullopt;
    if (parser.is_header_done()) {
      return cairn::http::MakeHead(parser, "192.0.2.1", false);
    }
  }
  return std::nullopt;
}

// Reads the body after the head the way Exchange::ReadBody does: through a buffer_body of a few
// bytes at a time, until Beast says it is done or fails.
void ReadBody(RequestParser& parser, std::string_view rest) {
  char sink[7];
  size_t guard = 0;
  while (!parser.is_done() && ++guard < 1 << 16) {
    parser.get().body().data = sink;
    parser.get().body().size = sizeof sink;
    beast::error_code ec;
    const size_t n = parser.put(boost::asio::buffer(rest.data(), rest.size()), ec);
    rest.remove_prefix(n);
    if (ec == bhttp::error::need_buffer) continue;
    if (ec) return;
    if (n == 0) {
      if (rest.empty()) parser.put_eof(ec);
      return;
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input = cairn::fuzz::AsText(data, size);
  RequestParser whole;
  Limit(whole);
  size_t used_whole = 0;
  std::optional<cairn::http::RequestHead> head = ReadHead(whole, {input}, &used_whole);

  RequestParser sliced;
  Limit(sliced);
  size_t used_sliced = 0;
  const uint32_t seed = size > 0 ? data[size - 1] : 0;
  std::optional<cairn::http::RequestHead> head2 =
      ReadHead(sliced, cairn::fuzz::Slices(input, seed), &used_sliced);

  Check(head.has_value() == head2.has_value(), "a head parses whole but not in pieces, or back");
  if (!head) return 0;
  Check(used_whole == used_sliced, "the head's length depends on the slicing");
  Check(head->method == head2->method && head->target == head2->target &&
            head->headers == head2->headers && head->chunked == head2->chunked &&
            head->content_length == head2->content_length &&
            head->keep_alive == head2->keep_alive &&
            head->expects_continue == head2->expects_continue,
        "the head depends on the slicing");
  Check(!(head->chunked && head->content_length), "a head is both chunked and sized");
  for (const auto& [name, value] : head->headers) {
    Check(!name.empty(), "a header without a name");
    for (char c : name) Check(c < 'A' || c > 'Z', "a header name that is not lowercase");
    Check(value.find_first_of("\r\n") == std::string::npos, "a CR or LF inside a header value");
  }
  (void)head->Header("host");
  ReadBody(whole, input.substr(used_whole));
  return 0;
}
