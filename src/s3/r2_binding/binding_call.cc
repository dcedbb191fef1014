#include "s3/r2_binding/binding_call.h"

#include "common/header_field.h"
#include "core/metadata_rules.h"
#include "s3/authorization.h"
#include "s3/response.h"

namespace cairn::s3::binding {

Status AuthorizeKey(const BindingCall& call, auth::Action action, std::string_view key) {
  return AuthorizeObject(call.ctx.auth.principal.get(), action, call.bucket, key);
}

Result<core::ObjectMetadata> MetadataOf(const BindingRequest& request) {
  core::ObjectMetadata metadata;
  const HttpFields& given = request.http;
  core::HttpMetadata& http = metadata.http;
  for (auto [name, from, to] :
       {std::tuple{"contentType", &HttpFields::content_type, &core::HttpMetadata::content_type},
        std::tuple{"contentLanguage", &HttpFields::content_language,
                   &core::HttpMetadata::content_language},
        std::tuple{"contentDisposition", &HttpFields::content_disposition,
                   &core::HttpMetadata::content_disposition},
        std::tuple{"contentEncoding", &HttpFields::content_encoding,
                   &core::HttpMetadata::content_encoding},
        std::tuple{"cacheControl", &HttpFields::cache_control,
                   &core::HttpMetadata::cache_control}}) {
    // Each goes back out as a header of S3's GET: no CR, LF or other control byte.
    if (Status s = CheckHeaderValue(std::string("httpMetadata.") + name, given.*from); !s.ok()) {
      return s.error();
    }
    http.*to = given.*from;
  }
  // The last millisecond an HTTP date can name (9999-12-31): beyond it there is no Expires.
  constexpr uint64_t kLastHttpDate = 253'402'300'799'999;
  if (given.cache_expiry > kLastHttpDate) {
    return Error(ErrorCode::kInvalidArgument, "httpMetadata.cacheExpiry is past the year 9999.");
  }
  if (given.cache_expiry) {
    http.expires = FormatHttpDate(TimePoint(std::chrono::milliseconds(*given.cache_expiry)));
  }
  metadata.user = request.custom;
  if (Status s = core::ValidateUserMetadata(metadata.user); !s.ok()) return s.error();
  Result<std::string> storage_class =
      core::NormalizeStorageClass(request.storage_class.value_or(""));
  if (!storage_class.ok()) return storage_class.error();
  metadata.storage_class = std::move(*storage_class);
  return metadata;
}

Awaitable<void> RespondJson(BindingCall& call, std::string json) {
  http::ResponseHead head = BaseHead(call.ctx, 200);
  head.Set("Content-Type", "application/json");
  co_await call.ctx.exchange.Respond(std::move(head), json);
}

}  // namespace cairn::s3::binding
