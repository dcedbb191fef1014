#include "core/body_ingest.h"

#include <boost/asio/strand.hpp>
#include <deque>
#include <vector>

#include "blob/blob_store.h"
#include "blob/free_space_gauge.h"
#include "core/blob_reclaimer.h"

namespace cairn::core {

bool StoredInline(const Storage& storage, std::optional<uint64_t> declared_size, BodyStorage mode) {
  return mode == BodyStorage::kInlineWhenSmall && declared_size && *declared_size > 0 &&
         *declared_size <= storage.limits.inline_max_bytes;
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
Awaitable<Result<Streamed>> StreamToBlob(Storage& storage, BodySource& payload,
                                         IntegrityChecker& checker) {
  blob::BlobStore& blobs = storage.blobs;
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
    hashing.push_back(boost::asio::make_strand(storage.pool.get_executor()));
  }
  Strand writing = boost::asio::make_strand(storage.pool.get_executor());
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
Awaitable<Result<IngestedBody>> FinishBlob(Storage& storage, Streamed streamed,
                                           Result<IntegrityOutcome> verified) {
  if (!streamed.writer) {
    if (!verified.ok()) co_return verified.error();
    IngestedBody body;
    body.integrity = std::move(*verified);
    co_return body;
  }
  co_return co_await storage.Blocking([&]() -> Result<IngestedBody> {
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

Awaitable<Result<IngestedBody>> IngestBody(Storage& storage, BodySource& payload,
                                           IntegrityExpectations expectations, BodyStorage mode) {
  const uint64_t reserve = storage.limits.free_space_reserve;
  const uint64_t expected = payload.declared_size().value_or(0);
  // The gauge's last measurement: the event loop never waits for statvfs(2).
  const std::optional<uint64_t> free_bytes =
      storage.free_space ? storage.free_space->FreeBytes() : std::nullopt;
  if (free_bytes && *free_bytes < expected + reserve) {
    co_return Error(ErrorCode::kInsufficientStorage);
  }
  IntegrityChecker checker(std::move(expectations));
  if (StoredInline(storage, payload.declared_size(), mode)) {
    Result<IngestedBody> body = co_await IngestInline(payload, checker);
    if (!body.ok()) co_return body;
    Result<IntegrityOutcome> verified = checker.Finish(payload.trailers());
    if (!verified.ok()) co_return verified.error();
    body->integrity = std::move(*verified);
    co_return body;
  }
  Result<Streamed> streamed = co_await StreamToBlob(storage, payload, checker);
  if (!streamed.ok()) {
    co_return streamed.error();  // an uncommitted blob's writer discards it
  }
  Result<IntegrityOutcome> verified = checker.Finish(payload.trailers());
  co_return co_await FinishBlob(storage, std::move(*streamed), std::move(verified));
}

std::vector<Extent> ExtentsOf(const IngestedBody& body) {
  if (body.blob_id.empty()) return {};
  return {Extent{body.blob_id, 0, body.size}};
}

Awaitable<void> ReleaseBlobs(Storage& storage, std::vector<std::string> blob_ids) {
  if (blob_ids.empty()) co_return;
  co_await storage.Blocking([&] {
    storage.reclaimer.Release(blob_ids);
    return 0;
  });
}

Awaitable<Error> AbandonBlobs(Storage& storage, std::vector<std::string> new_blobs, Error error) {
  // The commit may have happened: a record may name these blobs. Deleting them could leave it
  // pointing at nothing; keeping an orphan costs only space until the start-up sweep.
  if (!error.outcome_unknown) co_await ReleaseBlobs(storage, std::move(new_blobs));
  co_return error;
}

}  // namespace cairn::core
