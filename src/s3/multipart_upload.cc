// CreateMultipartUpload, UploadPart and UploadPartCopy (Amazon S3 API reference), with R2's part
// limits. A part is a blob like a PUT body; UploadPartCopy makes its extents out of the source
// object's (no bytes copied), reading the source only to compute the part's MD5 when the source's
// ETag is not already that MD5.
#include <charconv>

#include "common/ascii.h"
#include "common/encoding.h"
#include "common/hashing.h"
#include "common/random.h"
#include "core/bucket_documents.h"
#include "core/extents.h"
#include "core/multipart_rules.h"
#include "core/names.h"
#include "core/range.h"
#include "s3/authorization.h"
#include "s3/body_ingest.h"
#include "s3/handlers.h"
#include "s3/object_headers.h"
#include "s3/response.h"

namespace cairn::s3 {
namespace {

// R2 keeps CRC64NVME as a checksum of the whole object and the others as checksums of parts.
std::string_view ChecksumTypeFor(ChecksumAlgorithm a) {
  return a == ChecksumAlgorithm::kCrc64Nvme ? "FULL_OBJECT" : "COMPOSITE";
}

Result<uint32_t> ReadPartNumber(const RequestContext& ctx) {
  std::string_view text = ctx.query.Get("partNumber").value_or("");
  int64_t n = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc() || p != text.data() + text.size()) n = 0;
  if (Status s = core::ValidatePartNumber(n); !s.ok()) return s.error();
  return static_cast<uint32_t>(n);
}

Awaitable<Result<core::UploadRecord>> LoadUpload(RequestContext& ctx) {
  std::string upload_id(ctx.query.Get("uploadId").value_or(""));
  co_return co_await ctx.Lookup(
      [&] { return ctx.services.meta.GetUpload(ctx.route.bucket, ctx.route.key, upload_id); });
}

// Records the part; when the upload vanished meanwhile (aborted, completed) the part's blob goes.
Awaitable<Status> CommitPart(RequestContext& ctx, const core::UploadRecord& upload,
                             const core::PartRecord& part, std::vector<std::string> own_blobs) {
  auto released = co_await ctx.Blocking(
      [&] { return ctx.services.meta.PutPart(upload.bucket, upload.key, upload.upload_id, part); });
  if (!released.ok()) {
    co_await RemoveBlobs(ctx, std::move(own_blobs));
    co_return released.error();
  }
  co_await RemoveBlobs(ctx, std::move(*released));
  co_return Status::Ok();
}

// The MD5 (and the upload's checksum, if any) of a part copied from a range of another object.
struct RangeDigests {
  std::string md5;
  std::map<std::string, std::string> checksums;
};

class RangeHasher {
 public:
  explicit RangeHasher(std::optional<ChecksumAlgorithm> algorithm)
      : algorithm_(algorithm),
        md5_(MakeMd5Hasher()),
        checksum_(algorithm ? MakeChecksumHasher(*algorithm) : nullptr) {}
  void Update(const char* data, size_t size) {
    md5_->Update(data, size);
    if (checksum_) checksum_->Update(data, size);
  }
  RangeDigests Finish() {
    RangeDigests digests{md5_->Finish(), {}};
    if (checksum_) {
      digests.checksums.emplace(ChecksumAlgorithmName(*algorithm_),
                                Base64Encode(checksum_->Finish()));
    }
    return digests;
  }

 private:
  std::optional<ChecksumAlgorithm> algorithm_;
  std::unique_ptr<Hasher> md5_;
  std::unique_ptr<Hasher> checksum_;
};

// Digests of bytes [first, first+length) of an object, read from its blobs (blocking).
Result<RangeDigests> HashObjectRange(blob::BlobStore& blobs,
                                     const std::vector<core::Extent>& extents, uint64_t first,
                                     uint64_t length, std::optional<ChecksumAlgorithm> algorithm) {
  auto slice = core::SliceExtents(extents, first, length);
  if (!slice.ok()) return slice.error();
  RangeHasher hasher(algorithm);
  std::string buffer(1 << 20, '\0');
  for (const core::Extent& e : *slice) {
    auto reader = blobs.Open(e.blob_id);
    if (!reader.ok()) return reader.error();
    for (uint64_t done = 0; done < e.length;) {
      size_t want = static_cast<size_t>(std::min<uint64_t>(buffer.size(), e.length - done));
      auto n = (*reader)->ReadAt(e.offset + done, buffer.data(), want);
      if (!n.ok()) return n.error();
      if (*n == 0) return Error(ErrorCode::kInternalError, "blob is shorter than its extent");
      hasher.Update(buffer.data(), *n);
      done += *n;
    }
  }
  return hasher.Finish();
}

// A part copied from a small object kept inline: its bytes need a blob of their own, since parts
// are always extents (blocking).
Status CopyInlineRange(blob::BlobStore& blobs, std::string_view bytes,
                       std::optional<ChecksumAlgorithm> algorithm, core::PartRecord& part) {
  auto writer = blobs.Create();
  if (!writer.ok()) return writer.status();
  if (Status s = (*writer)->Append(bytes.data(), bytes.size()); !s.ok()) return s;
  if (Status s = (*writer)->Commit(); !s.ok()) return s;
  RangeHasher hasher(algorithm);
  hasher.Update(bytes.data(), bytes.size());
  RangeDigests digests = hasher.Finish();
  part.etag = HexEncode(digests.md5);
  part.checksums = std::move(digests.checksums);
  part.extents = {core::Extent{(*writer)->id(), 0, bytes.size()}};
  return Status::Ok();
}

}  // namespace

