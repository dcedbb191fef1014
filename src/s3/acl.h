// The ACL a request that creates something asks for (core/acl.h says which cairn can keep):
// x-amz-acl and x-amz-grant-* on PutObject, CopyObject, CreateMultipartUpload and CreateBucket,
// the acl field of a POST form. An ACL cairn cannot keep is refused rather than dropped, so that
// nobody believes an object shared that is not.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"
#include "s3/context.h"

namespace cairn::s3 {

// `fields` (a request's headers, or a POST form's fields, lowercase names) asked for an object:
// the canned ACL in the field `canned_field` ("x-amz-acl" or a form's "acl") and any x-amz-grant-*.
// Errors: InvalidArgument, AccessControlListNotSupported.
Status CheckObjectAcl(const std::vector<std::pair<std::string, std::string>>& fields,
                      std::string_view canned_field);

// CreateBucket's x-amz-acl: whether the new bucket is to be public; nullopt without one.
// Errors: InvalidArgument, AccessControlListNotSupported.
Result<std::optional<bool>> RequestedBucketPublic(const RequestContext& ctx);

}  // namespace cairn::s3
