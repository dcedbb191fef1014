// Get/Put/DeleteBucketLifecycleConfiguration (Amazon S3 API reference). The rules are enforced by
// the lifecycle sweeper (core/lifecycle_sweeper.h) and read by CreateMultipartUpload for its abort
// date.
#include "core/bucket_service.h"
#include "s3/handlers.h"
#include "s3/request_document.h"
#include "s3/response.h"

namespace cairn::s3 {
namespace {

constexpr uint64_t kMaxLifecycleDocumentBytes = 1 << 20;

}  // namespace

HandlerResult HandleGetBucketLifecycleConfiguration(RequestContext& ctx) {
  auto config = co_await core::GetBucketLifecycle(ctx.services.storage, ctx.route.bucket);
  if (!config.ok()) co_return config.error();
  if (!config->has_value()) co_return Error(ErrorCode::kNoSuchLifecycleConfiguration);
  co_await RespondXml(ctx, 200, RenderLifecycleConfiguration(**config));
  co_return Status::Ok();
}

HandlerResult HandlePutBucketLifecycleConfiguration(RequestContext& ctx) {
  Result<std::string> xml =
      co_await ReadRequestDocument(ctx, kMaxLifecycleDocumentBytes, /*digest_required=*/true);
  if (!xml.ok()) co_return xml.error();
  auto config = ParseLifecycleConfiguration(*xml);
  if (!config.ok()) co_return config.error();
  Status stored =
      co_await core::PutBucketLifecycle(ctx.services.storage, ctx.route.bucket, std::move(*config));
  if (!stored.ok()) co_return stored;
  co_await RespondEmpty(ctx, 200);
  co_return Status::Ok();
}

HandlerResult HandleDeleteBucketLifecycleConfiguration(RequestContext& ctx) {
  std::optional<core::LifecycleConfiguration> none;
  Status deleted = co_await core::PutBucketLifecycle(ctx.services.storage, ctx.route.bucket, none);
  if (!deleted.ok()) co_return deleted;
  co_await RespondEmpty(ctx, 204);
  co_return Status::Ok();
}

}  // namespace cairn::s3