HandlerResult HandleCreateMultipartUpload(RequestContext& ctx) {
  if (Status s = core::ValidateObjectKey(ctx.route.key); !s.ok()) co_return s;
  Result<RequestMetadata> metadata = ReadRequestMetadata(ctx);
  if (!metadata.ok()) co_return metadata.error();
  core::UploadRecord upload;
  if (auto name = ctx.Header("x-amz-checksum-algorithm")) {
    auto algorithm = ParseChecksumAlgorithm(*name);
    if (!algorithm) {
      co_return Error(ErrorCode::kInvalidRequest, "Checksum algorithm provided is unsupported.");
    }
    upload.checksum_algorithm = std::string(ChecksumAlgorithmName(*algorithm));
    upload.checksum_type = std::string(ChecksumTypeFor(*algorithm));
    if (auto type = ctx.Header("x-amz-checksum-type"); type && *type != upload.checksum_type) {
      co_return Error(ErrorCode::kInvalidRequest, "The " + std::string(*type) +
                                                      " checksum type is not supported for " +
                                                      upload.checksum_algorithm +
                                                      " (R2 keeps CRC64NVME as FULL_OBJECT and "
                                                      "the other algorithms as COMPOSITE).");
    }
  }
  upload.upload_id = RandomHex(24);
  upload.bucket = ctx.route.bucket;
  upload.key = ctx.route.key;
  upload.initiated = NowMillis();
  upload.http = std::move(metadata->http);
  upload.user_metadata = std::move(metadata->user);
  upload.storage_class = std::move(metadata->storage_class);

  auto lifecycle =
      co_await ctx.Blocking([&]() -> Result<std::optional<core::LifecycleConfiguration>> {
        if (Status s = ctx.services.meta.CreateUpload(upload); !s.ok()) return s.error();
        return core::LoadLifecycle(ctx.services.meta, upload.bucket);
      });
  if (!lifecycle.ok()) co_return lifecycle.error();
  const core::AbortSchedule abort = core::AbortScheduleFor(
      lifecycle->has_value() ? &**lifecycle : nullptr, upload.key, upload.initiated);

  http::ResponseHead head = BaseHead(ctx, 200);
  head.Set("Content-Type", "application/xml");
  head.Set("x-amz-abort-date", FormatHttpDate(abort.abort_at));
  head.Set("x-amz-abort-rule-id", abort.rule_id);
  if (!upload.checksum_algorithm.empty()) {
    head.Set("x-amz-checksum-algorithm", upload.checksum_algorithm);
    head.Set("x-amz-checksum-type", upload.checksum_type);
  }
  co_await ctx.exchange.Respond(
      std::move(head), RenderInitiateMultipartUpload(upload.bucket, upload.key, upload.upload_id));
  co_return Status::Ok();
}

