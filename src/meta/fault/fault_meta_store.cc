#include "meta/fault/fault_meta_store.h"

#include <string>

namespace cairn::meta {
namespace {

constexpr FaultTarget kCommit = FaultTarget::kMetaCommit;
constexpr FaultTarget kRead = FaultTarget::kMetaRead;

}  // namespace

Status FaultMetaStore::CreateBucket(const core::BucketRecord& bucket) {
  return Guarded(kCommit, [&] { return inner_.CreateBucket(bucket); });
}

Result<core::BucketRecord> FaultMetaStore::GetBucket(const std::string& name) {
  return Guarded(kRead, [&] { return inner_.GetBucket(name); });
}

Result<std::vector<core::BucketRecord>> FaultMetaStore::ListBuckets() {
  return Guarded(kRead, [&] { return inner_.ListBuckets(); });
}

Status FaultMetaStore::DeleteBucket(const std::string& name) {
  return Guarded(kCommit, [&] { return inner_.DeleteBucket(name); });
}

Result<core::BucketUsage> FaultMetaStore::GetBucketUsage(const std::string& name) {
  return Guarded(kRead, [&] { return inner_.GetBucketUsage(name); });
}

Result<core::ObjectRecord> FaultMetaStore::GetObject(const std::string& bucket,
                                                     const std::string& key) {
  return Guarded(kRead, [&] { return inner_.GetObject(bucket, key); });
}

Result<std::vector<std::string>> FaultMetaStore::PutObject(const core::ObjectRecord& object,
                                                           const WriteCondition& condition) {
  return Guarded(kCommit, [&] { return inner_.PutObject(object, condition); });
}

Result<std::vector<std::string>> FaultMetaStore::DeleteObject(const std::string& bucket,
                                                              const std::string& key,
                                                              const WriteCondition& condition) {
  return Guarded(kCommit, [&] { return inner_.DeleteObject(bucket, key, condition); });
}

Result<core::ListPage> FaultMetaStore::ListObjects(const std::string& bucket,
                                                   const core::ListQuery& query) {
  return Guarded(kRead, [&] { return inner_.ListObjects(bucket, query); });
}

Result<core::SearchPage> FaultMetaStore::SearchObjects(const std::string& bucket,
                                                       const core::SearchQuery& query) {
  return Guarded(kRead, [&] { return inner_.SearchObjects(bucket, query); });
}

Status FaultMetaStore::CreateUpload(const core::UploadRecord& upload) {
  return Guarded(kCommit, [&] { return inner_.CreateUpload(upload); });
}

Result<core::UploadRecord> FaultMetaStore::GetUpload(const std::string& bucket,
                                                     const std::string& key,
                                                     const std::string& upload_id) {
  return Guarded(kRead, [&] { return inner_.GetUpload(bucket, key, upload_id); });
}

Result<std::vector<std::string>> FaultMetaStore::PutPart(const std::string& bucket,
                                                         const std::string& key,
                                                         const std::string& upload_id,
                                                         const core::PartRecord& part) {
  return Guarded(kCommit, [&] { return inner_.PutPart(bucket, key, upload_id, part); });
}

Result<core::PartsPage> FaultMetaStore::ListParts(const std::string& bucket, const std::string& key,
                                                  const std::string& upload_id,
                                                  uint32_t part_number_marker, uint32_t max_parts) {
  return Guarded(kRead, [&] {
    return inner_.ListParts(bucket, key, upload_id, part_number_marker, max_parts);
  });
}

Result<core::UploadsPage> FaultMetaStore::ListUploads(const std::string& bucket,
                                                      const core::UploadsQuery& query) {
  return Guarded(kRead, [&] { return inner_.ListUploads(bucket, query); });
}

Result<std::vector<std::string>> FaultMetaStore::AbortUpload(const std::string& bucket,
                                                             const std::string& key,
                                                             const std::string& upload_id) {
  return Guarded(kCommit, [&] { return inner_.AbortUpload(bucket, key, upload_id); });
}

Result<MetaStore::Completion> FaultMetaStore::CompleteUpload(const std::string& bucket,
                                                             const std::string& key,
                                                             const std::string& upload_id,
                                                             const CompleteBuilder& build,
                                                             const WriteCondition& condition,
                                                             const CompletionReceipt& receipt) {
  return Guarded(kCommit, [&] {
    return inner_.CompleteUpload(bucket, key, upload_id, build, condition, receipt);
  });
}

Result<std::vector<core::UploadRecord>> FaultMetaStore::ListUploadsInitiatedBefore(TimePoint cutoff,
                                                                                   uint32_t limit) {
  return Guarded(kRead, [&] { return inner_.ListUploadsInitiatedBefore(cutoff, limit); });
}

Result<uint32_t> FaultMetaStore::DeleteCompletionsBefore(TimePoint cutoff, uint32_t limit) {
  return Guarded(kCommit, [&] { return inner_.DeleteCompletionsBefore(cutoff, limit); });
}

Result<std::optional<std::string>> FaultMetaStore::GetBucketConfig(const std::string& bucket,
                                                                   const std::string& name) {
  return Guarded(kRead, [&] { return inner_.GetBucketConfig(bucket, name); });
}

Status FaultMetaStore::PutBucketConfig(const std::string& bucket, const std::string& name,
                                       const std::optional<std::string>& document) {
  return Guarded(kCommit, [&] { return inner_.PutBucketConfig(bucket, name, document); });
}

Result<bool> FaultMetaStore::BlobReferenced(const std::string& blob_id) {
  return Guarded(kRead, [&] { return inner_.BlobReferenced(blob_id); });
}

Result<std::optional<std::string>> FaultMetaStore::GetSetting(const std::string& name) {
  return Guarded(kRead, [&] { return inner_.GetSetting(name); });
}

Status FaultMetaStore::PutSetting(const std::string& name,
                                  const std::optional<std::string>& value) {
  return Guarded(kCommit, [&] { return inner_.PutSetting(name, value); });
}

Result<std::vector<std::pair<std::string, std::string>>> FaultMetaStore::ListSettings(
    const std::string& prefix) {
  return Guarded(kRead, [&] { return inner_.ListSettings(prefix); });
}

Status FaultMetaStore::PutSettingCounted(const std::string& name,
                                         const std::optional<std::string>& value,
                                         const std::string& counter) {
  return Guarded(kCommit, [&] { return inner_.PutSettingCounted(name, value, counter); });
}

Result<bool> FaultMetaStore::ReplaceSetting(const std::string& name, const std::string& value) {
  return Guarded(kCommit, [&] { return inner_.ReplaceSetting(name, value); });
}

Result<std::unique_ptr<MetaStore::Lease>> FaultMetaStore::TryLease(const std::string& name) {
  return Guarded(kRead, [&] { return inner_.TryLease(name); });
}

}  // namespace cairn::meta
