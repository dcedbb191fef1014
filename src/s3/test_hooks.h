// The test-only endpoints under /_cairn/test/ (see TestHooks in s3/context.h):
//   POST /_cairn/test/clock?advance-seconds=N   moves the lifecycle clock N seconds forward
//   POST /_cairn/test/sweep                     runs one lifecycle sweep, answers its report (JSON)
// Without --enable-test-hooks they answer 404 like any unknown path under /_cairn/.
#pragma once

#include "http/exchange.h"
#include "s3/context.h"

namespace cairn::s3 {

inline constexpr std::string_view kTestHookPrefix = "/_cairn/test/";

http::Awaitable<void> ServeTestHook(Services& services, http::Exchange& exchange,
                                    std::string_view path, const QueryParams& query);

}  // namespace cairn::s3