HandlerResult HandleUploadPart(RequestContext& ctx) {
  auto number = ReadPartNumber(ctx);
  if (!number.ok()) co_return number.error();
  Result<IntegrityExpectations> expectations = ReadIntegrityExpectations(ctx);
  if (!expectations.ok()) co_return expectations.error();
  auto payload =
      PayloadReader::Open(ctx, core::kMaxPartSize, PayloadReader::Framing::kLengthRequired);
  if (!payload.ok()) co_return payload.error();
  auto upload = co_await LoadUpload(ctx);
  if (!upload.ok()) co_return upload.error();

  // An upload with a checksum algorithm keeps that checksum of every part, sent or not.
  if (auto algorithm = ParseChecksumAlgorithm(upload->checksum_algorithm)) {
    if (!expectations->algorithm) {
      expectations->algorithm = algorithm;
    } else if (*expectations->algorithm != *algorithm) {
      co_return Error(ErrorCode::kInvalidRequest,
                      "Checksum Type mismatch occurred, expected checksum Type: " +
                          AsciiLowercase(upload->checksum_algorithm) + ", actual checksum Type: " +
                          AsciiLowercase(ChecksumAlgorithmName(*expectations->algorithm)));
    }
  }
  Result<IngestedBody> body = co_await IngestBody(ctx, **payload, std::move(*expectations));
  if (!body.ok()) co_return body.error();

  core::PartRecord part;
  part.part_number = *number;
  part.size = body->size;
  part.etag = HexEncode(body->integrity.md5);
  part.last_modified = NowMillis();
  part.checksums = body->integrity.checksums;
  part.extents = ExtentsOf(*body);
  std::vector<std::string> own_blobs;
  if (!body->blob_id.empty()) own_blobs.push_back(body->blob_id);
  if (Status s = co_await CommitPart(ctx, *upload, part, std::move(own_blobs)); !s.ok())
    co_return s;

  http::ResponseHead head = BaseHead(ctx, 200);
  head.Set("ETag", QuoteEtag(part.etag));
  for (const auto& [algorithm, value] : part.checksums) {
    if (auto a = ParseChecksumAlgorithm(algorithm))
      head.Set(std::string(ChecksumHeaderName(*a)), value);
  }
  co_await ctx.exchange.Respond(std::move(head), {});
  co_return Status::Ok();
}

HandlerResult HandleUploadPartCopy(RequestContext& ctx) {
  auto number = ReadPartNumber(ctx);
  if (!number.ok()) co_return number.error();
  auto source = ReadableCopySource(ctx);
  if (!source.ok()) co_return source.error();
  auto upload = co_await LoadUpload(ctx);
  if (!upload.ok()) co_return upload.error();
  const core::Conditions conditions = ReadConditions(ctx, "x-amz-copy-source-");
  const auto range_header = ctx.Header("x-amz-copy-source-range");

  // The source's blobs must not be deleted before the part's reference to them is committed.
  const core::BlobReclaimer::Reader reading = ctx.services.reclaimer.BeginRead();
  std::vector<std::string> own_blobs;  // a blob written for this part alone (from an inline source)
  auto part = co_await ctx.Blocking([&]() -> Result<core::PartRecord> {
    auto object = ctx.services.meta.GetObject(source->bucket, source->key);
    if (!object.ok()) return object.error();
    if (!core::CheckReadConditions(conditions,
                                   core::ObjectState{object->etag, object->last_modified})
             .ok()) {
      return Error(ErrorCode::kPreconditionFailed);
    }
    uint64_t first = 0;
    uint64_t length = object->size;
    if (range_header) {
      auto range = core::ParseCopySourceRange(*range_header, object->size);
      if (!range.ok()) return range.error();
      first = range->first;
      length = range->length();
    }
    if (length > core::kMaxPartSize) return Error(ErrorCode::kEntityTooLarge);
    core::PartRecord p;
    p.part_number = *number;
    p.size = length;
    p.last_modified = NowMillis();
    const auto algorithm = ParseChecksumAlgorithm(upload->checksum_algorithm);
    if (object->stored_inline()) {
      const std::string_view bytes = std::string_view(object->inline_data).substr(first, length);
      if (Status s = CopyInlineRange(ctx.services.blobs, bytes, algorithm, p); !s.ok()) {
        return s.error();
      }
      own_blobs.push_back(p.extents[0].blob_id);
      return p;
    }
    auto extents = core::SliceExtents(object->extents, first, length);
    if (!extents.ok()) return extents.error();
    p.extents = std::move(*extents);
    const bool whole_single_put = object->parts_count == 0 && first == 0 && length == object->size;
    if (whole_single_put && !algorithm) {
      p.etag = object->etag;  // a single PUT's ETag is the MD5 of its bytes: nothing to read
    } else {
      auto digests = HashObjectRange(ctx.services.blobs, object->extents, first, length, algorithm);
      if (!digests.ok()) return digests.error();
      p.etag = HexEncode(digests->md5);
      p.checksums = std::move(digests->checksums);
    }
    return p;
  });
  if (!part.ok()) co_return part.error();
  if (Status s = co_await CommitPart(ctx, *upload, *part, std::move(own_blobs)); !s.ok()) {
    co_return s;
  }
  co_await RespondXml(ctx, 200, RenderCopyPartResult(*part));
  co_return Status::Ok();
}

}  // namespace cairn::s3
