// ListObjects (v1) and ListObjectsV2 (Amazon S3 API reference). The metadata store seeks in its
// key index, so a page costs the same in any bucket size. The v2 continuation token is the last
// key or common prefix of the page, base64-encoded (opaque to clients, as S3 promises).
#include <charconv>

#include "common/encoding.h"
#include "core/bucket_service.h"
#include "s3/handlers.h"
#include "s3/response.h"

namespace cairn::s3 {
namespace {

Result<uint32_t> ReadMaxKeys(const QueryParams& q) {
  auto text = q.Get("max-keys");
  if (!text) return 1000u;
  int64_t v = -1;
  auto [p, ec] = std::from_chars(text->data(), text->data() + text->size(), v);
  if (ec != std::errc() || p != text->data() + text->size() || v < 0) {
    return Error(ErrorCode::kInvalidArgument,
                 "Provided max-keys not an integer or within integer range");
  }
  return static_cast<uint32_t>(std::min<int64_t>(v, 1000));
}

}  // namespace

HandlerResult HandleListObjects(RequestContext& ctx) {
  const QueryParams& q = ctx.query;
  ListRender list;
  list.version = ctx.route.op == Op::kListObjectsV2 ? 2 : 1;
  list.bucket = ctx.route.bucket;
  list.prefix = std::string(q.Get("prefix").value_or(""));
  list.delimiter = std::string(q.Get("delimiter").value_or(""));
  list.encoding_type = std::string(q.Get("encoding-type").value_or(""));
  if (!list.encoding_type.empty() && list.encoding_type != "url") {
    co_return Error(ErrorCode::kInvalidArgument, "Invalid Encoding Method specified in Request");
  }
  auto max_keys = ReadMaxKeys(q);
  if (!max_keys.ok()) co_return max_keys.error();
  list.max_keys = *max_keys;
  list.owner = ctx.services.owner;

  core::ListQuery query;
  query.prefix = list.prefix;
  query.delimiter = list.delimiter;
  query.max_keys = list.max_keys;
  if (list.version == 1) {
    list.marker = std::string(q.Get("marker").value_or(""));
    query.start_after = list.marker;
    list.fetch_owner = true;
  } else {
    list.fetch_owner = q.Get("fetch-owner") == "true";
    list.start_after = std::string(q.Get("start-after").value_or(""));
    query.start_after = list.start_after;
    if (auto token = q.Get("continuation-token")) {
      auto decoded = Base64Decode(*token);
      if (!decoded) {
        co_return Error(ErrorCode::kInvalidArgument,
                        "The continuation token provided is incorrect");
      }
      list.continuation_token = std::string(*token);
      query.start_after = std::max(query.start_after, *decoded);
    }
  }

  auto page = co_await core::ListObjects(ctx.services.storage, ctx.route.bucket, std::move(query));
  if (!page.ok()) co_return page.error();
  list.page = &*page;
  if (page->truncated) {
    if (list.version == 2)
      list.next_continuation_token = Base64Encode(page->next_marker);
    else if (!list.delimiter.empty())
      list.next_marker = page->next_marker;
  }
  co_await RespondXml(ctx, 200, RenderListObjects(list));
  co_return Status::Ok();
}

}  // namespace cairn::s3
