// A MetaStore that hands every call to another one: the base of decorators that change a few
// calls (CachingMetaStore) and leave the rest alone.
#pragma once

#include "meta/meta_store.h"

namespace cairn::meta {

class ForwardingMetaStore : public MetaStore {
 public:
  explicit ForwardingMetaStore(MetaStore& inner) : inner_(inner) {}

  Status CreateBucket(const core::BucketRecord& bucket) override {
    return inner_.CreateBucket(bucket);
  }
  Result<core::BucketRecord> GetBucket(const std::string& name) override {
    return inner_.GetBucket(name);
  }
  Result<std::vector<core::BucketRecord>> ListBuckets() override { return inner_.ListBuckets(); }
  Status DeleteBucket(const std::string& name) override { return inner_.DeleteBucket(name); }
  Result<core::BucketUsage> GetBucketUsage(const std::string& name) override {
    return inner_.GetBucketUsage(name);
  }
  Result<core::ObjectRecord> GetObject(const std::string& bucket, const std::string& key) override {
    return inner_.GetObject(bucket, key);
  }
  Result<std::vector<std::string>> PutObject(const core::ObjectRecord& object,
                                             const WriteCondition& condition) override {
    return inner_.PutObject(object, condition);
  }
  Result<std::vector<std::string>> DeleteObject(const std::string& bucket, const std::string& key,
                                                const WriteCondition& condition) override {
    return inner_.DeleteObject(bucket, key, condition);
  }
  Result<core::ListPage> ListObjects(const std::string& bucket,
                                     const core::ListQuery& query) override {
    return inner_.ListObjects(bucket, query);
  }
  Result<core::SearchPage> SearchObjects(const std::string& bucket,
                                         const core::SearchQuery& query) override {
    return inner_.SearchObjects(bucket, query);
  }
  Status CreateUpload(const core::UploadRecord& upload) override {
    return inner_.CreateUpload(upload);
  }
  Result<core::UploadRecord> GetUpload(const std::string& bucket, const std::string& key,
                                       const std::string& upload_id) override {
    return inner_.GetUpload(bucket, key, upload_id);
  }
  Result<std::vector<std::string>> PutPart(const std::string& bucket, const std::string& key,
                                           const std::string& upload_id,
                                           const core::PartRecord& part) override {
    return inner_.PutPart(bucket, key, upload_id, part);
  }
  Result<core::PartsPage> ListParts(const std::string& bucket, const std::string& key,
                                    const std::string& upload_id, uint32_t part_number_marker,
                                    uint32_t max_parts) override {
    return inner_.ListParts(bucket, key, upload_id, part_number_marker, max_parts);
  }
  Result<core::UploadsPage> ListUploads(const std::string& bucket,
                                        const core::UploadsQuery& query) override {
    return inner_.ListUploads(bucket, query);
  }
  Result<std::vector<std::string>> AbortUpload(const std::string& bucket, const std::string& key,
                                               const std::string& upload_id) override {
    return inner_.AbortUpload(bucket, key, upload_id);
  }
  Result<Completion> CompleteUpload(const std::string& bucket, const std::string& key,
                                    const std::string& upload_id, const CompleteBuilder& build,
                                    const WriteCondition& condition,
                                    const CompletionReceipt& receipt) override {
    return inner_.CompleteUpload(bucket, key, upload_id, build, condition, receipt);
  }
  Result<std::vector<core::UploadRecord>> ListUploadsInitiatedBefore(TimePoint cutoff,
                                                                     uint32_t limit) override {
    return inner_.ListUploadsInitiatedBefore(cutoff, limit);
  }
  Result<uint32_t> DeleteCompletionsBefore(TimePoint cutoff, uint32_t limit) override {
    return inner_.DeleteCompletionsBefore(cutoff, limit);
  }
  Result<std::optional<std::string>> GetBucketConfig(const std::string& bucket,
                                                     const std::string& name) override {
    return inner_.GetBucketConfig(bucket, name);
  }
  Status PutBucketConfig(const std::string& bucket, const std::string& name,
                         const std::optional<std::string>& document) override {
    return inner_.PutBucketConfig(bucket, name, document);
  }
  Result<bool> BlobReferenced(const std::string& blob_id) override {
    return inner_.BlobReferenced(blob_id);
  }
  Result<std::optional<std::string>> GetSetting(const std::string& name) override {
    return inner_.GetSetting(name);
  }
  Status PutSetting(const std::string& name, const std::optional<std::string>& value) override {
    return inner_.PutSetting(name, value);
  }
  Result<std::vector<std::pair<std::string, std::string>>> ListSettings(
      const std::string& prefix) override {
    return inner_.ListSettings(prefix);
  }
  Status PutSettingCounted(const std::string& name, const std::optional<std::string>& value,
                           const std::string& counter) override {
    return inner_.PutSettingCounted(name, value, counter);
  }
  Result<bool> ReplaceSetting(const std::string& name, const std::string& value) override {
    return inner_.ReplaceSetting(name, value);
  }
  Result<std::unique_ptr<Lease>> TryLease(const std::string& name) override {
    return inner_.TryLease(name);
  }

 protected:
  MetaStore& inner_;
};

}  // namespace cairn::meta
