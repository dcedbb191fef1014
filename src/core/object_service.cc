#include "core/object_service.h"

#include <algorithm>

#include "common/encoding.h"
#include "common/time_format.h"
#include "core/blob_reclaimer.h"
#include "core/body_ingest.h"
#include "core/names.h"
#include "meta/meta_store.h"

namespace cairn::core {
namespace {

std::optional<ObjectState> StateOf(const std::optional<ObjectRecord>& object) {
  if (!object) return std::nullopt;
  return ObjectState{object->etag, object->last_modified};
}

// Makes sure the bucket exists, creating it when the client asked R2 to (blocking).
Status EnsureBucket(Storage& storage, const std::string& name, bool create) {
  auto bucket = storage.meta.GetBucket(name);
  if (bucket.ok() || !create || bucket.error().code != ErrorCode::kNoSuchBucket) {
    return bucket.status();
  }
  if (Status valid = ValidateBucketName(name); !valid.ok()) return valid;
  Status created = storage.meta.CreateBucket({name, NowMillis(), storage.limits.region});
  return created.ok() || created.code() == ErrorCode::kBucketAlreadyOwnedByYou ? Status::Ok()
                                                                               : created;
}

// The record of an object stored whole from one body: its size, the MD5 as ETag, the computed
// checksum (FULL_OBJECT) and the client's metadata, modified now.
ObjectRecord SingleBodyObject(PutObjectRequest& request, const IngestedBody& body) {
  ObjectRecord object;
  object.bucket = std::move(request.bucket);
  object.key = std::move(request.key);
  object.size = body.size;
  object.etag = HexEncode(body.integrity.md5);
  object.last_modified = NowMillis();
  object.http = std::move(request.metadata.http);
  object.user_metadata = std::move(request.metadata.user);
  object.storage_class = std::move(request.metadata.storage_class);
  object.checksums = body.integrity.checksums;
  if (!object.checksums.empty()) object.checksum_type = "FULL_OBJECT";
  object.extents = ExtentsOf(body);
  object.inline_data = body.inline_data;
  return object;
}

// The copy's metadata under `directive`: the source's (COPY), the request's (REPLACE), or the
// source's with the request's values laid over it (MERGE).
void ApplyDirective(MetadataDirective directive, const ObjectMetadata& given, ObjectRecord& copy) {
  if (directive == MetadataDirective::kReplace) {
    copy.http = given.http;
    copy.user_metadata = given.user;
  } else if (directive == MetadataDirective::kMerge) {
    for (auto member : {&HttpMetadata::content_type, &HttpMetadata::content_disposition,
                        &HttpMetadata::content_encoding, &HttpMetadata::content_language,
                        &HttpMetadata::cache_control, &HttpMetadata::expires}) {
      if (!(given.http.*member).empty()) copy.http.*member = given.http.*member;
    }
    for (const auto& [name, value] : given.user) {
      auto it = std::find_if(copy.user_metadata.begin(), copy.user_metadata.end(),
                             [&](const auto& kv) { return kv.first == name; });
      if (it != copy.user_metadata.end())
        it->second = value;
      else
        copy.user_metadata.emplace_back(name, value);
    }
  }
}

}  // namespace

Awaitable<Result<ObjectRecord>> PutObject(Storage& storage, PutObjectRequest request,
                                          BodySource& body, IntegrityExpectations expectations) {
  if (Status s = ValidateObjectKey(request.key); !s.ok()) co_return s.error();
  const bool small = StoredInline(storage, body.declared_size(), BodyStorage::kInlineWhenSmall);
  // A missing bucket is found before a large body is read; for a small one the commit finds it,
  // which saves a trip to the worker pool.
  if (!small || request.create_bucket_if_missing) {
    Status bucket = co_await storage.Blocking(
        [&] { return EnsureBucket(storage, request.bucket, request.create_bucket_if_missing); });
    if (!bucket.ok()) co_return bucket.error();
  }
  // A conditional PUT that is bound to fail is refused before its body is read; the same check
  // runs again atomically with the commit.
  const Conditions& conditions = request.conditions;
  const WriteRule& rule = request.rule;
  auto check = [&conditions, &rule](const std::optional<ObjectRecord>& current) {
    return rule ? rule(StateOf(current)) : CheckWriteConditions(conditions, StateOf(current));
  };
  const bool conditional = rule || !conditions.empty();
  if (conditional) {
    Status early = co_await storage.Lookup([&]() -> Status {
      auto current = storage.meta.GetObject(request.bucket, request.key);
      if (!current.ok() && current.error().code != ErrorCode::kNoSuchKey) return current.status();
      return check(current.ok() ? std::optional(*current) : std::nullopt);
    });
    if (!early.ok()) co_return early.error();
  }

  Result<IngestedBody> ingested =
      co_await IngestBody(storage, body, std::move(expectations), BodyStorage::kInlineWhenSmall);
  if (!ingested.ok()) co_return ingested.error();
  ObjectRecord object = SingleBodyObject(request, *ingested);
  meta::WriteCondition condition;
  if (conditional) condition = check;
  Result<std::vector<std::string>> released =
      co_await storage.Blocking([&] { return storage.meta.PutObject(object, condition); });
  if (!released.ok()) {
    std::vector<std::string> unused;
    if (!ingested->blob_id.empty()) unused.push_back(ingested->blob_id);
    Error failed = released.error();  // named: GCC 12 mishandles temporaries across co_await
    co_return co_await AbandonBlobs(storage, std::move(unused), std::move(failed));
  }
  co_await ReleaseBlobs(storage, std::move(*released));
  co_return object;
}

Awaitable<Result<ObjectRecord>> CopyObject(Storage& storage, CopyObjectRequest request) {
  if (Status s = ValidateObjectKey(request.key); !s.ok()) co_return s.error();
  const bool same_object =
      request.source_bucket == request.bucket && request.source_key == request.key;
  ObjectRecord copy;
  // The source's blobs must not be deleted between reading its metadata and referencing them.
  const BlobReclaimer::Reader reading = storage.reclaimer.BeginRead();
  auto released = co_await storage.Blocking([&]() -> Result<std::vector<std::string>> {
    auto original = storage.meta.GetObject(request.source_bucket, request.source_key);
    if (!original.ok()) return original.error();
    Status conditions = CheckReadConditions(request.source_conditions,
                                            ObjectState{original->etag, original->last_modified});
    if (!conditions.ok()) return Error(ErrorCode::kPreconditionFailed);
    if (same_object && request.directive == MetadataDirective::kCopy &&
        !request.storage_class_given) {
      return Error(ErrorCode::kInvalidRequest,
                   "This copy request is illegal because it is trying to copy an object to itself "
                   "without changing the object's metadata, storage class, website redirect "
                   "location or encryption attributes.");
    }
    copy = std::move(*original);
    copy.bucket = request.bucket;
    copy.key = request.key;
    copy.last_modified = NowMillis();
    ApplyDirective(request.directive, request.metadata, copy);
    if (request.storage_class_given) copy.storage_class = request.metadata.storage_class;
    meta::WriteCondition condition;
    if (!request.conditions.empty()) {
      condition = [&request](const std::optional<ObjectRecord>& current) {
        return CheckWriteConditions(request.conditions, StateOf(current));
      };
    }
    return storage.meta.PutObject(copy, condition);
  });
  if (!released.ok()) co_return released.error();
  co_await ReleaseBlobs(storage, std::move(*released));
  co_return copy;
}

Awaitable<Status> DeleteObject(Storage& storage, std::string bucket, std::string key,
                               std::optional<std::string> if_match) {
  meta::WriteCondition condition;
  if (if_match) {
    condition = [&if_match](const std::optional<ObjectRecord>& current) {
      return CheckDeleteCondition(*if_match, StateOf(current));
    };
  }
  auto released =
      co_await storage.Blocking([&] { return storage.meta.DeleteObject(bucket, key, condition); });
  if (!released.ok()) co_return released.error();
  co_await ReleaseBlobs(storage, std::move(*released));
  co_return Status::Ok();
}

Awaitable<Result<std::vector<std::optional<Error>>>> DeleteObjects(Storage& storage,
                                                                   std::string bucket,
                                                                   std::vector<std::string> keys,
                                                                   KeyFilter may_delete) {
  std::vector<std::optional<Error>> outcomes;
  std::vector<std::string> released;
  Status found = co_await storage.Blocking([&]() -> Status {
    if (auto b = storage.meta.GetBucket(bucket); !b.ok()) return b.status();
    for (const std::string& key : keys) {
      std::optional<Error> outcome;
      if (Status valid = ValidateObjectKey(key); !valid.ok()) {
        outcome = valid.error();
      } else if (Status allowed = may_delete(key); !allowed.ok()) {
        outcome = allowed.error();
      } else if (auto freed = storage.meta.DeleteObject(bucket, key); freed.ok()) {
        released.insert(released.end(), freed->begin(), freed->end());
      } else {
        outcome = freed.error();
      }
      outcomes.push_back(std::move(outcome));
    }
    return Status::Ok();
  });
  if (!found.ok()) co_return found.error();
  co_await ReleaseBlobs(storage, std::move(released));
  co_return outcomes;
}

}  // namespace cairn::core
