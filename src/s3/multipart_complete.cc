// CompleteMultipartUpload and AbortMultipartUpload. Completing applies R2's part rules
// (core/multipart_rules.h) inside the metadata transaction and makes the object the list of its
// parts' extents: O(number of parts), whatever the size, no bytes copied.
#include "core/multipart_rules.h"
#include "core/preconditions.h"
#include "s3/body_ingest.h"
#include "s3/handlers.h"
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

Result<core::ObjectRecord> BuildObject(const core::UploadRecord& upload,
                                       const std::vector<core::RequestedPart>& requested,
                                       const std::vector<core::PartRecord>& uploaded) {
  auto parts = core::SelectParts(upload, requested, uploaded);
  if (!parts.ok()) return parts.error();
  auto checksum = core::CombinePartChecksums(upload, *parts);
  if (!checksum.ok()) return checksum.error();
  core::ObjectRecord object;
  object.bucket = upload.bucket;
  object.key = upload.key;
  object.etag = core::MultipartEtag(*parts);
  object.last_modified = NowMillis();
  object.http = upload.http;
  object.user_metadata = upload.user_metadata;
  object.storage_class = upload.storage_class;
  object.checksums = std::move(checksum->checksums);
  object.checksum_type = std::move(checksum->type);
  object.parts_count = static_cast<uint32_t>(parts->size());
  for (const core::PartRecord* part : *parts) {
    object.size += part->size;
    object.part_sizes.push_back(part->size);
    object.extents.insert(object.extents.end(), part->extents.begin(), part->extents.end());
  }
  return object;
}

}  // namespace

HandlerResult HandleCompleteMultipartUpload(RequestContext& ctx) {
  Result<std::string> xml =
      co_await ReadRequestDocument(ctx, kMaxCompleteRequestBytes, /*digest_required=*/false);
  if (!xml.ok()) co_return xml.error();
  auto requested = ParseCompleteMultipartUpload(*xml);
  if (!requested.ok()) co_return requested.error();
  const core::Conditions conditions = ReadConditions(ctx);
  const std::string upload_id = UploadIdOf(ctx);

  core::ObjectRecord object;
  auto released = co_await ctx.Blocking([&] {
    auto build = [&](const core::UploadRecord& upload,
                     const std::vector<core::PartRecord>& parts) -> Result<core::ObjectRecord> {
      auto built = BuildObject(upload, *requested, parts);
      if (built.ok()) object = *built;
      return built;
    };
    meta::WriteCondition condition;
    if (!conditions.empty()) {
      condition = [&](const std::optional<core::ObjectRecord>& current) {
        std::optional<core::ObjectState> state;
        if (current) state = core::ObjectState{current->etag, current->last_modified};
        return core::CheckWriteConditions(conditions, state);
      };
    }
    return ctx.services.meta.CompleteUpload(ctx.route.bucket, ctx.route.key, upload_id, build,
                                            condition);
  });
  if (!released.ok()) co_return released.error();
  co_await RemoveBlobs(ctx, std::move(*released));

  const std::string location = RequestOrigin(ctx) + "/" + ctx.route.bucket + "/" + ctx.route.key;
  http::ResponseHead head = BaseHead(ctx, 200);
  head.Set("Content-Type", "application/xml");
  AddChecksumHeaders(object, head);
  const std::string document = RenderCompleteMultipartUpload(location, object);
  co_await ctx.exchange.Respond(std::move(head), document);
  co_return Status::Ok();
}

HandlerResult HandleAbortMultipartUpload(RequestContext& ctx) {
  const std::string upload_id = UploadIdOf(ctx);
  auto released = co_await ctx.Blocking(
      [&] { return ctx.services.meta.AbortUpload(ctx.route.bucket, ctx.route.key, upload_id); });
  if (!released.ok()) co_return released.error();
  co_await RemoveBlobs(ctx, std::move(*released));
  co_await RespondEmpty(ctx, 204);
  co_return Status::Ok();
}

}  // namespace cairn::s3
