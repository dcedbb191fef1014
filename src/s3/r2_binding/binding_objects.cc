// The binding's object methods: head, get, put, delete, list (docs/r2-binding-protocol.md
// §2.2-2.7), each through the same core services as the S3 operations, so that an object written
// one way reads the same the other way.
#include <algorithm>

#include "common/encoding.h"
#include "core/bucket_service.h"
#include "core/object_read.h"
#include "core/object_service.h"
#include "s3/authorization.h"
#include "s3/object_body_sender.h"
#include "s3/payload.h"
#include "s3/r2_binding/binding_call.h"
#include "s3/r2_binding/binding_conditions.h"
#include "s3/r2_binding/binding_errors.h"
#include "s3/r2_binding/binding_range.h"
#include "s3/r2_binding/binding_records.h"
#include "s3/r2_binding/verified_body.h"
#include "s3/response.h"

namespace cairn::s3::binding {
namespace {

// workerd refuses metadata over 1 MiB (r2-rpc.c++); a listing stays under it with room to spare.
constexpr size_t kMaxListJson = 1'000'000;
constexpr size_t kMaxDeleteKeys = 1000;  // R2's limit on one delete call

// A head, get or list answer: the JSON metadata, sized by CF-R2-Metadata-Size, then `length`
// bytes of the object that the caller writes after it (none but for a get).
http::ResponseHead MetadataHead(const BindingCall& call, int status, size_t metadata_size) {
  http::ResponseHead head = BaseHead(call.ctx, status);
  head.Set("CF-R2-Metadata-Size", std::to_string(metadata_size));
  return head;
}

// The expectations of a put's promised MD5, SHA-1 or SHA-256: the core checks and keeps those
// (SHA-1 and SHA-256 as S3 checksums). SHA-384 and SHA-512 are left to a VerifiedBody.
core::IntegrityExpectations ExpectationsOf(const std::optional<PromisedDigest>& digest) {
  core::IntegrityExpectations expect;
  if (!digest) return expect;
  using Algorithm = PromisedDigest::Algorithm;
  switch (digest->algorithm) {
    case Algorithm::kMd5:
      expect.content_md5 = digest->digest;
      break;
    case Algorithm::kSha1:
    case Algorithm::kSha256:
      expect.algorithm = digest->algorithm == Algorithm::kSha1 ? ChecksumAlgorithm::kSha1
                                                               : ChecksumAlgorithm::kSha256;
      expect.checksum_base64 = Base64Encode(digest->digest);
      break;
    case Algorithm::kSha384:
    case Algorithm::kSha512:
      break;
  }
  return expect;
}

// A VerifiedBody over `payload` for a promised SHA-384 or SHA-512; null for the others.
std::unique_ptr<VerifiedBody> VerifyUnkept(const std::optional<PromisedDigest>& digest,
                                           core::BodySource& payload) {
  using Algorithm = PromisedDigest::Algorithm;
  if (!digest ||
      (digest->algorithm != Algorithm::kSha384 && digest->algorithm != Algorithm::kSha512)) {
    return nullptr;
  }
  const bool sha384 = digest->algorithm == Algorithm::kSha384;
  return std::make_unique<VerifiedBody>(payload, sha384 ? MakeSha384Hasher() : MakeSha512Hasher(),
                                        sha384 ? "SHA-384" : "SHA-512", digest->digest);
}

}  // namespace

Awaitable<Status> ServeHeadOrGet(BindingCall& call) {
  const BindingRequest& r = call.request;
  if (Status s = AuthorizeKey(call, auth::Action::kReadObjects, r.key); !s.ok()) co_return s;
  const bool is_get = r.method == Method::kGet;
  core::ReadObjectRequest read_request;
  read_request.bucket = call.bucket;
  read_request.key = r.key;
  read_request.with_body = is_get;
  read_request.file_spans = call.ctx.exchange.sends_files();
  // A failed onlyIf answers with the object's record and no bytes (NotModified to the core).
  read_request.select =
      [&r, is_get](const core::ObjectRecord& o) -> Result<std::optional<core::ByteRange>> {
    if (!is_get) return std::optional<core::ByteRange>();
    if (!ConditionHolds(r.only_if, core::ObjectState{o.etag, o.last_modified})) {
      return Error(ErrorCode::kNotModified);
    }
    return SelectRange(r, o.size);
  };
  Result<core::ObjectRead> read =
      co_await core::ReadObject(call.ctx.services.storage, std::move(read_request));
  if (!read.ok()) co_return read.error();
  const core::ObjectRecord& object = *read->object;

  RecordParts parts;
  parts.range = SentRange{read->range ? read->range->first : 0, read->length};
  if (read->not_modified) {
    // 412 + 10031 with the record: workerd gives the Worker an R2Object without a body.
    parts.range = SentRange{0, object.size};
    const std::string json = RenderObject(object, parts);
    http::ResponseHead head = MetadataHead(call, 412, json.size());
    head.Set("CF-R2-Error",
             ErrorHeaderValue({412, kPreconditionFailedCode,
                               "At least one of the pre-conditions you specified did not hold."}));
    co_await call.ctx.exchange.Respond(std::move(head), json);
    co_return Status::Ok();
  }
  const std::string json = RenderObject(object, parts);
  http::ResponseHead head = MetadataHead(call, 200, json.size());
  if (!is_get) {
    co_await call.ctx.exchange.Respond(std::move(head), json);
    co_return Status::Ok();
  }
  if (object.stored_inline()) {
    const std::string whole = json + std::string(read->inline_bytes);
    co_await call.ctx.exchange.Respond(std::move(head), whole);
    co_return Status::Ok();
  }
  co_await call.ctx.exchange.RespondHead(std::move(head), json.size() + read->length);
  co_await call.ctx.exchange.WriteBody(json);
  if (!read->body) co_return Status::Ok();
  Status sent = co_await SendObjectBody(call.ctx.exchange, *read->body);
  if (!sent.ok()) call.ctx.exchange.CloseAfterResponse();  // the head is out: only closing tells
  co_return sent;
}

Awaitable<Status> ServePut(BindingCall& call) {
  const BindingRequest& r = call.request;
  if (Status s = AuthorizeKey(call, auth::Action::kWriteObjects, r.key); !s.ok()) co_return s;
  Result<core::ObjectMetadata> metadata = MetadataOf(r);
  if (!metadata.ok()) co_return metadata.error();
  auto payload = PayloadReader::OpenRest(call.ctx, call.payload_size,
                                         call.ctx.services.config.max_object_size);
  if (!payload.ok()) co_return payload.error();
  std::unique_ptr<VerifiedBody> verified = VerifyUnkept(r.digest, **payload);
  core::BodySource& body = verified ? static_cast<core::BodySource&>(*verified) : **payload;

  core::PutObjectRequest put;
  put.bucket = call.bucket;
  put.key = r.key;
  put.metadata = std::move(*metadata);
  if (!r.only_if.empty()) {
    // Checked before the value is read and again atomically with the commit; a failure is
    // 412 + 10031, which workerd turns into `null`.
    put.rule = [&r](const std::optional<core::ObjectState>& current) -> Status {
      if (ConditionHolds(r.only_if, current)) return Status::Ok();
      return Error(ErrorCode::kPreconditionFailed);
    };
  }
  Result<core::ObjectRecord> object = co_await core::PutObject(
      call.ctx.services.storage, std::move(put), body, ExpectationsOf(r.digest));
  if (!object.ok()) co_return object.error();
  RecordParts parts;
  if (verified) {
    parts.checksums[r.digest->algorithm == PromisedDigest::Algorithm::kSha384 ? "3" : "4"] =
        verified->actual_hex();
  }
  std::string json = RenderObject(*object, parts);
  co_await RespondJson(call, std::move(json));
  co_return Status::Ok();
}

Awaitable<Status> ServeDelete(BindingCall& call) {
  const BindingRequest& r = call.request;
  std::vector<std::string> keys = r.keys ? *r.keys : std::vector<std::string>{r.key};
  if (keys.size() > kMaxDeleteKeys) {
    co_return Error(ErrorCode::kInvalidArgument, "A delete names at most 1000 keys.");
  }
  // All or nothing, as the Worker sees one call: every key is authorized before any is deleted.
  for (const std::string& key : keys) {
    if (Status s = AuthorizeKey(call, auth::Action::kWriteObjects, key); !s.ok()) co_return s;
  }
  core::Storage& storage = call.ctx.services.storage;
  if (keys.size() == 1) {
    Status deleted = co_await core::DeleteObject(storage, call.bucket, keys.front());
    if (!deleted.ok()) co_return deleted;
  } else if (!keys.empty()) {
    auto outcomes = co_await core::DeleteObjects(storage, call.bucket, std::move(keys),
                                                 [](const std::string&) { return Status::Ok(); });
    if (!outcomes.ok()) co_return outcomes.error();
    for (const std::optional<Error>& outcome : *outcomes) {
      if (outcome) co_return *outcome;
    }
  }
  co_await RespondJson(call, "{}");
  co_return Status::Ok();
}

Awaitable<Status> ServeList(BindingCall& call) {
  const BindingRequest& r = call.request;
  const auth::Principal* who = call.ctx.auth.principal.get();
  if (Status s = AuthorizeListing(*who, "list objects", call.bucket, r.prefix); !s.ok()) {
    co_return s;
  }
  if (r.limit && (*r.limit < 1 || *r.limit > 1000)) {
    co_return Error(ErrorCode::kInvalidArgument,
                    "MaxKeys params must be positive integer <= 1000.");
  }
  core::ListQuery query;
  query.prefix = r.prefix;
  query.delimiter = r.delimiter;
  query.max_keys = r.limit ? static_cast<uint32_t>(*r.limit) : 1000;
  query.start_after = r.start_after;
  if (!r.cursor.empty()) {
    std::optional<std::string> after = Base64Decode(r.cursor);
    if (!after) {
      co_return Error(ErrorCode::kInvalidArgument,
                      "The cursor is not one that a listing of this bucket gave.");
    }
    query.start_after = std::max(query.start_after, *after);
  }
  auto page = co_await core::ListObjects(call.ctx.services.storage, call.bucket, std::move(query));
  if (!page.ok()) co_return page.error();
  const std::string json = RenderList(*page, r.include_http, r.include_custom, kMaxListJson);
  http::ResponseHead head = MetadataHead(call, 200, json.size());
  co_await call.ctx.exchange.Respond(std::move(head), json);
  co_return Status::Ok();
}

}  // namespace cairn::s3::binding
