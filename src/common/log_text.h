// Text from the network on its way into a log line. A log is read by people and parsed by tools
// line by line, so a value that holds a newline forges whole records, and terminal escapes
// rewrite what an operator sees; a presigned URL is a bearer token until it expires, so a
// logged one hands out the object to whoever reads the log. Every log call that prints
// request-derived text passes it through one of these.
#pragma once

#include <string>
#include <string_view>

namespace cairn {

// `text` with every byte that could break or disguise a line escaped as \xNN: bytes below 0x20
// (tab and newline included), 0x7F, and bytes that are not part of valid UTF-8. The C1 controls
// and the Unicode line and paragraph separators (U+0080..U+009F, U+2028, U+2029), which are
// valid UTF-8 but act as line breaks or terminal controls, are escaped byte by byte the same way.
// Everything else, including other UTF-8 text, is kept as is.
std::string LogSafe(std::string_view text);

// A request target fit for a log line: the path as sent, and the query with the values of
// X-Amz-Signature, Signature and X-Amz-Security-Token replaced by "REDACTED" and
// X-Amz-Credential cut to its access key id (names matched case-insensitively, after decoding
// %XX, as the router matches them). The result is LogSafe.
std::string RedactTarget(std::string_view target);

// An access key id that a client sent, fit for a log line: the id itself when `known` (a
// configured key, so not a secret) or when it looks like an access key id (16 to 128 of A-Z and
// 0-9, as AWS and cairn make them); otherwise "<key id not shown, N bytes>", because a refused
// sign-in's id field may hold a pasted secret.
std::string LogKeyId(std::string_view key_id, bool known);

}  // namespace cairn
