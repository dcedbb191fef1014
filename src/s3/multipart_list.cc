// ListParts and ListMultipartUploads (Amazon S3 API reference).
#include <charconv>

#include "common/time_format.h"
#include "core/multipart_service.h"
#include "s3/handlers.h"
#include "s3/response.h"

namespace cairn::s3 {
namespace {

// A non-negative integer query parameter, capped at `cap`; `fallback` when absent.
Result<uint32_t> ReadCount(const QueryParams& q, std::string_view name, uint32_t fallback,
                           uint32_t cap) {
  auto text = q.Get(name);
  if (!text) return fallback;
  int64_t v = -1;
  auto [p, ec] = std::from_chars(text->data(), text->data() + text->size(), v);
  if (ec != std::errc() || p != text->data() + text->size() || v < 0) {
    return Error(ErrorCode::kInvalidArgument,
                 "Provided " + std::string(name) + " not an integer or within integer range");
  }
  return static_cast<uint32_t>(std::min<int64_t>(v, cap));
}

}  // namespace

HandlerResult HandleListParts(RequestContext& ctx) {
  ListPartsRender list;
  list.bucket = ctx.route.bucket;
  list.key = ctx.route.key;
  list.upload_id = std::string(ctx.query.Get("uploadId").value_or(""));
  auto max_parts = ReadCount(ctx.query, "max-parts", 1000, 1000);
  if (!max_parts.ok()) co_return max_parts.error();
  auto marker = ReadCount(ctx.query, "part-number-marker", 0, 10000);
  if (!marker.ok()) co_return marker.error();
  list.max_parts = *max_parts;
  list.part_number_marker = *marker;
  list.owner = ctx.services.owner;

  auto listing = co_await core::ListParts(ctx.services.storage, list.bucket, list.key,
                                          list.upload_id, list.part_number_marker, list.max_parts);
  if (!listing.ok()) co_return listing.error();
  list.upload = &listing->upload;
  list.page = &listing->page;
  const core::AbortSchedule& abort = listing->abort;
  http::ResponseHead head = BaseHead(ctx, 200);
  head.Set("Content-Type", "application/xml");
  head.Set("x-amz-abort-date", FormatHttpDate(abort.abort_at));
  head.Set("x-amz-abort-rule-id", abort.rule_id);
  const std::string document = RenderListParts(list);
  co_await ctx.exchange.Respond(std::move(head), document);
  co_return Status::Ok();
}

HandlerResult HandleListMultipartUploads(RequestContext& ctx) {
  const QueryParams& q = ctx.query;
  ListUploadsRender list;
  list.bucket = ctx.route.bucket;
  list.prefix = std::string(q.Get("prefix").value_or(""));
  list.delimiter = std::string(q.Get("delimiter").value_or(""));
  list.key_marker = std::string(q.Get("key-marker").value_or(""));
  list.upload_id_marker = std::string(q.Get("upload-id-marker").value_or(""));
  list.encoding_type = std::string(q.Get("encoding-type").value_or(""));
  if (!list.encoding_type.empty() && list.encoding_type != "url") {
    co_return Error(ErrorCode::kInvalidArgument, "Invalid Encoding Method specified in Request");
  }
  auto max_uploads = ReadCount(q, "max-uploads", 1000, 1000);
  if (!max_uploads.ok()) co_return max_uploads.error();
  list.max_uploads = *max_uploads;
  list.owner = ctx.services.owner;

  core::UploadsQuery query{list.prefix, list.delimiter, list.key_marker, list.upload_id_marker,
                           list.max_uploads};
  auto page = co_await core::ListUploads(ctx.services.storage, ctx.route.bucket, std::move(query));
  if (!page.ok()) co_return page.error();
  list.page = &*page;
  co_await RespondXml(ctx, 200, RenderListUploads(list));
  co_return Status::Ok();
}

}  // namespace cairn::s3
