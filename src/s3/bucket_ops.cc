// Bucket operations: ListBuckets, CreateBucket, HeadBucket, DeleteBucket, GetBucketLocation.
// cairn has one region, `auto` (R2's); a LocationConstraint in CreateBucket is accepted and kept.
#include "common/header_field.h"
#include "core/bucket_service.h"
#include "s3/acl.h"
#include "s3/handlers.h"
#include "s3/request_document.h"
#include "s3/response.h"

namespace cairn::s3 {
namespace {

constexpr uint64_t kMaxBucketConfigurationBytes = 64 * 1024;

}  // namespace

HandlerResult HandleListBuckets(RequestContext& ctx) {
  auto buckets = co_await core::ListBuckets(ctx.services.storage);
  if (!buckets.ok()) co_return buckets.error();
  co_await RespondXml(ctx, 200, RenderListBuckets(*buckets, ctx.services.owner));
  co_return Status::Ok();
}

HandlerResult HandleCreateBucket(RequestContext& ctx) {
  Result<std::string> body =
      co_await ReadRequestDocument(ctx, kMaxBucketConfigurationBytes, /*digest_required=*/false);
  if (!body.ok()) co_return body.error();
  auto location = ParseCreateBucketConfiguration(*body);
  if (!location.ok()) co_return location.error();
  // The location is sent back as the x-amz-bucket-region header.
  if (Status s = CheckHeaderValue("LocationConstraint", location->value_or("")); !s.ok()) {
    co_return s;
  }
  Result<std::optional<bool>> make_public = RequestedBucketPublic(ctx);
  if (!make_public.ok()) co_return make_public.error();
  std::string region = location->value_or("");
  Status created =
      co_await core::CreateBucket(ctx.services.storage, ctx.route.bucket, std::move(region));
  if (!created.ok()) co_return created;
  // x-amz-acl: public-read. Private is every new bucket's setting already.
  if (make_public->value_or(false)) {
    Status opened =
        co_await core::PutBucketPublicAccess(ctx.services.storage, ctx.route.bucket, true);
    if (!opened.ok()) co_return opened;
  }
  http::ResponseHead head = BaseHead(ctx, 200);
  head.Set("Location", "/" + ctx.route.bucket);
  co_await ctx.exchange.Respond(std::move(head), {});
  co_return Status::Ok();
}

HandlerResult HandleHeadBucket(RequestContext& ctx) {
  auto bucket = co_await core::GetBucket(ctx.services.storage, ctx.route.bucket);
  if (!bucket.ok()) co_return bucket.error();
  http::ResponseHead head = BaseHead(ctx, 200);
  head.Set("x-amz-bucket-region", bucket->location);
  co_await ctx.exchange.Respond(std::move(head), {});
  co_return Status::Ok();
}

HandlerResult HandleDeleteBucket(RequestContext& ctx) {
  Status deleted = co_await core::DeleteBucket(ctx.services.storage, ctx.route.bucket);
  if (!deleted.ok()) co_return deleted;
  co_await RespondEmpty(ctx, 204);
  co_return Status::Ok();
}

HandlerResult HandleGetBucketLocation(RequestContext& ctx) {
  auto bucket = co_await core::GetBucket(ctx.services.storage, ctx.route.bucket);
  if (!bucket.ok()) co_return bucket.error();
  co_await RespondXml(ctx, 200, RenderLocationConstraint(bucket->location));
  co_return Status::Ok();
}

}  // namespace cairn::s3
