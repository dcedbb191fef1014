// The request head a session hands to the handler, made from what Beast's parser read. Kept apart
// from the session so that the conversion of untrusted bytes can be fuzzed without a socket.
#pragma once

#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <string>

#include "http/exchange.h"

namespace cairn::http {

using RequestParser = boost::beast::http::request_parser<boost::beast::http::buffer_body>;

// The head of the request `parser` has read (its header is done): header names lowercased,
// values as received.
RequestHead MakeHead(const RequestParser& parser, const std::string& remote, bool secure);

}  // namespace cairn::http
