// One call of workerd's R2 binding as its handlers see it: the request context (services,
// exchange, the key that authenticated), the bucket the Worker's config names, and the parsed
// request. Each method's handler answers a success itself; an error it returns is answered by
// ServeBinding (binding_service.h) as the binding's error.
#pragma once

#include <cstdint>
#include <string>

#include "auth/access_policy.h"
#include "common/awaitable.h"
#include "common/status.h"
#include "core/records.h"
#include "s3/context.h"
#include "s3/r2_binding/binding_request.h"

namespace cairn::s3::binding {

struct BindingCall {
  RequestContext& ctx;
  std::string bucket;
  BindingRequest request;
  uint64_t payload_size = 0;  // the value's bytes after the JSON (put, uploadPart)
};

// objects: binding_objects.cc
Awaitable<Status> ServeHeadOrGet(BindingCall& call);
Awaitable<Status> ServePut(BindingCall& call);
Awaitable<Status> ServeDelete(BindingCall& call);
Awaitable<Status> ServeList(BindingCall& call);
// multipart: binding_multipart.cc
Awaitable<Status> ServeCreateUpload(BindingCall& call);
Awaitable<Status> ServeUploadPart(BindingCall& call);
Awaitable<Status> ServeCompleteUpload(BindingCall& call);
Awaitable<Status> ServeAbortUpload(BindingCall& call);

// `action` on `key` of the call's bucket for the key that authenticated. Errors: AccessDenied.
Status AuthorizeKey(const BindingCall& call, auth::Action action, std::string_view key);

// The metadata a put or createMultipartUpload gives, as cairn stores it for S3 too: httpFields
// as the HTTP headers (cacheExpiry as an Expires date), customFields as x-amz-meta-*, the storage
// class by its S3 name. Errors: InvalidArgument (a value or name that cannot be sent back as a
// header), MetadataTooLarge, InvalidStorageClass.
Result<core::ObjectMetadata> MetadataOf(const BindingRequest& request);

// A 200 whose whole body is `json` (the answer of every PUT-type method).
Awaitable<void> RespondJson(BindingCall& call, std::string json);

}  // namespace cairn::s3::binding
