// PostObject (Amazon S3 API reference "PostObject", and "Browser-Based Uploads Using POST (AWS
// Signature Version 4)", or the older "HTML forms (AWS signature version 2)"): an HTML form posted
// to the bucket. The request carries no Authorization header; the form's signed policy
// authenticates it and its conditions bound what it may store.
// The fields before the file are read and checked first, so a refused form stores nothing; the
// file then streams into a blob exactly as a PutObject body does, and the object is replaced only
// once that blob is durable and the whole body was well-formed.
#include "auth/request_auth.h"
#include "common/encoding.h"
#include "common/header_field.h"
#include "core/names.h"
#include "core/object_service.h"
#include "core/post_policy.h"
#include "s3/acl.h"
#include "s3/authorization.h"
#include "s3/handlers.h"
#include "s3/integrity.h"
#include "s3/object_headers.h"
#include "s3/post_form.h"
#include "s3/response.h"
#include "s3/xml.h"

namespace cairn::s3 {
namespace {

constexpr std::string_view kFilenameVariable = "${filename}";

// What a verified form asks to store.
struct PostUpload {
  std::string key;
  core::ObjectMetadata metadata;
  core::IntegrityExpectations expectations;
  core::ContentLengthRange range;
};

// The key field with every ${filename} replaced by the name of the file the user chose.
std::string ExpandKey(std::string_view key, std::string_view filename) {
  std::string out;
  for (size_t at = key.find(kFilenameVariable); at != std::string_view::npos;
       at = key.find(kFilenameVariable)) {
    out.append(key.substr(0, at));
    out.append(filename);
    key.remove_prefix(at + kFilenameVariable.size());
  }
  out.append(key);
  return out;
}

// Checks the form's signature and policy, then reads the key, metadata and checksums it asks for.
// Conditions see the fields as sent: a key condition matches the key field before ${filename}
// is expanded, so a prefix condition bounds every name a user can choose.
Result<PostUpload> AuthorizeForm(RequestContext& ctx, const PostFormReader& form) {
  std::optional<std::string_view> key = form.Field("key");
  if (!key) {
    return Error(ErrorCode::kInvalidArgument,
                 "Bucket POST must contain a field named 'key'.  If it is specified, please check "
                 "the order of the fields.");
  }
  std::optional<std::string_view> policy_field = form.Field("policy");
  if (!policy_field) {
    return Error(ErrorCode::kAccessDenied,
                 "The form has no policy: anonymous uploads are not allowed (a public bucket is "
                 "public for reading only).");
  }
  auth::PostPolicyForm signed_form{form.Field("x-amz-algorithm"),
                                   form.Field("x-amz-credential"),
                                   form.Field("x-amz-date"),
                                   form.Field("x-amz-signature"),
                                   *policy_field,
                                   form.Field("x-amz-security-token"),
                                   form.Field("awsaccesskeyid"),
                                   form.Field("signature")};
  Result<auth::AuthContext> auth =
      auth::AuthenticatePostPolicy(signed_form, ctx.services.credentials);
  if (!auth.ok()) return auth.error();
  ctx.auth = std::move(*auth);
  Result<core::PostPolicy> policy = core::ParsePostPolicy(*policy_field);
  if (!policy.ok()) return policy.error();
  Result<core::ContentLengthRange> range =
      core::CheckPostPolicy(*policy, form.fields(), ctx.route.bucket, NowMillis());
  if (!range.ok()) return range.error();

  PostUpload upload;
  upload.key = ExpandKey(*key, form.filename().value_or(""));
  if (Status s = core::ValidateObjectKey(upload.key); !s.ok()) return s.error();
  if (Status s = AuthorizeObject(ctx.auth.principal.get(), auth::Action::kWriteObjects,
                                 ctx.route.bucket, upload.key);
      !s.ok()) {
    return s.error();
  }
  // Checked before anything is stored: the redirect comes back as the Location header.
  for (std::string_view name : {"success_action_redirect", "redirect"}) {
    if (Status s = CheckHeaderValue(name, form.Field(name).value_or("")); !s.ok()) {
      return s.error();
    }
  }
  if (Status s = CheckObjectAcl(form.fields(), "acl"); !s.ok()) return s.error();
  Result<core::ObjectMetadata> metadata = ReadMetadataFields(form.fields());
  if (!metadata.ok()) return metadata.error();
  upload.metadata = std::move(*metadata);
  Result<core::IntegrityExpectations> expectations = ReadFormIntegrityExpectations(form.fields());
  if (!expectations.ok()) return expectations.error();
  upload.expectations = std::move(*expectations);
  upload.range = *range;
  return upload;
}

// The object's URL, in the addressing style the form was posted with (a virtual-hosted POST
// goes to "/").
std::string ObjectUrl(const RequestContext& ctx, const core::ObjectRecord& object) {
  const std::string_view target = ctx.head().target;
  const bool virtual_hosted = target.substr(0, target.find('?')) == "/";
  std::string url = RequestOrigin(ctx) + "/";
  if (!virtual_hosted) url += UriEncode(object.bucket, false) + "/";
  return url + UriEncode(object.key, /*keep_slash=*/true);
}

// success_action_redirect (or the older `redirect`) when it is an http(s) URL; S3 ignores
// anything else and answers as success_action_status says.
std::optional<std::string> RedirectTarget(const PostFormReader& form,
                                          const core::ObjectRecord& object) {
  std::optional<std::string_view> url = form.Field("success_action_redirect");
  if (!url) url = form.Field("redirect");
  if (!url || !(url->starts_with("http://") || url->starts_with("https://"))) return std::nullopt;
  // bucket, key and etag join the URL's query, before any fragment.
  const size_t fragment = url->find('#');
  std::string out(url->substr(0, fragment));
  out += out.find('?') == std::string::npos ? "?" : "&";
  out += "bucket=" + UriEncode(object.bucket, false) + "&key=" + UriEncode(object.key, false) +
         "&etag=" + UriEncode(QuoteEtag(object.etag), false);
  if (fragment != std::string_view::npos) out.append(url->substr(fragment));
  return out;
}

Awaitable<void> RespondPosted(RequestContext& ctx, const PostFormReader& form,
                              const core::ObjectRecord& object) {
  const std::string location = ObjectUrl(ctx, object);
  if (std::optional<std::string> redirect = RedirectTarget(form, object)) {
    http::ResponseHead head = BaseHead(ctx, 303);
    head.Set("Location", std::move(*redirect));
    head.Set("ETag", QuoteEtag(object.etag));
    co_await ctx.exchange.Respond(std::move(head), {});
    co_return;
  }
  // 200 and 201 when asked for; 204 otherwise, also for values S3 does not know.
  const std::string_view asked = form.Field("success_action_status").value_or("204");
  const int status = asked == "200" ? 200 : asked == "201" ? 201 : 204;
  http::ResponseHead head = BaseHead(ctx, status);
  head.Set("ETag", QuoteEtag(object.etag));
  head.Set("Location", location);
  AddChecksumHeaders(object, head);
  if (status == 201) {
    head.Set("Content-Type", "application/xml");
    const std::string document = RenderPostResponse(location, object);
    co_await ctx.exchange.Respond(std::move(head), document);
  } else {
    co_await ctx.exchange.Respond(std::move(head), {});
  }
}

}  // namespace

HandlerResult HandlePostObject(RequestContext& ctx) {
  Result<std::unique_ptr<PostFormReader>> opened =
      PostFormReader::Open(ctx, ctx.services.config.max_object_size);
  if (!opened.ok()) co_return opened.error();
  PostFormReader& form = **opened;
  Status fields = co_await form.ReadFields();
  if (!fields.ok()) co_return fields;
  Result<PostUpload> upload = AuthorizeForm(ctx, form);
  if (!upload.ok()) co_return upload.error();
  form.LimitFileSize(upload->range);
  // Only a signed form learns whether the bucket exists: the service looks before it reads the
  // file (or, for a small form, when it commits).
  core::PutObjectRequest request{
      ctx.route.bucket, std::move(upload->key), std::move(upload->metadata), {}, false};
  Result<core::ObjectRecord> object = co_await core::PutObject(
      ctx.services.storage, std::move(request), form, std::move(upload->expectations));
  if (!object.ok()) co_return object.error();
  co_await RespondPosted(ctx, form, *object);
  co_return Status::Ok();
}

}  // namespace cairn::s3
