#include "s3/authorization.h"

namespace cairn::s3 {
namespace {

Error Denied(const auth::Principal& who, std::string_view what) {
  return Error(ErrorCode::kAccessDenied, "Access Denied: this " +
                                             std::string(auth::PermissionName(who.permission)) +
                                             (who.temporary() ? " temporary credential" : " key") +
                                             " may not " + std::string(what) + ".");
}

}  // namespace

Status AuthorizeRoute(const auth::Principal& who, const Route& route, const QueryParams& query) {
  const auth::Action action = RequiredAction(route.op);
  const std::string_view op = OpName(route.op);
  switch (route.op) {
    case Op::kPreflight:
    case Op::kPostObject:
      return Status::Ok();
    case Op::kListObjects:
    case Op::kListObjectsV2:
    case Op::kListMultipartUploads:
      return AuthorizeListing(who, op, route.bucket, query.Get("prefix").value_or(""));
    default:
      break;
  }
  const bool allowed = route.key.empty() ? who.Allows(action, route.bucket)
                                         : who.AllowsObject(action, route.bucket, route.key);
  if (!allowed) {
    return Denied(who, std::string(op) + (route.bucket.empty() ? "" : " here"));
  }
  return Status::Ok();
}

Status AuthorizeListing(const auth::Principal& who, std::string_view what, std::string_view bucket,
                        std::string_view prefix) {
  if (who.AllowsListing(bucket, prefix)) return Status::Ok();
  return Denied(who, std::string(what) +
                         " in this bucket with this prefix (a prefix-scoped key lists with a "
                         "prefix inside its own)");
}

Status AuthorizeObject(const auth::Principal* who, auth::Action action, std::string_view bucket,
                       std::string_view key) {
  if (who == nullptr) return Error(ErrorCode::kAccessDenied);
  if (who->AllowsObject(action, bucket, key)) return Status::Ok();
  return Denied(*who,
                action == auth::Action::kWriteObjects ? "write this object" : "read this object");
}

Result<CopySource> ReadableCopySource(const RequestContext& ctx) {
  Result<CopySource> source = ParseCopySource(ctx.Header("x-amz-copy-source").value_or(""));
  if (!source.ok()) return source;
  if (Status s = AuthorizeObject(ctx.auth.principal.get(), auth::Action::kReadObjects,
                                 source->bucket, source->key);
      !s.ok()) {
    return s.error();
  }
  return source;
}

}  // namespace cairn::s3
