// Whether the signer of a request may do what it asks: the permission class of its operation
// (RequiredAction in s3/router.h) and the bucket and key-prefix scope of its key
// (auth/access_policy.h). The pipeline checks every routed request once; the handlers whose
// request names more objects than its route (DeleteObjects' keys, a copy's source, a POST form's
// key) check those too. Errors: AccessDenied.
#pragma once

#include <string_view>

#include "auth/access_policy.h"
#include "common/status.h"
#include "s3/context.h"
#include "s3/copy_source.h"
#include "s3/router.h"

namespace cairn::s3 {

// The route's operation on its bucket and key; listings by their `prefix` parameter. POST Object
// is left to its handler, which knows the key once the form is read.
Status AuthorizeRoute(const auth::Principal& who, const Route& route, const QueryParams& query);

// The request's x-amz-copy-source, once its signer is known to be allowed to read it.
// Errors: InvalidArgument, AccessDenied.
Result<CopySource> ReadableCopySource(const RequestContext& ctx);

// A listing of `bucket`'s keys under `prefix` (ListObjects, ListMultipartUploads, cairn's key
// search), named `what` in the refusal: every key it could show must be one `who` may read, so a
// prefix-scoped key lists with a prefix inside its own.
Status AuthorizeListing(const auth::Principal& who, std::string_view what, std::string_view bucket,
                        std::string_view prefix);

// `action` on one object; `who` null (an anonymous request) may do nothing.
Status AuthorizeObject(const auth::Principal* who, auth::Action action, std::string_view bucket,
                       std::string_view key);

}  // namespace cairn::s3
