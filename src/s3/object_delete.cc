// DeleteObject (idempotent: deleting a missing key succeeds) and DeleteObjects (the XML batch of up
// to 1,000 keys, which must carry Content-MD5 or an x-amz-checksum-*; current SDKs send CRC32).
#include "core/names.h"
#include "s3/authorization.h"
#include "s3/body_ingest.h"
#include "s3/handlers.h"
#include "s3/request_document.h"
#include "s3/response.h"

namespace cairn::s3 {
namespace {

constexpr uint64_t kMaxDeleteRequestBytes = 2 << 20;

}  // namespace

HandlerResult HandleDeleteObject(RequestContext& ctx) {
  auto released = co_await ctx.Blocking(
      [&] { return ctx.services.meta.DeleteObject(ctx.route.bucket, ctx.route.key); });
  if (!released.ok()) co_return released.error();
  co_await RemoveBlobs(ctx, std::move(*released));
  co_await RespondEmpty(ctx, 204);
  co_return Status::Ok();
}

HandlerResult HandleDeleteObjects(RequestContext& ctx) {
  Result<std::string> xml =
      co_await ReadRequestDocument(ctx, kMaxDeleteRequestBytes, /*digest_required=*/true);
  if (!xml.ok()) co_return xml.error();
  Result<DeleteRequest> request = ParseDeleteRequest(*xml);
  if (!request.ok()) co_return request.error();

  std::vector<DeleteOutcome> outcomes;
  std::vector<std::string> released;
  Status bucket = co_await ctx.Blocking([&]() -> Status {
    if (auto b = ctx.services.meta.GetBucket(ctx.route.bucket); !b.ok()) return b.status();
    for (const std::string& key : request->keys) {
      DeleteOutcome outcome{key, std::nullopt};
      if (Status valid = core::ValidateObjectKey(key); !valid.ok()) {
        outcome.error = valid.error();
      } else if (Status allowed = AuthorizeObject(
                     ctx.auth.principal.get(), auth::Action::kWriteObjects, ctx.route.bucket, key);
                 !allowed.ok()) {
        outcome.error = allowed.error();  // S3 answers a key it may not delete in the result
      } else if (auto freed = ctx.services.meta.DeleteObject(ctx.route.bucket, key); freed.ok()) {
        released.insert(released.end(), freed->begin(), freed->end());
      } else {
        outcome.error = ForClient(freed.error(), ctx.request_id);
      }
      outcomes.push_back(std::move(outcome));
    }
    return Status::Ok();
  });
  if (!bucket.ok()) co_return bucket;
  co_await RemoveBlobs(ctx, std::move(released));
  co_await RespondXml(ctx, 200, RenderDeleteResult(outcomes, request->quiet));
  co_return Status::Ok();
}

}  // namespace cairn::s3
