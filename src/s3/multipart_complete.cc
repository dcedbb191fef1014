// CompleteMultipartUpload and AbortMultipartUpload. Completing applies R2's part rules
// (core/multipart_rules.h) inside the metadata transaction and makes the object the list of its
// parts' extents: O(number of parts), whatever the size, no bytes copied
// (core/multipart_service.h).
#include "core/multipart_service.h"
#include "s3/handlers.h"
#include "s3/integrity.h"
#include "s3/object_headers.h"
#include "s3/request_document.h"
#include "s3/response.h"

namespace cairn::s3 {
namespace {

// 10,000 parts with checksums stay well under this.
constexpr uint64_t kMaxCompleteRequestBytes = 4 << 20;

std::string UploadIdOf(const RequestContext& ctx) {
  return std::string(ctx.query.Get("uploadId").value_or(""));
}

}  // namespace

HandlerResult HandleCompleteMultipartUpload(RequestContext& ctx) {
  // x-amz-checksum-<algorithm> on a Complete is the checksum of the object the parts make, not of
  // the XML (S3 API reference, CompleteMultipartUpload: "ChecksumCRC32 [...] the checksum of the
  // object").
  Result<std::optional<core::ExpectedChecksum>> expected = ReadExpectedObjectChecksum(ctx);
  if (!expected.ok()) co_return expected.error();
  Result<std::string> xml = co_await ReadRequestDocument(
      ctx, kMaxCompleteRequestBytes, /*digest_required=*/false, ChecksumHeaders::kOfTheObject);
  if (!xml.ok()) co_return xml.error();
  auto requested = ParseCompleteMultipartUpload(*xml);
  if (!requested.ok()) co_return requested.error();
  std::string upload_id = UploadIdOf(ctx);
  core::Conditions conditions = ReadConditions(ctx);
  Result<core::ObjectRecord> object = co_await core::CompleteUpload(
      ctx.services.storage, ctx.route.bucket, ctx.route.key, std::move(upload_id),
      std::move(*requested), std::move(conditions), std::move(*expected));
  if (!object.ok()) co_return object.error();
  const std::string location = RequestOrigin(ctx) + "/" + ctx.route.bucket + "/" + ctx.route.key;
  http::ResponseHead head = BaseHead(ctx, 200);
  head.Set("Content-Type", "application/xml");
  AddChecksumHeaders(*object, head);
  const std::string document = RenderCompleteMultipartUpload(location, *object);
  co_await ctx.exchange.Respond(std::move(head), document);
  co_return Status::Ok();
}

HandlerResult HandleAbortMultipartUpload(RequestContext& ctx) {
  std::string upload_id = UploadIdOf(ctx);
  Status aborted = co_await core::AbortUpload(ctx.services.storage, ctx.route.bucket, ctx.route.key,
                                              std::move(upload_id));
  if (!aborted.ok()) co_return aborted;
  co_await RespondEmpty(ctx, 204);
  co_return Status::Ok();
}

}  // namespace cairn::s3
