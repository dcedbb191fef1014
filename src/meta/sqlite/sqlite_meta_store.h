// The embedded metadata engine: MetaStore on one SQLite file in WAL mode.
//
// Concurrency: one write connection (SQLite has a single writer per file anyway), on which writes
// are group-committed (group_commit.h): each write is a savepoint of a shared IMMEDIATE
// transaction, so a WriteCondition sees exactly the row it is about to replace, and one commit
// covers every write that queued meanwhile. Beside it a small pool of read connections runs thanks
// to WAL. Conditions (and CompleteUpload's builder) run while the batch holds the write
// connection and must be quick.
//
// Durability: synchronous=FULL, so once a write method returns OK its transaction is on disk.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "common/status.h"
#include "meta/meta_store.h"
#include "meta/schema_migration.h"
#include "meta/sqlite/connection.h"
#include "meta/sqlite/group_commit.h"

namespace cairn::meta {

struct SqliteOptions {
  int read_connections = 4;
  // false: synchronous=NORMAL, which stays consistent after a crash but may lose the last commits
  // on power loss. For tests and benchmarks only.
  bool durable = true;
};

// `cairn migrate` on SQLite: creates or brings the schema at `path` to this build's version
// (OpenSqliteMetaStore does the same), saying from which. Errors: kStorageUnavailable for a
// schema newer than known, the engine's own otherwise.
Result<SchemaMigration> MigrateSqliteSchema(const std::string& path);

// Opens (creating and migrating as needed) the metadata database at `path`.
Result<std::unique_ptr<MetaStore>> OpenSqliteMetaStore(const std::string& path);
Result<std::unique_ptr<MetaStore>> OpenSqliteMetaStore(const std::string& path,
                                                       const SqliteOptions& options);

class SqliteMetaStore final : public MetaStore {
 public:
  SqliteMetaStore(std::unique_ptr<sqlite::Connection> writer,
                  std::vector<std::unique_ptr<sqlite::Connection>> readers);

  Status CreateBucket(const core::BucketRecord& bucket) override;
  Result<core::BucketRecord> GetBucket(const std::string& name) override;
  Result<std::vector<core::BucketRecord>> ListBuckets() override;
  Status DeleteBucket(const std::string& name) override;
  Result<core::BucketUsage> GetBucketUsage(const std::string& name) override;

  Result<core::ObjectRecord> GetObject(const std::string& bucket, const std::string& key) override;
  Result<std::vector<std::string>> PutObject(const core::ObjectRecord& object,
                                             const WriteCondition& condition = {}) override;
  Result<std::vector<std::string>> DeleteObject(const std::string& bucket, const std::string& key,
                                                const WriteCondition& condition = {}) override;
  Result<core::ListPage> ListObjects(const std::string& bucket,
                                     const core::ListQuery& query) override;
  Result<core::SearchPage> SearchObjects(const std::string& bucket,
                                         const core::SearchQuery& query) override;

  // Multipart uploads: sqlite_multipart.cc.
  Status CreateUpload(const core::UploadRecord& upload) override;
  Result<core::UploadRecord> GetUpload(const std::string& bucket, const std::string& key,
                                       const std::string& upload_id) override;
  Result<std::vector<std::string>> PutPart(const std::string& bucket, const std::string& key,
                                           const std::string& upload_id,
                                           const core::PartRecord& part) override;
  Result<core::PartsPage> ListParts(const std::string& bucket, const std::string& key,
                                    const std::string& upload_id, uint32_t part_number_marker,
                                    uint32_t max_parts) override;
  Result<core::UploadsPage> ListUploads(const std::string& bucket,
                                        const core::UploadsQuery& query) override;
  Result<std::vector<std::string>> AbortUpload(const std::string& bucket, const std::string& key,
                                               const std::string& upload_id) override;
  Result<Completion> CompleteUpload(const std::string& bucket, const std::string& key,
                                    const std::string& upload_id, const CompleteBuilder& build,
                                    const WriteCondition& condition = {},
                                    const CompletionReceipt& receipt = {}) override;
  Result<std::vector<core::UploadRecord>> ListUploadsInitiatedBefore(TimePoint cutoff,
                                                                     uint32_t limit) override;
  Result<uint32_t> DeleteCompletionsBefore(TimePoint cutoff, uint32_t limit) override;

  Result<std::optional<std::string>> GetBucketConfig(const std::string& bucket,
                                                     const std::string& name) override;
  Status PutBucketConfig(const std::string& bucket, const std::string& name,
                         const std::optional<std::string>& document) override;

  Result<bool> BlobReferenced(const std::string& blob_id) override;

  Result<std::optional<std::string>> GetSetting(const std::string& name) override;
  Status PutSetting(const std::string& name, const std::optional<std::string>& value) override;
  Result<std::vector<std::pair<std::string, std::string>>> ListSettings(
      const std::string& prefix) override;
  Status PutSettingCounted(const std::string& name, const std::optional<std::string>& value,
                           const std::string& counter) override;
  Result<bool> ReplaceSetting(const std::string& name, const std::string& value) override;
  Result<std::unique_ptr<Lease>> TryLease(const std::string& name) override;

 private:
  // Runs `body` as one group-committed write; its result once the commit covering it is durable.
  template <typename T>
  Result<T> Write(const std::function<Result<T>()>& body) {
    std::optional<Result<T>> out;
    Status s = committer_.Write([&]() -> Status {
      out.emplace(body());
      return out->status();
    });
    if (!s.ok()) return s.error();
    return std::move(*out);
  }
  Status Write(const std::function<Status()>& body) { return committer_.Write(body); }

  std::unique_ptr<sqlite::Connection> writer_;  // used by the batch that leads, only
  sqlite::GroupCommitter committer_{*writer_};
  sqlite::ReaderPool readers_;
};

}  // namespace cairn::meta
