// GetObjectAttributes (Amazon S3 API reference): an object's ETag, checksum, parts, storage class
// and size, as asked by x-amz-object-attributes, without its bytes. A read, authorized as
// GetObject and HeadObject are (router.cc); the object comes as HeadObject gets it, from the
// object cache when it is there.
#include "s3/object_attributes.h"

#include "common/time_format.h"
#include "core/object_read.h"
#include "s3/handlers.h"
#include "s3/response.h"

namespace cairn::s3 {
namespace {

// Every x-amz-object-attributes line of the request, joined by commas (repeated header lines are
// one list, RFC 9110 5.3); nullopt when there is none.
std::optional<std::string> AttributesHeader(const RequestContext& ctx) {
  std::optional<std::string> joined;
  for (const auto& [name, value] : ctx.head().headers) {
    if (name != "x-amz-object-attributes") continue;
    joined = joined ? *joined + "," + value : value;
  }
  return joined;
}

}  // namespace

HandlerResult HandleGetObjectAttributes(RequestContext& ctx) {
  const std::optional<std::string> attributes = AttributesHeader(ctx);
  Result<ObjectAttributesRequest> request = ParseObjectAttributesRequest(
      attributes, ctx.Header("x-amz-max-parts"), ctx.Header("x-amz-part-number-marker"));
  if (!request.ok()) co_return request.error();
  core::ReadObjectRequest lookup;
  lookup.bucket = ctx.route.bucket;
  lookup.key = ctx.route.key;
  lookup.with_body = false;
  Result<core::ObjectRead> read =
      co_await core::ReadObject(ctx.services.storage, std::move(lookup));
  if (!read.ok()) co_return read.error();
  const core::ObjectRecord& object = *read->object;
  http::ResponseHead head = BaseHead(ctx, 200);
  head.Set("Content-Type", "application/xml");
  head.Set("Last-Modified", FormatHttpDate(object.last_modified));
  co_await ctx.exchange.Respond(std::move(head), RenderObjectAttributes(*request, object));
  co_return Status::Ok();
}

}  // namespace cairn::s3
