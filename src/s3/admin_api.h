// cairn's own admin API beside the S3 API (docs/access-keys.md): access keys, temporary
// credentials and public buckets, as SigV4-signed JSON calls under /_cairn/admin/. Answers are
// JSON; errors are S3 error documents like every other answer of this listener.
#pragma once

#include <string_view>

#include "s3/context.h"

namespace cairn::s3 {

inline constexpr std::string_view kAdminApiPrefix = "/_cairn/admin/";

// Serves one call of an authenticated signer; `ctx.route` is unused. Errors: AccessDenied,
// InvalidArgument, NoSuchEntity, NoSuchBucket, MethodNotAllowed, NotImplemented (no key ring).
Awaitable<Status> ServeAdminApi(RequestContext& ctx, std::string_view call);

}  // namespace cairn::s3
