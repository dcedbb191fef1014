// DeleteObject (idempotent: deleting a missing key succeeds, unless If-Match asks that it exist
// with that ETag) and DeleteObjects (the XML batch of up to 1,000 keys, which must carry
// Content-MD5 or an x-amz-checksum-*; current SDKs send CRC32).
#include "core/object_service.h"
#include "s3/authorization.h"
#include "s3/handlers.h"
#include "s3/request_document.h"
#include "s3/response.h"

namespace cairn::s3 {
namespace {

constexpr uint64_t kMaxDeleteRequestBytes = 2 << 20;

}  // namespace

HandlerResult HandleDeleteObject(RequestContext& ctx) {
  // S3's other delete conditions (directory buckets only) are refused rather than ignored: a client
  // that sent one must not believe its delete was conditional.
  for (std::string_view unsupported :
       {"x-amz-if-match-last-modified-time", "x-amz-if-match-size"}) {
    if (ctx.Header(unsupported)) {
      co_return Error(ErrorCode::kNotImplemented,
                      "cairn does not implement the " + std::string(unsupported) + " header.");
    }
  }
  std::optional<std::string> if_match;
  if (auto v = ctx.Header("if-match")) if_match = std::string(*v);
  Status deleted = co_await core::DeleteObject(ctx.services.storage, ctx.route.bucket,
                                               ctx.route.key, std::move(if_match));
  if (!deleted.ok()) co_return deleted;
  co_await RespondEmpty(ctx, 204);
  co_return Status::Ok();
}

HandlerResult HandleDeleteObjects(RequestContext& ctx) {
  Result<std::string> xml =
      co_await ReadRequestDocument(ctx, kMaxDeleteRequestBytes, /*digest_required=*/true);
  if (!xml.ok()) co_return xml.error();
  Result<DeleteRequest> request = ParseDeleteRequest(*xml);
  if (!request.ok()) co_return request.error();
  // S3 answers a key the credential may not delete in the result, not for the whole request.
  const auth::Principal* principal = ctx.auth.principal.get();
  const std::string& bucket = ctx.route.bucket;
  core::KeyFilter may_delete = [principal, &bucket](const std::string& key) {
    return AuthorizeObject(principal, auth::Action::kWriteObjects, bucket, key);
  };
  auto outcomes = co_await core::DeleteObjects(ctx.services.storage, bucket, request->keys,
                                               std::move(may_delete));
  if (!outcomes.ok()) co_return outcomes.error();
  std::vector<DeleteOutcome> rendered;
  for (size_t i = 0; i < request->keys.size(); ++i) {
    DeleteOutcome outcome{request->keys[i], std::nullopt};
    if (const std::optional<Error>& error = (*outcomes)[i]) {
      outcome.error = ForClient(*error, ctx.request_id);
    }
    rendered.push_back(std::move(outcome));
  }
  co_await RespondXml(ctx, 200, RenderDeleteResult(rendered, request->quiet));
  co_return Status::Ok();
}

}  // namespace cairn::s3
