// GetObject and HeadObject (Amazon S3 API reference): conditional requests, one byte range or one
// part (partNumber), response-* overrides, and the body sent from the blob files extent by extent,
// zero-copy where the engine has files and the connection allows, else read into buffers.
//
// A GET costs one trip to the lookup pool: the metadata lookup, the conditions, the range and the
// opening of the first blob files happen there together. A small object's bytes come with its
// metadata (inline) and go out with the head in one write; when its record is in the object cache
// it costs no trip at all. It reads as a reader of the blob
// reclaimer, so an overwrite that commits meanwhile cannot delete the blobs it is sending.
#include <algorithm>
#include <array>
#include <charconv>
#include <memory>

#include "core/extents.h"
#include "core/range.h"
#include "s3/handlers.h"
#include "s3/object_headers.h"
#include "s3/response.h"

namespace cairn::s3 {
namespace {

// Blob files opened with the metadata lookup; an object of more extents opens the rest as it goes.
constexpr size_t kOpenAhead = 8;
// The bytes of a blob without a file read at a time (as the session's copying sendfile does).
constexpr uint64_t kReadPiece = 256 << 10;

// The byte range of part `number` (1-based) of an object.
Result<core::ByteRange> PartRange(const core::ObjectRecord& object, std::string_view number) {
  uint32_t n = 0;
  auto [p, ec] = std::from_chars(number.data(), number.data() + number.size(), n);
  if (ec != std::errc() || p != number.data() + number.size() || n < 1 || n > 10000) {
    return Error(ErrorCode::kInvalidArgument,
                 "Part number must be an integer between 1 and 10000, inclusive");
  }
  const uint32_t parts = object.parts_count == 0 ? 1 : object.parts_count;
  if (n > parts || object.size == 0) return Error(ErrorCode::kInvalidPartNumber);
  if (object.parts_count == 0) return core::ByteRange{0, object.size - 1};
  uint64_t first = 0;
  for (uint32_t i = 1; i < n; ++i) first += object.part_sizes[i - 1];
  return core::ByteRange{first, first + object.part_sizes[n - 1] - 1};
}

// What the response will be, decided with the metadata in hand.
struct ReadPlan {
  std::shared_ptr<const core::ObjectRecord> object;
  bool not_modified = false;             // 304
  std::optional<core::ByteRange> range;  // 206 when set
  std::vector<core::Extent> slice;       // the extents of the bytes to send (GET only)
  std::vector<std::unique_ptr<blob::BlobReader>> opened;  // the first extents of `slice`
};

// Decides the response to a request for `object`: conditions, then the range. Errors are the
// response (PreconditionFailed, InvalidRange, ...). Pure: runs anywhere.
Result<ReadPlan> Decide(RequestContext& ctx, std::shared_ptr<const core::ObjectRecord> object) {
  ReadPlan plan;
  plan.object = std::move(object);
  const core::ObjectRecord& o = *plan.object;
  Status conditions =
      core::CheckReadConditions(ReadConditions(ctx), core::ObjectState{o.etag, o.last_modified});
  if (!conditions.ok()) {
    if (conditions.code() != ErrorCode::kNotModified) return conditions.error();
    plan.not_modified = true;
    return plan;
  }
  if (auto part = ctx.query.Get("partNumber")) {
    auto part_range = PartRange(o, *part);
    if (!part_range.ok()) return part_range.error();
    if (o.parts_count > 0) plan.range = *part_range;
  } else if (auto header = ctx.Header("range")) {
    auto resolved = core::ResolveRange(*header, o.size);
    if (!resolved.ok()) return resolved.error();
    plan.range = *resolved;
  }
  return plan;
}

// Blocking: looks the object up (unless `cached` has it), decides the response and, for a GET of
// a blob-backed object, opens its first blob files. Errors are the response.
Result<ReadPlan> PlanRead(RequestContext& ctx, bool with_body,
                          std::shared_ptr<const core::ObjectRecord> cached) {
  if (!cached) {
    auto object = ctx.services.meta.GetObject(ctx.route.bucket, ctx.route.key);
    if (!object.ok()) return object.error();
    cached = std::make_shared<const core::ObjectRecord>(std::move(*object));
  }
  Result<ReadPlan> plan = Decide(ctx, std::move(cached));
  if (!plan.ok() || plan->not_modified) return plan;
  const core::ObjectRecord& o = *plan->object;
  const uint64_t first = plan->range ? plan->range->first : 0;
  const uint64_t length = plan->range ? plan->range->length() : o.size;
  if (!with_body || length == 0 || o.stored_inline()) return plan;
  auto slice = core::SliceExtents(o.extents, first, length);
  if (!slice.ok()) return slice.error();
  plan->slice = std::move(*slice);
  for (size_t i = 0; i < plan->slice.size() && i < kOpenAhead; ++i) {
    auto reader = ctx.services.blobs.Open(plan->slice[i].blob_id);
    if (!reader.ok()) return reader.error();
    plan->opened.push_back(std::move(*reader));
  }
  return plan;
}

// Sends `length` bytes of `reader` from `offset` through ReadAt, for engines without a file: each
// piece is read on the lookup pool while the one before it is being sent.
Awaitable<Status> StreamExtent(RequestContext& ctx, std::unique_ptr<blob::BlobReader> reader,
                               uint64_t offset, uint64_t length) {
  // Shared with the read in flight, which outlives this coroutine when sending fails.
  struct Pieces {
    std::unique_ptr<blob::BlobReader> reader;
    std::array<std::string, 2> buffers;
  };
  auto pieces = std::make_shared<Pieces>();
  pieces->reader = std::move(reader);
  const uint64_t end = offset + length;
  auto read = [&ctx, &pieces, end](size_t slot, uint64_t at) {
    const size_t want = static_cast<size_t>(std::min(end - at, kReadPiece));
    return BlockingTask<Result<size_t>>(
        ctx.services.lookups, [pieces, slot, at, want]() -> Result<size_t> {
          std::string& buffer = pieces->buffers[slot];
          buffer.resize(want);
          Result<size_t> n = pieces->reader->ReadAt(at, buffer.data(), want);
          if (n.ok() && *n < want)
            return Error(ErrorCode::kInternalError, "blob is shorter than its extent");
          return n;
        });
  };
  size_t slot = 0;
  BlockingTask<Result<size_t>> next = read(slot, offset);
  for (uint64_t at = offset; at < end;) {
    Result<size_t> got = co_await next.Wait();
    if (!got.ok()) co_return got.error();
    const uint64_t following = at + *got;
    if (following < end) next = read(slot ^ 1, following);
    co_await ctx.exchange.WriteBody(std::string_view(pieces->buffers[slot].data(), *got));
    slot ^= 1;
    at = following;
  }
  co_return Status::Ok();
}

// Sends the plan's extents: the opened ones, then the rest, each opened on the lookup pool. A blob
// in a file of its own goes out zero-copy.
Awaitable<Status> SendExtents(RequestContext& ctx, ReadPlan& plan) {
  for (size_t i = 0; i < plan.slice.size(); ++i) {
    const core::Extent& extent = plan.slice[i];
    std::unique_ptr<blob::BlobReader> reader;
    if (i < plan.opened.size()) {
      reader = std::move(plan.opened[i]);
    } else {
      auto opened = co_await ctx.Lookup([&] { return ctx.services.blobs.Open(extent.blob_id); });
      if (!opened.ok()) co_return opened.error();
      reader = std::move(*opened);
    }
    if (const blob::FileBacking* file = reader->file()) {
      co_await ctx.exchange.SendFile(file->fd, extent.offset, extent.length);
      // Closing a blob file is cheap: the reclaimer unlinks blobs only after their readers end, so
      // this close never frees a file's blocks on the event loop.
      continue;
    }
    Status sent = co_await StreamExtent(ctx, std::move(reader), extent.offset, extent.length);
    if (!sent.ok()) co_return sent;
  }
  co_return Status::Ok();
}

}  // namespace

HandlerResult HandleGetObject(RequestContext& ctx) {
  const bool is_head = ctx.head().method == "HEAD";
  if (Status s = CheckResponseOverrides(ctx.query); !s.ok()) co_return s;
  std::optional<core::BlobReclaimer::Reader> reading;
  if (!is_head) reading.emplace(ctx.services.reclaimer.BeginRead());
  // A hot object answers from the cache; a small one then needs no other thread at all.
  std::shared_ptr<const core::ObjectRecord> cached =
      ctx.services.object_cache ? ctx.services.object_cache->Find(ctx.route.bucket, ctx.route.key)
                                : nullptr;
  Result<ReadPlan> plan = Error(ErrorCode::kInternalError);
  if (cached && (is_head || cached->stored_inline() || cached->size == 0)) {
    plan = Decide(ctx, std::move(cached));
  } else {
    // (Not a conditional expression around the co_await: GCC 12 mishandles those.)
    plan = co_await ctx.Lookup([&] { return PlanRead(ctx, !is_head, cached); });
  }
  if (!plan.ok()) co_return plan.error();
  const core::ObjectRecord& object = *plan->object;

  if (plan->not_modified) {
    http::ResponseHead head = BaseHead(ctx, 304);
    head.Set("ETag", QuoteEtag(object.etag));
    head.Set("Last-Modified", FormatHttpDate(object.last_modified));
    co_await ctx.exchange.Respond(std::move(head), {});
    co_return Status::Ok();
  }
  const std::optional<core::ByteRange>& range = plan->range;
  http::ResponseHead head = BaseHead(ctx, range ? 206 : 200);
  AddObjectHeaders(ctx, object, /*include_checksums=*/!range, head);
  // A browser renders the bytes as the stored Content-Type says, never as a sniffed guess.
  head.Set("X-Content-Type-Options", "nosniff");
  uint64_t length = object.size;
  if (range) {
    head.Set("Content-Range", core::ContentRangeValue(*range, object.size));
    length = range->length();
  }
  if (object.stored_inline() && !is_head) {
    const uint64_t first = range ? range->first : 0;
    const std::string_view bytes = std::string_view(object.inline_data).substr(first, length);
    co_await ctx.exchange.Respond(std::move(head), bytes);
    co_return Status::Ok();
  }
  co_await ctx.exchange.RespondHead(std::move(head), length);
  if (is_head || length == 0) co_return Status::Ok();
  Status sent = co_await SendExtents(ctx, *plan);
  if (!sent.ok()) ctx.exchange.CloseAfterResponse();  // the head is out: only closing can tell
  co_return sent;
}

}  // namespace cairn::s3
