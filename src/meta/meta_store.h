// The metadata store: buckets, objects, the blob reference counts, multipart uploads and bucket
// configuration documents. SQLite in WAL mode is the embedded engine; the interface is what a
// PostgreSQL engine would implement too. All methods are blocking and thread-safe: the server
// calls them from its worker pool, never from the event loop.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/status.h"
#include "core/records.h"

namespace cairn::meta {

// Decides, inside the write transaction, whether a write may go on given the current object
// (nullopt when the key is absent). Returning an error aborts the write with that error: this is
// how conditional PUTs (If-None-Match: *, If-Match) and conditional deletes (If-Match) are made
// atomic.
using WriteCondition = std::function<Status(const std::optional<core::ObjectRecord>& current)>;

class MetaStore {
 public:
  virtual ~MetaStore() = default;

  // Errors: BucketAlreadyOwnedByYou when it exists.
  virtual Status CreateBucket(const core::BucketRecord& bucket) = 0;
  // Errors: NoSuchBucket.
  virtual Result<core::BucketRecord> GetBucket(const std::string& name) = 0;
  virtual Result<std::vector<core::BucketRecord>> ListBuckets() = 0;  // sorted by name
  // Errors: NoSuchBucket, BucketNotEmpty (objects or multipart uploads remain).
  virtual Status DeleteBucket(const std::string& name) = 0;
  // The bucket's object count and total size, as of the last committed write: one lookup, not a
  // listing. Errors: NoSuchBucket.
  virtual Result<core::BucketUsage> GetBucketUsage(const std::string& name) = 0;

  // Errors: NoSuchBucket, NoSuchKey.
  virtual Result<core::ObjectRecord> GetObject(const std::string& bucket,
                                               const std::string& key) = 0;

  // Creates or replaces an object in one transaction: checks that the bucket exists (NoSuchBucket),
  // runs `condition` on the current object, takes a reference on each blob of the new extents and
  // drops one on each blob of the replaced object. Returns the ids of blobs left with no reference:
  // the caller deletes their files after this returns.
  virtual Result<std::vector<std::string>> PutObject(const core::ObjectRecord& object,
                                                     const WriteCondition& condition = {}) = 0;

  // Deletes an object in one transaction that checks that the bucket exists (NoSuchBucket) and
  // runs `condition` on the current object, absent included. Absent is otherwise fine: S3's
  // DeleteObject is idempotent. Returns the ids of blobs left with no reference.
  virtual Result<std::vector<std::string>> DeleteObject(const std::string& bucket,
                                                        const std::string& key,
                                                        const WriteCondition& condition = {}) = 0;

  // One page of keys in UTF-8 binary order, starting after query.start_after. With a delimiter,
  // keys that share a prefix up to the delimiter are rolled into one common prefix, and the scan
  // seeks past all of them (a page costs about the same in any bucket size). Errors: NoSuchBucket.
  virtual Result<core::ListPage> ListObjects(const std::string& bucket,
                                             const core::ListQuery& query) = 0;

  // The keys under query.prefix after query.start_after that contain query.substring, in key
  // order, with their records (core::SearchQuery says where a page stops). Reads at most
  // query.scan_budget keys plus one, and decodes only the matches. Errors: NoSuchBucket.
  virtual Result<core::SearchPage> SearchObjects(const std::string& bucket,
                                                 const core::SearchQuery& query) = 0;

  // --- Multipart uploads ---

  // Errors: NoSuchBucket.
  virtual Status CreateUpload(const core::UploadRecord& upload) = 0;
  // The upload `upload_id` of bucket/key. Errors: NoSuchUpload (also when bucket or key differ).
  virtual Result<core::UploadRecord> GetUpload(const std::string& bucket, const std::string& key,
                                               const std::string& upload_id) = 0;
  // Adds a part, replacing any part with the same number, in one transaction that takes references
  // on the new part's blobs and drops those of the replaced part. Errors: NoSuchUpload (the upload
  // was aborted or completed meanwhile: the caller then removes the part's blob). Returns the ids
  // of blobs left with no reference.
  virtual Result<std::vector<std::string>> PutPart(const std::string& bucket,
                                                   const std::string& key,
                                                   const std::string& upload_id,
                                                   const core::PartRecord& part) = 0;
  // Parts after `part_number_marker`, at most `max_parts`. Errors: NoSuchUpload.
  virtual Result<core::PartsPage> ListParts(const std::string& bucket, const std::string& key,
                                            const std::string& upload_id,
                                            uint32_t part_number_marker, uint32_t max_parts) = 0;
  // Uploads in progress in a bucket, by key then initiation time. Errors: NoSuchBucket.
  virtual Result<core::UploadsPage> ListUploads(const std::string& bucket,
                                                const core::UploadsQuery& query) = 0;
  // Removes the upload and all its parts. Returns unreferenced blob ids. An upload that was
  // completed and whose completion is still recorded is left alone and answers OK with nothing
  // released, as S3 answers 204 to an Abort of an upload it completed recently (see
  // core::AbortUpload). Errors: NoSuchUpload.
  virtual Result<std::vector<std::string>> AbortUpload(const std::string& bucket,
                                                       const std::string& key,
                                                       const std::string& upload_id) = 0;

