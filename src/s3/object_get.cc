// GetObject and HeadObject (Amazon S3 API reference): conditional requests, one byte range or one
// part (partNumber), response-* overrides. The core service decides the response and hands the
// bytes over piece by piece (core/object_read.h); a piece in a file goes out zero-copy where the
// connection allows, a small object's bytes go out with the head in one write.
#include "core/object_read.h"
#include "s3/handlers.h"
#include "s3/object_body_sender.h"
#include "s3/object_headers.h"
#include "s3/response.h"

namespace cairn::s3 {

HandlerResult HandleGetObject(RequestContext& ctx) {
  const bool is_head = ctx.head().method == "HEAD";
  if (Status s = CheckResponseOverrides(ctx.query); !s.ok()) co_return s;
  core::ReadObjectRequest request;
  request.bucket = ctx.route.bucket;
  request.key = ctx.route.key;
  request.conditions = ReadConditions(ctx);
  if (auto part = ctx.query.Get("partNumber")) {
    request.part_number = std::string(*part);
  } else if (auto range = ctx.Header("range")) {
    request.range = std::string(*range);
  }
  request.with_body = !is_head;
  request.file_spans = ctx.exchange.sends_files();
  Result<core::ObjectRead> read =
      co_await core::ReadObject(ctx.services.storage, std::move(request));
  if (!read.ok()) co_return read.error();
  const core::ObjectRecord& object = *read->object;

  if (read->not_modified) {
    http::ResponseHead head = BaseHead(ctx, 304);
    head.Set("ETag", QuoteEtag(object.etag));
    head.Set("Last-Modified", FormatHttpDate(object.last_modified));
    co_await ctx.exchange.Respond(std::move(head), {});
    co_return Status::Ok();
  }
  const std::optional<core::ByteRange>& range = read->range;
  http::ResponseHead head = BaseHead(ctx, range ? 206 : 200);
  AddObjectHeaders(ctx, *read, head);
  // A browser renders the bytes as the stored Content-Type says, never as a sniffed guess.
  head.Set("X-Content-Type-Options", "nosniff");
  if (range) head.Set("Content-Range", core::ContentRangeValue(*range, object.size));
  if (object.stored_inline() && !is_head) {
    co_await ctx.exchange.Respond(std::move(head), read->inline_bytes);
    co_return Status::Ok();
  }
  co_await ctx.exchange.RespondHead(std::move(head), read->length);
  if (!read->body) co_return Status::Ok();
  Status sent = co_await SendObjectBody(ctx.exchange, *read->body);
  if (!sent.ok()) ctx.exchange.CloseAfterResponse();  // the head is out: only closing can tell
  co_return sent;
}

}  // namespace cairn::s3
