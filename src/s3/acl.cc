// Get/PutBucketAcl and Get/PutObjectAcl (Amazon S3 API reference), on a store with one owner
// (core/acl.h): reading an ACL shows the owner's FULL_CONTROL, and a bucket's AllUsers READ when it
// is public; setting one accepts only what cairn is, or, on a bucket, public-read, which is the
// bucket's public setting (the admin API's public toggle, with the same permission).
#include "s3/acl.h"

#include "common/ascii.h"
#include "core/acl.h"
#include "core/bucket_service.h"
#include "core/object_read.h"
#include "s3/handlers.h"
#include "s3/request_document.h"
#include "s3/response.h"
#include "s3/xml.h"

namespace cairn::s3 {
namespace {

constexpr uint64_t kMaxAclDocumentBytes = 64 * 1024;
constexpr std::string_view kGrantPrefix = "x-amz-grant-";

// Whether the canned ACL in `canned_field` makes `subject` public; nullopt when `fields` have none.
// Any grant field is refused.
Result<std::optional<bool>> FieldsArePublic(
    const std::vector<std::pair<std::string, std::string>>& fields, std::string_view canned_field,
    core::AclSubject subject) {
  for (const auto& [name, value] : fields) {
    if (name.starts_with(kGrantPrefix)) return core::GrantHeaderNotSupported(name);
  }
  for (const auto& [name, value] : fields) {
    if (name != canned_field) continue;
    Result<bool> is_public = core::CannedAclIsPublic(TrimOws(value), subject);
    if (!is_public.ok()) return is_public.error();
    return std::optional<bool>(*is_public);
  }
  return std::optional<bool>();
}

// What a PUT ?acl asks for: x-amz-acl or an AccessControlPolicy body, one of them.
Awaitable<Result<bool>> RequestedAcl(RequestContext& ctx, core::AclSubject subject) {
  Result<std::string> body =
      co_await ReadRequestDocument(ctx, kMaxAclDocumentBytes, /*digest_required=*/false);
  if (!body.ok()) co_return body.error();
  Result<std::optional<bool>> canned = FieldsArePublic(ctx.head().headers, "x-amz-acl", subject);
  if (!canned.ok()) co_return canned.error();
  const bool has_body = !TrimOws(*body).empty();
  if (canned->has_value() && has_body) {
    co_return Error(ErrorCode::kInvalidRequest,
                    "Send the ACL as x-amz-acl or as an AccessControlPolicy body, not both.");
  }
  if (canned->has_value()) co_return **canned;
  if (!has_body) {
    co_return Error(ErrorCode::kMissingSecurityHeader,
                    "Send the ACL as an x-amz-acl header or an AccessControlPolicy body.");
  }
  Result<std::vector<core::AclGrant>> grants = ParseAccessControlPolicy(*body);
  if (!grants.ok()) co_return grants.error();
  co_return core::GrantsArePublic(*grants, ctx.services.owner.id, subject);
}

// NoSuchKey or NoSuchBucket unless the route's object exists.
Awaitable<Status> CheckObjectExists(RequestContext& ctx) {
  core::ReadObjectRequest head;
  head.bucket = ctx.route.bucket;
  head.key = ctx.route.key;
  head.with_body = false;
  Result<core::ObjectRead> object =
      co_await core::ReadObject(ctx.services.storage, std::move(head));
  if (!object.ok()) co_return object.error();
  co_return Status::Ok();
}

}  // namespace

Status CheckObjectAcl(const std::vector<std::pair<std::string, std::string>>& fields,
                      std::string_view canned_field) {
  Result<std::optional<bool>> is_public =
      FieldsArePublic(fields, canned_field, core::AclSubject::kObject);
  return is_public.ok() ? Status::Ok() : Status(is_public.error());
}

Result<std::optional<bool>> RequestedBucketPublic(const RequestContext& ctx) {
  return FieldsArePublic(ctx.head().headers, "x-amz-acl", core::AclSubject::kBucket);
}

HandlerResult HandleGetBucketAcl(RequestContext& ctx) {
  Result<bool> is_public =
      co_await core::GetBucketPublicAccess(ctx.services.storage, ctx.route.bucket);
  if (!is_public.ok()) co_return is_public.error();
  std::string document = RenderAccessControlPolicy(ctx.services.owner, *is_public);
  co_await RespondXml(ctx, 200, std::move(document));
  co_return Status::Ok();
}

HandlerResult HandlePutBucketAcl(RequestContext& ctx) {
  Result<bool> is_public = co_await RequestedAcl(ctx, core::AclSubject::kBucket);
  if (!is_public.ok()) co_return is_public.error();
  Status stored =
      co_await core::PutBucketPublicAccess(ctx.services.storage, ctx.route.bucket, *is_public);
  if (!stored.ok()) co_return stored;
  co_await RespondEmpty(ctx, 200);
  co_return Status::Ok();
}

// With ACLs disabled S3 shows the owner's FULL_CONTROL on every object, whatever makes it
// readable to others (there, a bucket policy; here, the bucket's public setting).
HandlerResult HandleGetObjectAcl(RequestContext& ctx) {
  if (Status exists = co_await CheckObjectExists(ctx); !exists.ok()) co_return exists;
  std::string document = RenderAccessControlPolicy(ctx.services.owner, false);
  co_await RespondXml(ctx, 200, std::move(document));
  co_return Status::Ok();
}

// Only ever the ACL the object has: nothing to store.
HandlerResult HandlePutObjectAcl(RequestContext& ctx) {
  Result<bool> is_public = co_await RequestedAcl(ctx, core::AclSubject::kObject);
  if (!is_public.ok()) co_return is_public.error();
  if (Status exists = co_await CheckObjectExists(ctx); !exists.ok()) co_return exists;
  co_await RespondEmpty(ctx, 200);
  co_return Status::Ok();
}

}  // namespace cairn::s3
