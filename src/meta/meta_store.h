// The metadata store: buckets, objects, the blob reference counts, and (later) multipart uploads.
// SQLite in WAL mode is the embedded engine; the interface is what a PostgreSQL engine would
// implement too. All methods are blocking and thread-safe: the server calls them from its worker
// pool, never from the event loop.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "meta/records.h"

namespace cairn::meta {

// Decides, inside the write transaction, whether a write may go on given the current object
// (nullopt when the key is absent). Returning an error aborts the write with that error: this is
// how conditional PUTs (If-None-Match: *, If-Match) are made atomic.
using WriteCondition = std::function<Status(const std::optional<ObjectRecord>& current)>;

class MetaStore {
 public:
  virtual ~MetaStore() = default;

  // Errors: BucketAlreadyOwnedByYou when it exists.
  virtual Status CreateBucket(const BucketRecord& bucket) = 0;
  // Errors: NoSuchBucket.
  virtual Result<BucketRecord> GetBucket(const std::string& name) = 0;
  virtual Result<std::vector<BucketRecord>> ListBuckets() = 0;  // sorted by name
  // Errors: NoSuchBucket, BucketNotEmpty (objects or multipart uploads remain).
  virtual Status DeleteBucket(const std::string& name) = 0;

  // Errors: NoSuchBucket, NoSuchKey.
  virtual Result<ObjectRecord> GetObject(const std::string& bucket, const std::string& key) = 0;

  // Creates or replaces an object in one transaction: checks that the bucket exists (NoSuchBucket),
  // runs `condition` on the current object, takes a reference on each blob of the new extents and
  // drops one on each blob of the replaced object. Returns the ids of blobs left with no reference:
  // the caller deletes their files after this returns.
  virtual Result<std::vector<std::string>> PutObject(const ObjectRecord& object,
                                                     const WriteCondition& condition = {}) = 0;

  // Deletes an object (absent is fine: S3's DeleteObject is idempotent). Errors: NoSuchBucket.
  // Returns the ids of blobs left with no reference.
  virtual Result<std::vector<std::string>> DeleteObject(const std::string& bucket,
                                                        const std::string& key) = 0;

  // One page of keys in UTF-8 binary order, starting after query.start_after. With a delimiter,
  // keys that share a prefix up to the delimiter are rolled into one common prefix, and the scan
  // seeks past all of them (a page costs about the same in any bucket size). Errors: NoSuchBucket.
  virtual Result<ListPage> ListObjects(const std::string& bucket, const ListQuery& query) = 0;

  // True when some object references the blob. Used by the start-up sweep for orphan blob files.
  virtual Result<bool> BlobReferenced(const std::string& blob_id) = 0;

  // Small settings the server keeps (the generated admin key, ...). Absent -> nullopt.
  virtual Result<std::optional<std::string>> GetSetting(const std::string& name) = 0;
  virtual Status PutSetting(const std::string& name, const std::string& value) = 0;
};

}  // namespace cairn::meta
