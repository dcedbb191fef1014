// CopyObject (Amazon S3 API reference), with R2's MERGE metadata directive besides COPY and
// REPLACE. The copy shares the source's blobs (core/object_service.h), so it costs the same for
// any object size and never reads the bytes.
#include "core/object_service.h"
#include "s3/acl.h"
#include "s3/authorization.h"
#include "s3/handlers.h"
#include "s3/object_headers.h"
#include "s3/response.h"

namespace cairn::s3 {
namespace {

Result<core::MetadataDirective> ReadDirective(const RequestContext& ctx) {
  const std::string_view directive = ctx.Header("x-amz-metadata-directive").value_or("COPY");
  if (directive == "COPY") return core::MetadataDirective::kCopy;
  if (directive == "REPLACE") return core::MetadataDirective::kReplace;
  if (directive == "MERGE") return core::MetadataDirective::kMerge;
  return Error(ErrorCode::kInvalidArgument, "Unknown metadata directive.");
}

// If-Match and If-None-Match, which S3 applies to the copy's key (the date conditions it does
// not take on a copy: x-amz-copy-source-if-* are the source's).
core::Conditions DestinationConditions(const RequestContext& ctx) {
  core::Conditions c;
  if (auto v = ctx.Header("if-match")) c.if_match = std::string(*v);
  if (auto v = ctx.Header("if-none-match")) c.if_none_match = std::string(*v);
  return c;
}

}  // namespace

HandlerResult HandleCopyObject(RequestContext& ctx) {
  auto source = ReadableCopySource(ctx);
  if (!source.ok()) co_return source.error();
  auto directive = ReadDirective(ctx);
  if (!directive.ok()) co_return directive.error();
  if (Status s = CheckObjectAcl(ctx.head().headers, "x-amz-acl"); !s.ok()) co_return s;
  Result<core::ObjectMetadata> metadata = ReadRequestMetadata(ctx);
  if (!metadata.ok()) co_return metadata.error();
  core::CopyObjectRequest request{source->bucket,
                                  source->key,
                                  ReadConditions(ctx, "x-amz-copy-source-"),
                                  ctx.route.bucket,
                                  ctx.route.key,
                                  *directive,
                                  std::move(*metadata),
                                  ctx.Header("x-amz-storage-class").has_value(),
                                  DestinationConditions(ctx)};
  Result<core::ObjectRecord> copy =
      co_await core::CopyObject(ctx.services.storage, std::move(request));
  if (!copy.ok()) co_return copy.error();
  co_await RespondXml(ctx, 200, RenderCopyObjectResult(*copy));
  co_return Status::Ok();
}

}  // namespace cairn::s3
