// Reason phrases for the status codes cairn answers with.
#pragma once

#include <string_view>

namespace cairn::http {

std::string_view StatusText(int status);

}  // namespace cairn::http
