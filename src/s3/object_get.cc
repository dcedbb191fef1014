// GetObject and HeadObject (Amazon S3 API reference): conditional requests, one byte range or one
// part (partNumber), response-* overrides, and the body sent from the blob files extent by extent,
// zero-copy where the connection allows.
#include <charconv>

#include "core/extents.h"
#include "core/range.h"
#include "s3/handlers.h"
#include "s3/object_headers.h"
#include "s3/response.h"

namespace cairn::s3 {
namespace {

// The byte range of part `number` (1-based) of an object.
Result<core::ByteRange> PartRange(const meta::ObjectRecord& object, std::string_view number) {
  uint32_t n = 0;
  auto [p, ec] = std::from_chars(number.data(), number.data() + number.size(), n);
  if (ec != std::errc() || p != number.data() + number.size() || n < 1 || n > 10000) {
    return Error(ErrorCode::kInvalidArgument, "Part number must be an integer between 1 and 10000, inclusive");
  }
  const uint32_t parts = object.parts_count == 0 ? 1 : object.parts_count;
  if (n > parts || object.size == 0) return Error(ErrorCode::kInvalidPartNumber);
  if (object.parts_count == 0) return core::ByteRange{0, object.size - 1};
  uint64_t first = 0;
  for (uint32_t i = 1; i < n; ++i) first += object.part_sizes[i - 1];
  return core::ByteRange{first, first + object.part_sizes[n - 1] - 1};
}

// Sends bytes [first, first+length) of the object, extent by extent.
http::Awaitable<Status> SendObjectBytes(RequestContext& ctx, const meta::ObjectRecord& object,
                                        uint64_t first, uint64_t length) {
  auto slice = core::SliceExtents(object.extents, first, length);
  if (!slice.ok()) co_return slice.error();
  for (const meta::Extent& extent : *slice) {
    auto reader = co_await ctx.Blocking([&] { return ctx.services.blobs.Open(extent.blob_id); });
    if (!reader.ok()) co_return reader.error();
    int fd = (*reader)->native_fd();
    if (fd < 0) co_return Error(ErrorCode::kInternalError, "blob engine has no file descriptor");
    co_await ctx.exchange.SendFile(fd, extent.offset, extent.length);
    co_await ctx.Blocking([&] {
      reader->reset();
      return 0;
    });
  }
  co_return Status::Ok();
}

}  // namespace

HandlerResult HandleGetObject(RequestContext& ctx) {
  const bool is_head = ctx.head().method == "HEAD";
  auto object = co_await ctx.Blocking(
      [&] { return ctx.services.meta.GetObject(ctx.route.bucket, ctx.route.key); });
  if (!object.ok()) co_return object.error();

  Status conditions = core::CheckReadConditions(
      ReadConditions(ctx), core::ObjectState{object->etag, object->last_modified});
  if (!conditions.ok()) {
    if (conditions.code() == ErrorCode::kNotModified) {
      http::ResponseHead head = BaseHead(ctx, 304);
      head.Set("ETag", QuoteEtag(object->etag));
      head.Set("Last-Modified", FormatHttpDate(object->last_modified));
      co_await ctx.exchange.Respond(std::move(head), {});
      co_return Status::Ok();
    }
    co_return conditions;
  }

  std::optional<core::ByteRange> range;
  if (auto part = ctx.query.Get("partNumber")) {
    auto part_range = PartRange(*object, *part);
    if (!part_range.ok()) co_return part_range.error();
    if (object->parts_count > 0) range = *part_range;
  } else if (auto header = ctx.Header("range")) {
    auto resolved = core::ResolveRange(*header, object->size);
    if (!resolved.ok()) co_return resolved.error();
    range = *resolved;
  }

  http::ResponseHead head = BaseHead(ctx, range ? 206 : 200);
  AddObjectHeaders(ctx, *object, /*include_checksums=*/!range, head);
  uint64_t first = 0;
  uint64_t length = object->size;
  if (range) {
    head.Set("Content-Range", core::ContentRangeValue(*range, object->size));
    first = range->first;
    length = range->length();
  }
  co_await ctx.exchange.RespondHead(std::move(head), length);
  if (is_head || length == 0) co_return Status::Ok();
  Status sent = co_await SendObjectBytes(ctx, *object, first, length);
  if (!sent.ok()) ctx.exchange.CloseAfterResponse();  // the head is out: only closing can tell
  co_return sent;
}

}  // namespace cairn::s3
