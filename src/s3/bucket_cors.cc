// Get/Put/DeleteBucketCors (Amazon S3 API reference). The rules are applied by the pipeline: to a
// browser's preflight (OPTIONS, answered in cors_response.cc) and to every request that carries an
// Origin header.
#include "core/bucket_service.h"
#include "s3/handlers.h"
#include "s3/request_document.h"
#include "s3/response.h"

namespace cairn::s3 {
namespace {

constexpr uint64_t kMaxCorsDocumentBytes = 64 * 1024;  // S3's limit for a CORS configuration

}  // namespace

HandlerResult HandleGetBucketCors(RequestContext& ctx) {
  auto config = co_await core::GetBucketCors(ctx.services.storage, ctx.route.bucket);
  if (!config.ok()) co_return config.error();
  if (!config->has_value()) co_return Error(ErrorCode::kNoSuchCORSConfiguration);
  co_await RespondXml(ctx, 200, RenderCorsConfiguration(**config));
  co_return Status::Ok();
}

HandlerResult HandlePutBucketCors(RequestContext& ctx) {
  Result<std::string> xml =
      co_await ReadRequestDocument(ctx, kMaxCorsDocumentBytes, /*digest_required=*/true);
  if (!xml.ok()) co_return xml.error();
  auto config = ParseCorsConfiguration(*xml);
  if (!config.ok()) co_return config.error();
  Status stored =
      co_await core::PutBucketCors(ctx.services.storage, ctx.route.bucket, std::move(*config));
  if (!stored.ok()) co_return stored;
  co_await RespondEmpty(ctx, 200);
  co_return Status::Ok();
}

HandlerResult HandleDeleteBucketCors(RequestContext& ctx) {
  std::optional<core::CorsConfiguration> none;
  Status deleted = co_await core::PutBucketCors(ctx.services.storage, ctx.route.bucket, none);
  if (!deleted.ok()) co_return deleted;
  co_await RespondEmpty(ctx, 204);
  co_return Status::Ok();
}

}  // namespace cairn::s3
