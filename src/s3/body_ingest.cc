#include "s3/body_ingest.h"

#include "common/encoding.h"

namespace cairn::s3 {

http::Awaitable<Result<IngestedBody>> IngestBody(RequestContext& ctx, BodySource& payload,
                                                 IntegrityExpectations expectations) {
  blob::BlobStore& blobs = ctx.services.blobs;
  const uint64_t reserve = ctx.services.config.free_space_reserve;
  const uint64_t expected = payload.declared_size().value_or(0);
  Result<uint64_t> free_bytes = co_await ctx.Blocking([&] { return blobs.FreeBytes(); });
  if (free_bytes.ok() && *free_bytes < expected + reserve) {
    co_return Error(ErrorCode::kInsufficientStorage);
  }

  IntegrityChecker checker(std::move(expectations));
  std::unique_ptr<blob::BlobWriter> writer;
  IngestedBody body;
  for (;;) {
    Result<std::string_view> piece = co_await payload.Next();
    if (!piece.ok()) co_return piece.error();
    if (piece->empty()) break;
    std::string_view bytes = *piece;
    Status written = co_await ctx.Blocking([&]() -> Status {
      if (!writer) {
        auto created = blobs.Create();
        if (!created.ok()) return created.status();
        writer = std::move(*created);
      }
      checker.Update(bytes);
      return writer->Append(bytes.data(), bytes.size());
    });
    if (!written.ok()) co_return written.error();
    body.size += bytes.size();
  }
  Result<IntegrityOutcome> outcome = checker.Finish(payload.trailers());
  if (!outcome.ok()) co_return outcome.error();
  body.integrity = std::move(*outcome);
  if (writer) {
    Status committed = co_await ctx.Blocking([&] { return writer->Commit(); });
    if (!committed.ok()) co_return committed.error();
    body.blob_id = writer->id();
    co_await ctx.Blocking([&] {
      writer.reset();
      return 0;
    });
  }
  co_return body;
}

std::vector<meta::Extent> ExtentsOf(const IngestedBody& body) {
  if (body.blob_id.empty()) return {};
  return {meta::Extent{body.blob_id, 0, body.size}};
}

meta::ObjectRecord SingleBodyObject(std::string bucket, std::string key, const IngestedBody& body,
                                    RequestMetadata metadata) {
  meta::ObjectRecord object;
  object.bucket = std::move(bucket);
  object.key = std::move(key);
  object.size = body.size;
  object.etag = HexEncode(body.integrity.md5);
  object.last_modified = NowMillis();
  object.http = std::move(metadata.http);
  object.user_metadata = std::move(metadata.user);
  object.storage_class = std::move(metadata.storage_class);
  object.checksums = body.integrity.checksums;
  if (!object.checksums.empty()) object.checksum_type = "FULL_OBJECT";
  object.extents = ExtentsOf(body);
  return object;
}

http::Awaitable<Status> CommitObject(RequestContext& ctx, const meta::ObjectRecord& object,
                                     const IngestedBody& body, meta::WriteCondition condition) {
  Result<std::vector<std::string>> released =
      co_await ctx.Blocking([&] { return ctx.services.meta.PutObject(object, condition); });
  if (!released.ok()) {
    // GCC 12: no initializer list across co_await.
    std::vector<std::string> unused(1, body.blob_id);
    co_await RemoveBlobs(ctx, std::move(unused));
    co_return released.error();
  }
  co_await RemoveBlobs(ctx, std::move(*released));
  co_return Status::Ok();
}

http::Awaitable<void> RemoveBlobs(RequestContext& ctx, std::vector<std::string> blob_ids) {
  if (blob_ids.empty()) co_return;
  co_await ctx.Blocking([&] {
    ctx.services.reclaimer.Release(blob_ids);
    return 0;
  });
}

}  // namespace cairn::s3
