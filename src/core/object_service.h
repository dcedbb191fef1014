// Writing objects: PutObject and POST Object (one body), CopyObject, DeleteObject, DeleteObjects.
// Each call is one operation from start to end: its preconditions (checked early and again
// atomically with the commit), the body stored inline or as a blob, the metadata commit, and the
// release of the blobs the commit left unreferenced. Which pool runs what is decided here; the
// caller's executor (the event loop) never waits for the disk.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "common/awaitable.h"
#include "common/status.h"
#include "core/body_source.h"
#include "core/integrity_checker.h"
#include "core/preconditions.h"
#include "core/records.h"
#include "core/storage.h"

namespace cairn::core {

// A caller's own rule for whether a write may replace the current object (nullopt: none), in
// place of S3's conditional headers: the R2 binding's onlyIf. Its error is the answer.
using WriteRule = std::function<Status(const std::optional<ObjectState>& current)>;

struct PutObjectRequest {
  std::string bucket;
  std::string key;
  ObjectMetadata metadata;
  Conditions conditions;                  // If-Match and friends (R2 honours all four on a PUT)
  bool create_bucket_if_missing = false;  // R2's cf-create-bucket-if-missing
  WriteRule rule{};                       // when set, checked instead of `conditions`
};

// Stores `body` as the object. Errors: InvalidBucketName (creating a bucket), NoSuchBucket,
// PreconditionFailed, those of the body and its integrity checks, InsufficientStorage, and the
// engines' storage errors. Returns the committed record (ETag, checksums).
Awaitable<Result<ObjectRecord>> PutObject(Storage& storage, PutObjectRequest request,
                                          BodySource& body, IntegrityExpectations expectations);

enum class MetadataDirective { kCopy, kReplace, kMerge };  // MERGE is R2's

struct CopyObjectRequest {
  std::string source_bucket;
  std::string source_key;
  Conditions source_conditions;  // x-amz-copy-source-if-*
  std::string bucket;
  std::string key;
  MetadataDirective directive = MetadataDirective::kCopy;
  ObjectMetadata metadata;  // for REPLACE and MERGE
  bool storage_class_given = false;
  // If-Match and If-None-Match on the copy's key, checked atomically with the commit as a PUT's
  // (If-None-Match: * copies only to a free key).
  Conditions conditions;
};

// Copies by reference (the copy shares the source's blobs). Errors: NoSuchKey, NoSuchBucket,
// PreconditionFailed (of the source or of the destination), InvalidRequest (a copy onto itself
// that changes nothing). Returns the copy.
Awaitable<Result<ObjectRecord>> CopyObject(Storage& storage, CopyObjectRequest request);

// Idempotent: a missing key is fine, unless `if_match` is given: then it is checked atomically with
// the delete (CheckDeleteCondition). Errors: NoSuchBucket, and with `if_match` NoSuchKey and
// PreconditionFailed.
Awaitable<Status> DeleteObject(Storage& storage, std::string bucket, std::string key,
                               std::optional<std::string> if_match = std::nullopt);

// Deletes each key that `may_delete` allows (it returns the error to report for a key it refuses),
// in one trip to the worker pool. Errors: NoSuchBucket; otherwise one outcome per key, in order:
// nullopt for deleted (or absent), else that key's error.
using KeyFilter = std::function<Status(const std::string& key)>;
Awaitable<Result<std::vector<std::optional<Error>>>> DeleteObjects(Storage& storage,
                                                                   std::string bucket,
                                                                   std::vector<std::string> keys,
                                                                   KeyFilter may_delete);

}  // namespace cairn::core
