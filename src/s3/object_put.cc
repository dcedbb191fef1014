// PutObject (Amazon S3 API reference "PutObject"), with R2's extensions: all four conditional
// headers honoured atomically, and `cf-create-bucket-if-missing`.
#include "core/names.h"
#include "s3/body_ingest.h"
#include "s3/handlers.h"
#include "s3/object_headers.h"
#include "s3/response.h"

namespace cairn::s3 {
namespace {

std::optional<core::ObjectState> StateOf(const std::optional<core::ObjectRecord>& object) {
  if (!object) return std::nullopt;
  return core::ObjectState{object->etag, object->last_modified};
}

// Makes sure the bucket exists, creating it when the client asked R2 to.
Awaitable<Status> EnsureBucket(RequestContext& ctx) {
  const std::string& name = ctx.route.bucket;
  const bool create = ctx.Header("cf-create-bucket-if-missing") == "true";
  co_return co_await ctx.Blocking([&]() -> Status {
    auto bucket = ctx.services.meta.GetBucket(name);
    if (bucket.ok() || !create || bucket.error().code != ErrorCode::kNoSuchBucket) {
      return bucket.status();
    }
    if (Status valid = core::ValidateBucketName(name); !valid.ok()) return valid;
    Status created =
        ctx.services.meta.CreateBucket({name, NowMillis(), ctx.services.config.region});
    return created.ok() || created.code() == ErrorCode::kBucketAlreadyOwnedByYou ? Status::Ok()
                                                                                 : created;
  });
}

}  // namespace

HandlerResult HandlePutObject(RequestContext& ctx) {
  if (Status s = core::ValidateObjectKey(ctx.route.key); !s.ok()) co_return s;
  Result<RequestMetadata> metadata = ReadRequestMetadata(ctx);
  if (!metadata.ok()) co_return metadata.error();
  Result<IntegrityExpectations> expectations = ReadIntegrityExpectations(ctx);
  if (!expectations.ok()) co_return expectations.error();
  auto payload = PayloadReader::Open(ctx, ctx.services.config.max_object_size,
                                     PayloadReader::Framing::kLengthRequired);
  if (!payload.ok()) co_return payload.error();
  const bool small = StoredInline(ctx, (*payload)->declared_size(), BodyStorage::kInlineWhenSmall);
  // A missing bucket is found before a large body is read; for a small one the commit finds it,
  // which saves a trip to the worker pool.
  if (!small || ctx.Header("cf-create-bucket-if-missing")) {
    if (Status s = co_await EnsureBucket(ctx); !s.ok()) co_return s;
  }

  // A conditional PUT that is bound to fail is refused before its body is read; the same check
  // runs again atomically with the commit.
  const core::Conditions conditions = ReadConditions(ctx);
  auto check = [&conditions](const std::optional<core::ObjectRecord>& current) {
    return core::CheckWriteConditions(conditions, StateOf(current));
  };
  if (!conditions.empty()) {
    Status early = co_await ctx.Lookup([&]() -> Status {
      auto current = ctx.services.meta.GetObject(ctx.route.bucket, ctx.route.key);
      if (!current.ok() && current.error().code != ErrorCode::kNoSuchKey) return current.status();
      return check(current.ok() ? std::optional(*current) : std::nullopt);
    });
    if (!early.ok()) co_return early;
  }

  Result<IngestedBody> body =
      co_await IngestBody(ctx, **payload, std::move(*expectations), BodyStorage::kInlineWhenSmall);
  if (!body.ok()) co_return body.error();

  core::ObjectRecord object =
      SingleBodyObject(ctx.route.bucket, ctx.route.key, *body, std::move(*metadata));
  Status committed = co_await CommitObject(ctx, object, *body,
                                           conditions.empty() ? meta::WriteCondition() : check);
  if (!committed.ok()) co_return committed;

  http::ResponseHead head = BaseHead(ctx, 200);
  head.Set("ETag", QuoteEtag(object.etag));
  AddChecksumHeaders(object, head);
  co_await ctx.exchange.Respond(std::move(head), {});
  co_return Status::Ok();
}

}  // namespace cairn::s3
