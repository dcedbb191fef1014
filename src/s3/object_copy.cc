// CopyObject (Amazon S3 API reference), with R2's MERGE metadata directive besides COPY and
// REPLACE. The copy shares the source's blobs (a new reference on each extent), so it costs the
// same for any object size and never reads the bytes.
#include <algorithm>

#include "common/encoding.h"
#include "common/time_format.h"
#include "core/names.h"
#include "s3/authorization.h"
#include "s3/body_ingest.h"
#include "s3/handlers.h"
#include "s3/object_headers.h"
#include "s3/response.h"

namespace cairn::s3 {
HandlerResult HandleCopyObject(RequestContext& ctx) {
  if (Status s = core::ValidateObjectKey(ctx.route.key); !s.ok()) co_return s;
  auto source = ReadableCopySource(ctx);
  if (!source.ok()) co_return source.error();
  std::string directive(ctx.Header("x-amz-metadata-directive").value_or("COPY"));
  if (directive != "COPY" && directive != "REPLACE" && directive != "MERGE") {
    co_return Error(ErrorCode::kInvalidArgument, "Unknown metadata directive.");
  }
  Result<RequestMetadata> metadata = ReadRequestMetadata(ctx);
  if (!metadata.ok()) co_return metadata.error();
  const core::Conditions source_conditions = ReadConditions(ctx, "x-amz-copy-source-");
  const bool same_object = source->bucket == ctx.route.bucket && source->key == ctx.route.key;
  const bool class_given = ctx.Header("x-amz-storage-class").has_value();

  core::ObjectRecord copy;
  // The source's blobs must not be deleted between reading its metadata and referencing them.
  const core::BlobReclaimer::Reader reading = ctx.services.reclaimer.BeginRead();
  auto released = co_await ctx.Blocking([&]() -> Result<std::vector<std::string>> {
    auto original = ctx.services.meta.GetObject(source->bucket, source->key);
    if (!original.ok()) return original.error();
    Status conditions = core::CheckReadConditions(
        source_conditions, core::ObjectState{original->etag, original->last_modified});
    if (!conditions.ok()) return Error(ErrorCode::kPreconditionFailed);
    if (same_object && directive == "COPY" && !class_given) {
      return Error(ErrorCode::kInvalidRequest,
                   "This copy request is illegal because it is trying to copy an object to itself "
                   "without changing the object's metadata, storage class, website redirect "
                   "location or encryption attributes.");
    }
    copy = std::move(*original);
    copy.bucket = ctx.route.bucket;
    copy.key = ctx.route.key;
    copy.last_modified = NowMillis();
    if (directive == "REPLACE") {
      copy.http = metadata->http;
      copy.user_metadata = metadata->user;
    } else if (directive == "MERGE") {
      const core::HttpMetadata& given = metadata->http;
      for (auto member :
           {&core::HttpMetadata::content_type, &core::HttpMetadata::content_disposition,
            &core::HttpMetadata::content_encoding, &core::HttpMetadata::content_language,
            &core::HttpMetadata::cache_control, &core::HttpMetadata::expires}) {
        if (!(given.*member).empty()) copy.http.*member = given.*member;
      }
      for (const auto& [name, value] : metadata->user) {
        auto it = std::find_if(copy.user_metadata.begin(), copy.user_metadata.end(),
                               [&](const auto& kv) { return kv.first == name; });
        if (it != copy.user_metadata.end())
          it->second = value;
        else
          copy.user_metadata.emplace_back(name, value);
      }
    }
    if (class_given) copy.storage_class = metadata->storage_class;
    return ctx.services.meta.PutObject(copy);
  });
  if (!released.ok()) co_return released.error();
  co_await RemoveBlobs(ctx, std::move(*released));
  co_await RespondXml(ctx, 200, RenderCopyObjectResult(copy));
  co_return Status::Ok();
}

}  // namespace cairn::s3
