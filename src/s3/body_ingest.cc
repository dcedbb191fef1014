#include "s3/body_ingest.h"

#include "core/blob_cleanup.h"

namespace cairn::s3 {

http::Awaitable<Result<IngestedBody>> IngestBody(RequestContext& ctx, PayloadReader& payload,
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

http::Awaitable<void> RemoveBlobs(RequestContext& ctx, std::vector<std::string> blob_ids) {
  if (blob_ids.empty()) co_return;
  co_await ctx.Blocking([&] {
    core::RemoveUnreferencedBlobs(ctx.services.blobs, blob_ids);
    return 0;
  });
}

}  // namespace cairn::s3
