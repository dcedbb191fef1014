// The shared metadata engine: MetaStore on a PostgreSQL database, for several gateways that
// share one metadata store. transaction.h says how a call runs and why that keeps every
// invariant with concurrent gateways; schema.cc documents the tables.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "common/status.h"
#include "meta/meta_store.h"
#include "meta/postgres/pool.h"
#include "meta/schema_migration.h"

namespace cairn::meta {

struct PostgresOptions {
  int connections = 8;  // the pool size: at most this many calls run on the server at once
  // The longest a statement may run or wait for a lock (a write waiting for another gateway's
  // write to the same key included) before the call fails with kStorageBusy, which clients see as
  // 503 SlowDown. A session idle that long inside a transaction (a gateway that hangs mid-write)
  // is ended by the server, which releases its locks. A server that does not answer at all for
  // this long and 2 s more (a frozen host, a network cut) is taken for unreachable: the session
  // is dropped and the call fails with kStorageUnavailable (503 too); the next one reconnects.
  std::chrono::milliseconds statement_timeout{30000};
};

// Connects to `uri` (a libpq connection URI, postgres:// or postgresql://) and creates or
// migrates the schema. Errors: kStorageUnavailable (unreachable, or a schema newer than known).
Result<std::unique_ptr<MetaStore>> OpenPostgresMetaStore(const std::string& uri,
                                                         const PostgresOptions& options = {});

// What `cairn migrate` runs: the schema brought to this build's version (OpenPostgresMetaStore
// does the same), saying from which. Every migration only adds (tables, columns with defaults,
// indexes), so gateways of the previous version keep working on the migrated schema. Errors:
// kStorageUnavailable (unreachable, or a schema newer than known).
Result<SchemaMigration> MigratePostgresSchema(const std::string& uri);

class PostgresMetaStore final : public MetaStore {
 public:
  // `uri` and `session` open the sessions that hold leases (postgres/lease.h), apart from the pool.
  PostgresMetaStore(std::unique_ptr<postgres::ConnectionPool> pool, std::string uri,
                    postgres::SessionOptions session)
      : pool_(std::move(pool)), uri_(std::move(uri)), session_(std::move(session)) {}

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

  // Multipart uploads: postgres_multipart.cc.
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
  Result<uint32_t> DeleteCompletionsBefore(TimePoint cutoff, uint32_t limit) override;
  Result<std::vector<core::UploadRecord>> ListUploadsInitiatedBefore(TimePoint cutoff,
                                                                     uint32_t limit) override;

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
  std::unique_ptr<postgres::ConnectionPool> pool_;
  const std::string uri_;
  const postgres::SessionOptions session_;
};

}  // namespace cairn::meta
