// What may go into an HTTP response header. A value that holds CR or LF ends the header early on
// the wire, so whoever chose it writes headers (or a whole body) of their own: response
// splitting. Every value cairn takes from a request and later writes as a header (stored
// metadata, response-* overrides, POST form fields) is checked with these where it comes in, and
// the HTTP server checks every header once more as it serializes a response head.
#pragma once

#include <string_view>

#include "common/status.h"

namespace cairn {

// RFC 9110 section 5.5 field-value: no control byte but horizontal tab (no byte below 0x20 but
// 0x09, and no 0x7F). Bytes from 0x80 up (obs-text, e.g. decoded UTF-8 metadata) are allowed.
bool IsHeaderValueSafe(std::string_view value);

// RFC 9110 section 5.6.2 token: what a field name must be (one or more tchar).
bool IsHeaderToken(std::string_view name);

// InvalidArgument naming `what` (e.g. "x-amz-meta-note") when `value` is not IsHeaderValueSafe.
Status CheckHeaderValue(std::string_view what, std::string_view value);

}  // namespace cairn
