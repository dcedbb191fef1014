// The queries both halves of PostgresMetaStore share (postgres_meta_store.cc for buckets and
// objects, postgres_multipart.cc for uploads): bucket existence, the per-key write lock, the
// current object of a key, and the blob reference accounting (meta/blob_deltas.h).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "core/records.h"
#include "meta/blob_deltas.h"
#include "meta/postgres/connection.h"

namespace cairn::meta::postgres {

// OK when bucket `name` exists, NoSuchBucket when not.
Status BucketExists(Connection& c, const std::string& name);

// Waits for, then holds until the transaction ends, the lock that serializes writes to one key
// across every gateway (transaction.h says why).
Status LockKey(Connection& c, const std::string& bucket, const std::string& key);

// The current object with its extents (and, `with_data`, its inline bytes), or nullopt when the
// key is absent; NoSuchBucket when the bucket is. One statement, so one round trip and one
// snapshot for all of it.
Result<std::optional<core::ObjectRecord>> FindObject(Connection& c, const std::string& bucket,
                                                     const std::string& key,
                                                     bool with_data = false);

// Applies `deltas` to the blobs table and returns, in id order, the ids whose count reached zero
// (their rows are deleted; the caller removes the files after committing). Rows are changed in id
// order, so concurrent writes lock them in one order and cannot deadlock.
Result<std::vector<std::string>> ApplyBlobDeltas(Connection& c, const BlobDeltas& deltas);

// A foreign key naming a bucket failed: the bucket was deleted meanwhile.
Error MissingBucketOr(const Error& error, const Connection& c);

}  // namespace cairn::meta::postgres
