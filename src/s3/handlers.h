// The S3 operations, one handler each, named after the AWS operation. A handler parses its wire
// input, calls the stores, and writes its response; an error it returns is rendered by the
// pipeline as an S3 error document (if no response was started).
#pragma once

#include "common/status.h"
#include "http/exchange.h"
#include "s3/context.h"

namespace cairn::s3 {

using HandlerResult = Awaitable<Status>;

// bucket_ops.cc
HandlerResult HandleListBuckets(RequestContext& ctx);
HandlerResult HandleCreateBucket(RequestContext& ctx);
HandlerResult HandleHeadBucket(RequestContext& ctx);
HandlerResult HandleDeleteBucket(RequestContext& ctx);
HandlerResult HandleGetBucketLocation(RequestContext& ctx);
// list_objects.cc
HandlerResult HandleListObjects(RequestContext& ctx);  // v1 and v2
// object_put.cc
HandlerResult HandlePutObject(RequestContext& ctx);
// object_get.cc
HandlerResult HandleGetObject(RequestContext& ctx);  // GET and HEAD
// object_attributes.cc
HandlerResult HandleGetObjectAttributes(RequestContext& ctx);
// object_delete.cc
HandlerResult HandleDeleteObject(RequestContext& ctx);
HandlerResult HandleDeleteObjects(RequestContext& ctx);
// post_object.cc: browser form uploads, authenticated by the form's policy (no Authorization)
HandlerResult HandlePostObject(RequestContext& ctx);
// object_copy.cc
HandlerResult HandleCopyObject(RequestContext& ctx);
// multipart_upload.cc
HandlerResult HandleCreateMultipartUpload(RequestContext& ctx);
HandlerResult HandleUploadPart(RequestContext& ctx);
HandlerResult HandleUploadPartCopy(RequestContext& ctx);
// multipart_complete.cc
HandlerResult HandleCompleteMultipartUpload(RequestContext& ctx);
HandlerResult HandleAbortMultipartUpload(RequestContext& ctx);
// multipart_list.cc
HandlerResult HandleListParts(RequestContext& ctx);
HandlerResult HandleListMultipartUploads(RequestContext& ctx);
// bucket_lifecycle.cc
HandlerResult HandleGetBucketLifecycleConfiguration(RequestContext& ctx);
HandlerResult HandlePutBucketLifecycleConfiguration(RequestContext& ctx);
HandlerResult HandleDeleteBucketLifecycleConfiguration(RequestContext& ctx);
// bucket_cors.cc
HandlerResult HandleGetBucketCors(RequestContext& ctx);
HandlerResult HandlePutBucketCors(RequestContext& ctx);
HandlerResult HandleDeleteBucketCors(RequestContext& ctx);
// acl.cc
HandlerResult HandleGetBucketAcl(RequestContext& ctx);
HandlerResult HandlePutBucketAcl(RequestContext& ctx);
HandlerResult HandleGetObjectAcl(RequestContext& ctx);
HandlerResult HandlePutObjectAcl(RequestContext& ctx);

}  // namespace cairn::s3
