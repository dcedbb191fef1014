#include "meta/timed_meta_store.h"

namespace cairn::meta {

Status TimedMetaStore::CreateBucket(const core::BucketRecord& bucket) {
  return Timed("CreateBucket", [&] { return inner_.CreateBucket(bucket); });
}

Result<core::BucketRecord> TimedMetaStore::GetBucket(const std::string& name) {
  return Timed("GetBucket", [&] { return inner_.GetBucket(name); });
}

Result<std::vector<core::BucketRecord>> TimedMetaStore::ListBuckets() {
  return Timed("ListBuckets", [&] { return inner_.ListBuckets(); });
}

Status TimedMetaStore::DeleteBucket(const std::string& name) {
  return Timed("DeleteBucket", [&] { return inner_.DeleteBucket(name); });
}

Result<core::BucketUsage> TimedMetaStore::GetBucketUsage(const std::string& name) {
  return Timed("GetBucketUsage", [&] { return inner_.GetBucketUsage(name); });
}

Result<core::ObjectRecord> TimedMetaStore::GetObject(const std::string& bucket,
                                                     const std::string& key) {
  return Timed("GetObject", [&] { return inner_.GetObject(bucket, key); });
}

Result<std::vector<std::string>> TimedMetaStore::PutObject(const core::ObjectRecord& object,
                                                           const WriteCondition& condition) {
  return Timed("PutObject", [&] { return inner_.PutObject(object, condition); });
}

Result<std::vector<std::string>> TimedMetaStore::DeleteObject(const std::string& bucket,
                                                              const std::string& key,
                                                              const WriteCondition& condition) {
  return Timed("DeleteObject", [&] { return inner_.DeleteObject(bucket, key, condition); });
}

Result<core::ListPage> TimedMetaStore::ListObjects(const std::string& bucket,
                                                   const core::ListQuery& query) {
  return Timed("ListObjects", [&] { return inner_.ListObjects(bucket, query); });
}

Result<core::SearchPage> TimedMetaStore::SearchObjects(const std::string& bucket,
                                                       const core::SearchQuery& query) {
  return Timed("SearchObjects", [&] { return inner_.SearchObjects(bucket, query); });
}

Status TimedMetaStore::CreateUpload(const core::UploadRecord& upload) {
  return Timed("CreateUpload", [&] { return inner_.CreateUpload(upload); });
}

Result<core::UploadRecord> TimedMetaStore::GetUpload(const std::string& bucket,
                                                     const std::string& key,
                                                     const std::string& upload_id) {
  return Timed("GetUpload", [&] { return inner_.GetUpload(bucket, key, upload_id); });
}

Result<std::vector<std::string>> TimedMetaStore::PutPart(const std::string& bucket,
                                                         const std::string& key,
                                                         const std::string& upload_id,
                                                         const core::PartRecord& part) {
  return Timed("PutPart", [&] { return inner_.PutPart(bucket, key, upload_id, part); });
}

Result<core::PartsPage> TimedMetaStore::ListParts(const std::string& bucket, const std::string& key,
                                                  const std::string& upload_id,
                                                  uint32_t part_number_marker, uint32_t max_parts) {
  return Timed("ListParts", [&] {
    return inner_.ListParts(bucket, key, upload_id, part_number_marker, max_parts);
  });
}

Result<core::UploadsPage> TimedMetaStore::ListUploads(const std::string& bucket,
                                                      const core::UploadsQuery& query) {
  return Timed("ListUploads", [&] { return inner_.ListUploads(bucket, query); });
}

Result<std::vector<std::string>> TimedMetaStore::AbortUpload(const std::string& bucket,
                                                             const std::string& key,
                                                             const std::string& upload_id) {
  return Timed("AbortUpload", [&] { return inner_.AbortUpload(bucket, key, upload_id); });
}

Result<MetaStore::Completion> TimedMetaStore::CompleteUpload(const std::string& bucket,
                                                             const std::string& key,
                                                             const std::string& upload_id,
                                                             const CompleteBuilder& build,
                                                             const WriteCondition& condition,
                                                             const CompletionReceipt& receipt) {
  return Timed("CompleteUpload", [&] {
    return inner_.CompleteUpload(bucket, key, upload_id, build, condition, receipt);
  });
}

Result<std::vector<core::UploadRecord>> TimedMetaStore::ListUploadsInitiatedBefore(TimePoint cutoff,
                                                                                   uint32_t limit) {
  return Timed("ListUploadsInitiatedBefore",
               [&] { return inner_.ListUploadsInitiatedBefore(cutoff, limit); });
}

Result<uint32_t> TimedMetaStore::DeleteCompletionsBefore(TimePoint cutoff, uint32_t limit) {
  return Timed("DeleteCompletionsBefore",
               [&] { return inner_.DeleteCompletionsBefore(cutoff, limit); });
}

Result<std::optional<std::string>> TimedMetaStore::GetBucketConfig(const std::string& bucket,
                                                                   const std::string& name) {
  return Timed("GetBucketConfig", [&] { return inner_.GetBucketConfig(bucket, name); });
}

Status TimedMetaStore::PutBucketConfig(const std::string& bucket, const std::string& name,
                                       const std::optional<std::string>& document) {
  return Timed("PutBucketConfig", [&] { return inner_.PutBucketConfig(bucket, name, document); });
}

Result<bool> TimedMetaStore::BlobReferenced(const std::string& blob_id) {
  return Timed("BlobReferenced", [&] { return inner_.BlobReferenced(blob_id); });
}

Result<std::optional<std::string>> TimedMetaStore::GetSetting(const std::string& name) {
  return Timed("GetSetting", [&] { return inner_.GetSetting(name); });
}

Status TimedMetaStore::PutSetting(const std::string& name,
                                  const std::optional<std::string>& value) {
  return Timed("PutSetting", [&] { return inner_.PutSetting(name, value); });
}

Result<std::vector<std::pair<std::string, std::string>>> TimedMetaStore::ListSettings(
    const std::string& prefix) {
  return Timed("ListSettings", [&] { return inner_.ListSettings(prefix); });
}

Status TimedMetaStore::PutSettingCounted(const std::string& name,
                                         const std::optional<std::string>& value,
                                         const std::string& counter) {
  return Timed("PutSettingCounted", [&] { return inner_.PutSettingCounted(name, value, counter); });
}

Result<bool> TimedMetaStore::ReplaceSetting(const std::string& name, const std::string& value) {
  return Timed("ReplaceSetting", [&] { return inner_.ReplaceSetting(name, value); });
}

Result<std::unique_ptr<MetaStore::Lease>> TimedMetaStore::TryLease(const std::string& name) {
  return Timed("TryLease", [&] { return inner_.TryLease(name); });
}

}  // namespace cairn::meta