  // How CompleteUpload records the completion: `parts_digest` names the client's part list (a
  // retry with the same list gets the first answer back), `keep_until` is when the record may go.
  struct CompletionReceipt {
    std::string parts_digest;
    TimePoint keep_until;
  };
  // What CompleteUpload did: completed the upload now (`released`: the ids of blobs left with no
  // reference, the replaced object's and the discarded parts'), or found it already completed with
  // the same part list (`retried`, nothing written). `record` is the completion's record either
  // way.
  struct Completion {
    std::vector<std::string> released;
    core::CompletedUploadRecord record;
    bool retried = false;
  };
  // Turns an upload into an object in one transaction: loads the upload and all its parts, calls
  // `build` (which applies R2's part rules to the client's list and returns the object record, its
  // extents those of the chosen parts), checks `condition` against the current object, writes the
  // object, deletes the upload with all its parts (parts left out of the list are discarded) and
  // writes the completion's record (`receipt`, with the object's ETag, checksums and size). When
  // the upload is gone but its completion is recorded under the same parts digest, returns that
  // record without calling `build` or `condition`: whatever became of the object since, the
  // retry is answered as the first request was. Errors: NoSuchUpload (also a recorded completion
  // with another part list), NoSuchBucket, whatever `build` or `condition` return.
  using CompleteBuilder = std::function<Result<core::ObjectRecord>(
      const core::UploadRecord& upload, const std::vector<core::PartRecord>& parts)>;
  virtual Result<Completion> CompleteUpload(const std::string& bucket, const std::string& key,
                                            const std::string& upload_id,
                                            const CompleteBuilder& build,
                                            const WriteCondition& condition = {},
                                            const CompletionReceipt& receipt = {}) = 0;

  // Every upload in every bucket initiated before `cutoff`, oldest first, at most `limit` (for the
  // lifecycle sweeper).
  virtual Result<std::vector<core::UploadRecord>> ListUploadsInitiatedBefore(TimePoint cutoff,
                                                                             uint32_t limit) = 0;
  // Deletes at most `limit` records of completed uploads kept until before `cutoff` (for the
  // lifecycle sweeper); how many it deleted.
  virtual Result<uint32_t> DeleteCompletionsBefore(TimePoint cutoff, uint32_t limit) = 0;

  // --- Bucket configuration (lifecycle, CORS): opaque documents by name ---

  // Errors: NoSuchBucket. nullopt when the bucket has no document of that name.
  virtual Result<std::optional<std::string>> GetBucketConfig(const std::string& bucket,
                                                             const std::string& name) = 0;
  // nullopt deletes. Errors: NoSuchBucket.
  virtual Status PutBucketConfig(const std::string& bucket, const std::string& name,
                                 const std::optional<std::string>& document) = 0;

  // True when some object or part references the blob. Used by the start-up sweep for orphan
  // blob files.
  virtual Result<bool> BlobReferenced(const std::string& blob_id) = 0;

  // Small settings the server keeps (access keys, ...). Absent -> nullopt.
  virtual Result<std::optional<std::string>> GetSetting(const std::string& name) = 0;
  // nullopt deletes (absent is fine).
  virtual Status PutSetting(const std::string& name, const std::optional<std::string>& value) = 0;
  // Every setting whose name starts with `prefix`, by name.
  virtual Result<std::vector<std::pair<std::string, std::string>>> ListSettings(
      const std::string& prefix) = 0;

  // --- What gateways sharing one store tell each other ---

  // PutSetting, and in the same transaction one more on the setting `counter` (a decimal number;
  // absent counts as 0). A process that keeps a copy of some settings polls `counter` with
  // GetSetting, one indexed read, and reloads when it moved: a change made by any process sharing
  // the store is seen, and no change is counted unless it committed.
  virtual Status PutSettingCounted(const std::string& name, const std::optional<std::string>& value,
                                   const std::string& counter) = 0;
  // Replaces the value of setting `name` only if it exists (false: nothing written), so that a
  // late write of a stale copy never brings back a setting another process deleted.
  virtual Result<bool> ReplaceSetting(const std::string& name, const std::string& value) = 0;

  // Held by one process at a time among all that share the store, until destroyed.
  class Lease {
   public:
    virtual ~Lease() = default;
  };
  // The lease `name` when no other holder has it, or null when one has. For work that several
  // gateways would otherwise all do at once (the lifecycle sweep); an engine that only one process
  // opens grants it always. A lease may end early if the engine loses its connection: it saves
  // duplicate work, it does not make the work safe (the work itself must be).
  virtual Result<std::unique_ptr<Lease>> TryLease(const std::string& name) = 0;
};

}  // namespace cairn::meta
