// CreateMultipartUpload, UploadPart and UploadPartCopy (Amazon S3 API reference), with R2's part
// limits. The core service stores parts and copies them by reference
// (core/multipart_service.h); this reads the request and renders the answer.
#include <charconv>

#include "core/multipart_service.h"
#include "core/names.h"
#include "s3/acl.h"
#include "s3/authorization.h"
#include "s3/handlers.h"
#include "s3/integrity.h"
#include "s3/object_headers.h"
#include "s3/payload.h"
#include "s3/response.h"

namespace cairn::s3 {
namespace {

// The part the request addresses: its upload and number. Errors: InvalidArgument (the number).
Result<core::PartTarget> ReadPartTarget(const RequestContext& ctx) {
  std::string_view text = ctx.query.Get("partNumber").value_or("");
  int64_t n = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc() || p != text.data() + text.size()) n = 0;
  if (Status s = core::ValidatePartNumber(n); !s.ok()) return s.error();
  return core::PartTarget{ctx.route.bucket, ctx.route.key,
                          std::string(ctx.query.Get("uploadId").value_or("")),
                          static_cast<uint32_t>(n)};
}

}  // namespace

HandlerResult HandleCreateMultipartUpload(RequestContext& ctx) {
  if (Status s = core::ValidateObjectKey(ctx.route.key); !s.ok()) co_return s;
  if (Status s = CheckObjectAcl(ctx.head().headers, "x-amz-acl"); !s.ok()) co_return s;
  Result<core::ObjectMetadata> metadata = ReadRequestMetadata(ctx);
  if (!metadata.ok()) co_return metadata.error();
  core::CreateUploadRequest request{ctx.route.bucket, ctx.route.key, std::move(*metadata), {}, {}};
  if (auto name = ctx.Header("x-amz-checksum-algorithm")) {
    request.checksum_algorithm = ParseChecksumAlgorithm(*name);
    if (!request.checksum_algorithm) {
      co_return Error(ErrorCode::kInvalidRequest, "Checksum algorithm provided is unsupported.");
    }
    if (auto type = ctx.Header("x-amz-checksum-type")) request.checksum_type = std::string(*type);
  }
  Result<core::CreatedUpload> created =
      co_await core::CreateUpload(ctx.services.storage, std::move(request));
  if (!created.ok()) co_return created.error();
  const core::UploadRecord& upload = created->upload;

  http::ResponseHead head = BaseHead(ctx, 200);
  head.Set("Content-Type", "application/xml");
  head.Set("x-amz-abort-date", FormatHttpDate(created->abort.abort_at));
  head.Set("x-amz-abort-rule-id", created->abort.rule_id);
  if (!upload.checksum_algorithm.empty()) {
    head.Set("x-amz-checksum-algorithm", upload.checksum_algorithm);
    head.Set("x-amz-checksum-type", upload.checksum_type);
  }
  co_await ctx.exchange.Respond(
      std::move(head), RenderInitiateMultipartUpload(upload.bucket, upload.key, upload.upload_id));
  co_return Status::Ok();
}

HandlerResult HandleUploadPart(RequestContext& ctx) {
  auto target = ReadPartTarget(ctx);
  if (!target.ok()) co_return target.error();
  Result<core::IntegrityExpectations> expectations = ReadIntegrityExpectations(ctx);
  if (!expectations.ok()) co_return expectations.error();
  auto payload =
      PayloadReader::Open(ctx, core::kMaxPartSize, PayloadReader::Framing::kLengthRequired);
  if (!payload.ok()) co_return payload.error();
  Result<core::PartRecord> part = co_await core::UploadPart(
      ctx.services.storage, std::move(*target), **payload, std::move(*expectations));
  if (!part.ok()) co_return part.error();

  http::ResponseHead head = BaseHead(ctx, 200);
  head.Set("ETag", QuoteEtag(part->etag));
  for (const auto& [algorithm, value] : part->checksums) {
    if (auto a = ParseChecksumAlgorithm(algorithm))
      head.Set(std::string(ChecksumHeaderName(*a)), value);
  }
  co_await ctx.exchange.Respond(std::move(head), {});
  co_return Status::Ok();
}

HandlerResult HandleUploadPartCopy(RequestContext& ctx) {
  auto target = ReadPartTarget(ctx);
  if (!target.ok()) co_return target.error();
  auto source = ReadableCopySource(ctx);
  if (!source.ok()) co_return source.error();
  core::PartCopySource from{source->bucket, source->key, ReadConditions(ctx, "x-amz-copy-source-"),
                            std::nullopt};
  if (auto range = ctx.Header("x-amz-copy-source-range")) from.range = std::string(*range);
  Result<core::PartRecord> part =
      co_await core::UploadPartCopy(ctx.services.storage, std::move(*target), std::move(from));
  if (!part.ok()) co_return part.error();
  co_await RespondXml(ctx, 200, RenderCopyPartResult(*part));
  co_return Status::Ok();
}

}  // namespace cairn::s3
