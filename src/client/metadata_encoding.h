// x-amz-meta-* values travel in HTTP headers, which carry printable ASCII safely and little else.
// A value with other bytes (UTF-8 text, control characters) is sent as RFC 2047 encoded words,
// "=?UTF-8?B?<base64>?=", which S3 and cairn store decoded; values read back are decoded the same
// way in case a server returns them encoded.
#pragma once

#include <string>
#include <string_view>

namespace cairn::client {

// `value` unchanged when it is printable ASCII without leading or trailing white space and does
// not itself look like an encoded word; otherwise RFC 2047 B-encoded words of at most 75
// characters (section 2), split only between UTF-8 characters (section 5), separated by spaces.
std::string EncodeMetadataValue(std::string_view value);

// Decodes the encoded words of `value` (B and Q encodings; UTF-8, US-ASCII and ISO-8859-1
// charsets); white space between two adjacent encoded words is dropped (section 6.2). Text that is
// not a well-formed encoded word is kept as it is.
std::string DecodeMetadataValue(std::string_view value);

}  // namespace cairn::client
