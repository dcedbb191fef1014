// How the binding tells a Worker of an error (docs/r2-binding-protocol.md §1.5): the HTTP status
// and a CF-R2-Error header holding {"version":1,"v4code":N,"message":"..."}. The Worker throws
// "<method>: <message> (<v4code>)", except for the pairs workerd turns into values: 404 + 10007
// is `null` for head and get, 412 + 10031 is `null` for put and a body-less object for get.
#pragma once

#include <cstdint>
#include <string>

#include "common/status.h"

namespace cairn::s3::binding {

inline constexpr uint32_t kNoSuchKeyCode = 10007;
inline constexpr uint32_t kPreconditionFailedCode = 10031;

struct BindingError {
  int status = 500;
  uint32_t v4code = 10001;
  std::string message;
};

// `error` (as told to a client: s3::ForClient) in R2's terms. The codes are R2's where it has one
// (its "Error codes" page and Miniflare's table); what R2 has no code for keeps its S3 status
// with 10029 (invalid argument) for a client error and 10001 (internal error) for a server one.
BindingError ToBindingError(const Error& error);

// The CF-R2-Error header's value: JSON with every byte outside printable ASCII escaped, so that a
// key or name quoted in the message cannot break the header.
std::string ErrorHeaderValue(const BindingError& error);

}  // namespace cairn::s3::binding
