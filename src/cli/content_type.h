// The Content-Type `cairn object put` sends when --content-type is not given: guessed from the
// file name's extension with a small table of common types, as wrangler and the AWS CLI do, so that
// a browser shows an uploaded page or picture instead of downloading it.
#pragma once

#include <string>
#include <string_view>

namespace cairn::cli {

inline constexpr std::string_view kDefaultContentType = "application/octet-stream";

// The type for `name`'s extension (case-insensitive; the last dot of the last path component), or
// application/octet-stream when there is none or it is not in the table.
std::string GuessContentType(std::string_view name);

}  // namespace cairn::cli
