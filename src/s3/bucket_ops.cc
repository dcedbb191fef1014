// Bucket operations: ListBuckets, CreateBucket, HeadBucket, DeleteBucket, GetBucketLocation.
// cairn has one region, `auto` (R2's); a LocationConstraint in CreateBucket is accepted and kept.
#include "common/header_field.h"
#include "core/names.h"
#include "s3/handlers.h"
#include "s3/request_document.h"
#include "s3/response.h"

namespace cairn::s3 {
namespace {

constexpr uint64_t kMaxBucketConfigurationBytes = 64 * 1024;

}  // namespace

HandlerResult HandleListBuckets(RequestContext& ctx) {
  auto buckets = co_await ctx.Lookup([&] { return ctx.services.meta.ListBuckets(); });
  if (!buckets.ok()) co_return buckets.error();
  co_await RespondXml(ctx, 200, RenderListBuckets(*buckets, ctx.services.owner));
  co_return Status::Ok();
}

HandlerResult HandleCreateBucket(RequestContext& ctx) {
  if (Status s = core::ValidateBucketName(ctx.route.bucket); !s.ok()) co_return s;
  Result<std::string> body =
      co_await ReadRequestDocument(ctx, kMaxBucketConfigurationBytes, /*digest_required=*/false);
  if (!body.ok()) co_return body.error();
  auto location = ParseCreateBucketConfiguration(*body);
  if (!location.ok()) co_return location.error();
  // The location is sent back as the x-amz-bucket-region header.
  if (Status s = CheckHeaderValue("LocationConstraint", location->value_or("")); !s.ok()) {
    co_return s;
  }
  core::BucketRecord bucket{ctx.route.bucket, NowMillis(),
                            location->value_or(ctx.services.config.region)};
  if (bucket.location.empty() || bucket.location == "us-east-1") {
    bucket.location = ctx.services.config.region;
  }
  Status created = co_await ctx.Blocking([&] { return ctx.services.meta.CreateBucket(bucket); });
  if (!created.ok()) co_return created;
  http::ResponseHead head = BaseHead(ctx, 200);
  head.Set("Location", "/" + ctx.route.bucket);
  co_await ctx.exchange.Respond(std::move(head), {});
  co_return Status::Ok();
}

HandlerResult HandleHeadBucket(RequestContext& ctx) {
  auto bucket = co_await ctx.Lookup([&] { return ctx.services.meta.GetBucket(ctx.route.bucket); });
  if (!bucket.ok()) co_return bucket.error();
  http::ResponseHead head = BaseHead(ctx, 200);
  head.Set("x-amz-bucket-region", bucket->location);
  co_await ctx.exchange.Respond(std::move(head), {});
  co_return Status::Ok();
}

HandlerResult HandleDeleteBucket(RequestContext& ctx) {
  Status deleted =
      co_await ctx.Blocking([&] { return ctx.services.meta.DeleteBucket(ctx.route.bucket); });
  if (!deleted.ok()) co_return deleted;
  co_await RespondEmpty(ctx, 204);
  co_return Status::Ok();
}

HandlerResult HandleGetBucketLocation(RequestContext& ctx) {
  auto bucket = co_await ctx.Lookup([&] { return ctx.services.meta.GetBucket(ctx.route.bucket); });
  if (!bucket.ok()) co_return bucket.error();
  co_await RespondXml(ctx, 200, RenderLocationConstraint(bucket->location));
  co_return Status::Ok();
}

}  // namespace cairn::s3
