// PutObject (Amazon S3 API reference "PutObject"), with R2's extensions: all four conditional
// headers honoured atomically, and `cf-create-bucket-if-missing`. The core service does the work
// (core/object_service.h); this reads the request and renders the answer.
#include "core/object_service.h"
#include "s3/acl.h"
#include "s3/handlers.h"
#include "s3/integrity.h"
#include "s3/object_headers.h"
#include "s3/payload.h"
#include "s3/response.h"

namespace cairn::s3 {

HandlerResult HandlePutObject(RequestContext& ctx) {
  if (Status s = CheckObjectAcl(ctx.head().headers, "x-amz-acl"); !s.ok()) co_return s;
  Result<core::ObjectMetadata> metadata = ReadRequestMetadata(ctx);
  if (!metadata.ok()) co_return metadata.error();
  Result<core::IntegrityExpectations> expectations = ReadIntegrityExpectations(ctx);
  if (!expectations.ok()) co_return expectations.error();
  auto payload = PayloadReader::Open(ctx, ctx.services.config.max_object_size,
                                     PayloadReader::Framing::kLengthRequired);
  if (!payload.ok()) co_return payload.error();
  core::PutObjectRequest request{ctx.route.bucket, ctx.route.key, std::move(*metadata),
                                 ReadConditions(ctx),
                                 ctx.Header("cf-create-bucket-if-missing") == "true"};
  Result<core::ObjectRecord> object = co_await core::PutObject(
      ctx.services.storage, std::move(request), **payload, std::move(*expectations));
  if (!object.ok()) co_return object.error();

  http::ResponseHead head = BaseHead(ctx, 200);
  head.Set("ETag", QuoteEtag(object->etag));
  AddChecksumHeaders(*object, head);
  co_await ctx.exchange.Respond(std::move(head), {});
  co_return Status::Ok();
}

}  // namespace cairn::s3
