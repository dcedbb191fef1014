// x-amz-meta-* values travel in HTTP headers, which carry printable ASCII safely and little else.
// A value with other bytes (UTF-8 text, control characters) travels as RFC 2047 encoded words,
// "=?UTF-8?B?<base64>?=": clients send them so, R2 (and cairn) store the decoded text and encode it
// again in responses ("Extended metadata using Unicode", R2's S3 API extensions).
#pragma once

#include <string>
#include <string_view>

namespace cairn {

// Whether `value` cannot go into a header as it is: a byte outside printable ASCII (UTF-8 text,
// a tab, a control character), or a leading or trailing space (which HTTP drops).
bool NeedsEncodedWords(std::string_view value);

// `value` as RFC 2047 B-encoded words of at most 75 characters (section 2), split only between
// UTF-8 characters (section 5), separated by spaces.
std::string EncodeAsWords(std::string_view value);

// What a client sends: `value` unchanged when it needs no encoded words and does not itself look
// like one (contains "=?"), otherwise EncodeAsWords(value).
std::string EncodeMetadataValue(std::string_view value);

// Decodes an RFC 2047 encoded-word value (=?UTF-8?B?...?= or =?UTF-8?Q?...?=, possibly several
// words separated by white space) into UTF-8: charsets UTF-8 (which must then be well-formed),
// US-ASCII and ISO-8859-1; white space between two adjacent encoded words is dropped (section
// 6.2). Text that is not a well-formed encoded word comes back unchanged.
std::string DecodeMetadataValue(std::string_view value);

}  // namespace cairn
