// The request head a session hands to the handler, made from what Beast's parser read, and the
// parser itself with cairn's bounds. Kept apart from the session so that the parsing of untrusted
// bytes can be fuzzed without a socket (fuzz/http_head_fuzzer.cc).
#pragma once

#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <cstddef>
#include <string>

#include "http/exchange.h"

namespace cairn::http {

// What a chunked body may carry besides its data. No client cairn serves sends chunk extensions
// or HTTP trailers (aws-chunked trailers are inside the body), so these are generous.
inline constexpr size_t kChunkExtensionLimit = 4 * 1024;
inline constexpr size_t kTrailerLimit = 16 * 1024;  // bytes of the trailer section's field lines
inline constexpr size_t kTrailerFieldLimit = 64;

// Beast's request parser with bounds on what a chunked body carries besides its data. Beast 1.74
// stores trailer fields in the message like head fields but without the head's limit, and a field
// over 64 KiB makes it throw std::length_error from inside the read's completion handler, where
// nothing catches it: the process aborted. Trailer fields are counted and dropped instead (cairn
// reads the head before the body, so nothing would look at them), and a trailer section or a chunk
// extension over its limit fails the read. The hooks are Beast's virtual callbacks, overridden.
class RequestParser final
    : public boost::beast::http::request_parser<boost::beast::http::buffer_body> {
 private:
  void on_field_impl(boost::beast::http::field name, boost::beast::string_view name_string,
                     boost::beast::string_view value, boost::beast::error_code& ec) override;
  void on_chunk_header_impl(std::uint64_t size, boost::beast::string_view extensions,
                            boost::beast::error_code& ec) override;

  size_t trailer_fields_ = 0;
  size_t trailer_bytes_ = 0;
};

// The head of the request `parser` has read (its header is done): header names lowercased,
// values as received.
RequestHead MakeHead(const RequestParser& parser, const std::string& remote, bool secure);

}  // namespace cairn::http
