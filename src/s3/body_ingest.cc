#include "s3/body_ingest.h"

#include <boost/asio/strand.hpp>
#include <deque>
#include <vector>

#include "common/encoding.h"

namespace cairn::s3 {

bool StoredInline(const RequestContext& ctx, std::optional<uint64_t> declared_size,
                  BodyStorage storage) {
  return storage == BodyStorage::kInlineWhenSmall && declared_size && *declared_size > 0 &&
         *declared_size <= ctx.services.config.inline_max_bytes;
}

namespace {

// A small body, read and hashed here on the event loop (StoredInline).
Awaitable<Result<IngestedBody>> IngestInline(BodySource& payload, IntegrityChecker& checker) {
  IngestedBody body;
  for (;;) {
    Result<std::string_view> piece = co_await payload.Next();
    if (!piece.ok()) co_return piece.error();
    if (piece->empty()) break;
    checker.Update(*piece);
    body.inline_data.append(*piece);
  }
  body.size = body.inline_data.size();
  co_return body;
}

// Any body, streamed into a blob file on the worker pool. The blob is left uncommitted: it is
// committed only once the body's digests matched.
struct Streamed {
  uint64_t size = 0;
  std::unique_ptr<blob::BlobWriter> writer;  // null for an empty body
};

// Each piece is hashed on strands of the worker pool (one per digest lane: the MD5, and the
// SHA-256 of a signed payload) and written on another while the connection goes on being read:
// hashing, writing and reading each proceed at their own pace, up to as many pieces ahead as the
// body source keeps valid. A piece is done when its hashes and its write are.
Awaitable<Result<Streamed>> StreamToBlob(RequestContext& ctx, BodySource& payload,
                                         IntegrityChecker& checker) {
  blob::BlobStore& blobs = ctx.services.blobs;
  Streamed out;
  // Writes one piece (creating the blob with the first).
  auto append = [&blobs, &out](std::string_view bytes) -> Status {
    if (!out.writer) {
      auto created = blobs.Create();
      if (!created.ok()) return created.status();
      out.writer = std::move(*created);
    }
    return out.writer->Append(bytes.data(), bytes.size());
  };
  using Strand = boost::asio::strand<boost::asio::thread_pool::executor_type>;
  std::vector<Strand> hashing;
  for (size_t lane = 0; lane < checker.lanes(); ++lane) {
    hashing.push_back(boost::asio::make_strand(ctx.services.pool.get_executor()));
  }
  Strand writing = boost::asio::make_strand(ctx.services.pool.get_executor());
  struct InFlight {
    std::vector<BlockingTask<Status>> hashed;  // one per lane
    BlockingTask<Status> written;
  };
  std::deque<InFlight> in_flight;
  Status failed = Status::Ok();  // the first hashing or writing error
  auto finish_oldest = [&in_flight, &failed]() -> Awaitable<void> {
    InFlight oldest = std::move(in_flight.front());
    in_flight.pop_front();
    for (auto& lane : oldest.hashed) {
      Status hashed = co_await lane.Wait();
      if (failed.ok()) failed = hashed;
    }
    Status written = co_await oldest.written.Wait();
    if (failed.ok()) failed = written;
  };
  Result<std::string_view> piece = std::string_view();
  for (;;) {
    // The next read reuses the buffer of the oldest piece beyond what the source keeps.
    while (in_flight.size() > payload.pieces_kept()) co_await finish_oldest();
    if (!failed.ok()) break;
    piece = co_await payload.Next();
    if (!piece.ok() || piece->empty()) break;
    const std::string_view bytes = *piece;
    out.size += bytes.size();
    std::vector<BlockingTask<Status>> hashed;
    for (size_t lane = 0; lane < hashing.size(); ++lane) {
      hashed.emplace_back(hashing[lane], [&checker, lane, bytes] {
        checker.UpdateLane(lane, bytes);
        return Status::Ok();
      });
    }
    BlockingTask<Status> written(writing, [&append, bytes] { return append(bytes); });
    in_flight.push_back(InFlight{std::move(hashed), std::move(written)});
  }
  while (!in_flight.empty()) co_await finish_oldest();
  if (!failed.ok()) co_return failed.error();
  if (!piece.ok()) co_return piece.error();
  co_return out;
}

// Commits the blob of a verified body (`verified` ok), or discards it; on the worker pool either
// way, since both touch the disk.
Awaitable<Result<IngestedBody>> FinishBlob(RequestContext& ctx, Streamed streamed,
                                           Result<IntegrityOutcome> verified) {
  if (!streamed.writer) {
    if (!verified.ok()) co_return verified.error();
    IngestedBody body;
    body.integrity = std::move(*verified);
    co_return body;
  }
  co_return co_await ctx.Blocking([&]() -> Result<IngestedBody> {
    std::unique_ptr<blob::BlobWriter> writer = std::move(streamed.writer);
    if (!verified.ok()) return verified.error();  // the uncommitted blob goes with its writer
    if (Status s = writer->Commit(); !s.ok()) return s.error();
    IngestedBody body;
    body.size = streamed.size;
    body.blob_id = writer->id();
    body.integrity = std::move(*verified);
    return body;
  });
}

}  // namespace

Awaitable<Result<IngestedBody>> IngestBody(RequestContext& ctx, BodySource& payload,
                                           IntegrityExpectations expectations,
                                           BodyStorage storage) {
  const uint64_t reserve = ctx.services.config.free_space_reserve;
  const uint64_t expected = payload.declared_size().value_or(0);
  // The gauge's last measurement: the event loop never waits for statvfs(2).
  const std::optional<uint64_t> free_bytes =
      ctx.services.free_space ? ctx.services.free_space->FreeBytes() : std::nullopt;
  if (free_bytes && *free_bytes < expected + reserve) {
    co_return Error(ErrorCode::kInsufficientStorage);
  }
  IntegrityChecker checker(std::move(expectations));
  if (StoredInline(ctx, payload.declared_size(), storage)) {
    Result<IngestedBody> body = co_await IngestInline(payload, checker);
    if (!body.ok()) co_return body;
    Result<IntegrityOutcome> verified = checker.Finish(payload.trailers());
    if (!verified.ok()) co_return verified.error();
    body->integrity = std::move(*verified);
    co_return body;
  }
  Result<Streamed> streamed = co_await StreamToBlob(ctx, payload, checker);
  if (!streamed.ok()) {
    co_return streamed.error();  // an uncommitted blob's writer discards it
  }
  Result<IntegrityOutcome> verified = checker.Finish(payload.trailers());
  co_return co_await FinishBlob(ctx, std::move(*streamed), std::move(verified));
}

std::vector<core::Extent> ExtentsOf(const IngestedBody& body) {
  if (body.blob_id.empty()) return {};
  return {core::Extent{body.blob_id, 0, body.size}};
}

core::ObjectRecord SingleBodyObject(std::string bucket, std::string key, const IngestedBody& body,
                                    RequestMetadata metadata) {
  core::ObjectRecord object;
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
  object.inline_data = body.inline_data;
  return object;
}

Awaitable<Status> CommitObject(RequestContext& ctx, const core::ObjectRecord& object,
                               const IngestedBody& body, meta::WriteCondition condition) {
  Result<std::vector<std::string>> released =
      co_await ctx.Blocking([&] { return ctx.services.meta.PutObject(object, condition); });
  if (!released.ok()) {
    if (!body.blob_id.empty()) {
      std::vector<std::string> unused(1,
                                      body.blob_id);  // GCC 12: no initializer list across co_await
      co_await RemoveBlobs(ctx, std::move(unused));
    }
    co_return released.error();
  }
  co_await RemoveBlobs(ctx, std::move(*released));
  co_return Status::Ok();
}

Awaitable<void> RemoveBlobs(RequestContext& ctx, std::vector<std::string> blob_ids) {
  if (blob_ids.empty()) co_return;
  co_await ctx.Blocking([&] {
    ctx.services.reclaimer.Release(blob_ids);
    return 0;
  });
}

}  // namespace cairn::s3
