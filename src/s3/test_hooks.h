// The test-only endpoints under /_cairn/test/ (see TestHooks in s3/context.h):
//   POST /_cairn/test/clock?advance-seconds=N   moves the lifecycle clock N seconds forward
//   POST /_cairn/test/sweep                     runs one lifecycle sweep, answers its report (JSON)
//   POST /_cairn/test/fault?target=T&error=E&count=N   the next N storage calls of T fail with E
//                                               (common/fault_plan.h names the targets and errors)
//   DELETE /_cairn/test/fault                   disarms every fault, an injected crash included
// Without --enable-test-hooks they answer 404 like any unknown path under /_cairn/. With it, they
// answer only requests signed (SigV4) by the admin key: moving the clock expires objects, so an
// anonymous caller must not reach them (AccessDenied otherwise).
#pragma once

#include "auth/sigv4.h"
#include "http/exchange.h"
#include "s3/context.h"

namespace cairn::s3 {

inline constexpr std::string_view kTestHookPrefix = "/_cairn/test/";

// Errors (answered by the caller as S3 error documents): those of auth::Authenticate,
// AccessDenied for a valid signature by a key other than the admin key, and a failed sweep's.
Awaitable<Status> ServeTestHook(Services& services, http::Exchange& exchange,
                                const auth::SignableRequest& signable, const QueryParams& query);

}  // namespace cairn::s3
