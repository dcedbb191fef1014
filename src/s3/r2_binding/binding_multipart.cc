// The binding's multipart methods (docs/r2-binding-protocol.md §2.8): createMultipartUpload,
// uploadPart, complete and abort of an R2MultipartUpload. They are S3's multipart uploads: an
// upload begun through S3 can be resumed through the binding and the other way round, and the
// completed object has S3's multipart ETag.
#include <algorithm>
#include <nlohmann/json.hpp>

#include "core/multipart_rules.h"
#include "core/multipart_service.h"
#include "core/object_read.h"
#include "s3/payload.h"
#include "s3/r2_binding/binding_call.h"
#include "s3/r2_binding/binding_records.h"

namespace cairn::s3::binding {
namespace {

std::string JsonMember(std::string_view name, std::string_view value) {
  return nlohmann::json{{name, value}}.dump(-1, ' ', /*ensure_ascii=*/true,
                                            nlohmann::json::error_handler_t::replace);
}

}  // namespace

Awaitable<Status> ServeCreateUpload(BindingCall& call) {
  const BindingRequest& r = call.request;
  if (Status s = AuthorizeKey(call, auth::Action::kWriteObjects, r.key); !s.ok()) co_return s;
  Result<core::ObjectMetadata> metadata = MetadataOf(r);
  if (!metadata.ok()) co_return metadata.error();
  core::CreateUploadRequest request{call.bucket, r.key, std::move(*metadata), {}, {}};
  Result<core::CreatedUpload> created =
      co_await core::CreateUpload(call.ctx.services.storage, std::move(request));
  if (!created.ok()) co_return created.error();
  std::string json = JsonMember("uploadId", created->upload.upload_id);
  co_await RespondJson(call, std::move(json));
  co_return Status::Ok();
}

Awaitable<Status> ServeUploadPart(BindingCall& call) {
  const BindingRequest& r = call.request;
  if (Status s = AuthorizeKey(call, auth::Action::kWriteObjects, r.key); !s.ok()) co_return s;
  auto payload = PayloadReader::OpenRest(call.ctx, call.payload_size, core::kMaxPartSize);
  if (!payload.ok()) co_return payload.error();
  core::PartTarget target{call.bucket, r.key, r.upload_id, r.part_number};
  Result<core::PartRecord> part =
      co_await core::UploadPart(call.ctx.services.storage, std::move(target), **payload, {});
  if (!part.ok()) co_return part.error();
  // The part's MD5, unquoted: the ETag S3's UploadPart gives for the same bytes.
  std::string json = JsonMember("etag", part->etag);
  co_await RespondJson(call, std::move(json));
  co_return Status::Ok();
}

Awaitable<Status> ServeCompleteUpload(BindingCall& call) {
  const BindingRequest& r = call.request;
  if (Status s = AuthorizeKey(call, auth::Action::kWriteObjects, r.key); !s.ok()) co_return s;
  // The Worker lists its parts in any order (R2 sorts them); S3's rules want them ascending, and
  // a part named twice is an error there as here.
  std::vector<core::RequestedPart> parts;
  for (const CompletedPart& p : r.parts) parts.push_back({p.part_number, p.etag, {}});
  std::sort(parts.begin(), parts.end(),
            [](const auto& a, const auto& b) { return a.part_number < b.part_number; });
  Result<core::ObjectRecord> object = co_await core::CompleteUpload(
      call.ctx.services.storage, call.bucket, r.key, r.upload_id, std::move(parts), {});
  if (!object.ok()) co_return object.error();
  // A retried complete is answered from the completion's record, which keeps the ETag, size and
  // checksums only: the object as it stands gives the rest while it is still that object.
  core::ReadObjectRequest head;
  head.bucket = call.bucket;
  head.key = r.key;
  head.with_body = false;
  Result<core::ObjectRead> current =
      co_await core::ReadObject(call.ctx.services.storage, std::move(head));
  const bool same = current.ok() && current->object->etag == object->etag;
  std::string json = RenderObject(same ? *current->object : *object, {});
  co_await RespondJson(call, std::move(json));
  co_return Status::Ok();
}

Awaitable<Status> ServeAbortUpload(BindingCall& call) {
  const BindingRequest& r = call.request;
  if (Status s = AuthorizeKey(call, auth::Action::kWriteObjects, r.key); !s.ok()) co_return s;
  Status aborted =
      co_await core::AbortUpload(call.ctx.services.storage, call.bucket, r.key, r.upload_id);
  // An upload that is gone already (aborted, completed, or swept) is no error: the guide aborts in
  // a catch block, after whatever failed, and R2 resolves such an abort.
  if (!aborted.ok() && aborted.code() != ErrorCode::kNoSuchUpload) co_return aborted;
  co_await RespondJson(call, "{}");
  co_return Status::Ok();
}

}  // namespace cairn::s3::binding
