// A MetaStore that times every call of the store it wraps and reports the time with the call's
// name, for the metadata-latency metrics. It changes nothing else: same results, same errors.
#pragma once

#include <chrono>
#include <functional>
#include <string_view>

#include "meta/meta_store.h"

namespace cairn::meta {

class TimedMetaStore : public MetaStore {
 public:
  using Observer = std::function<void(std::string_view call, std::chrono::nanoseconds took)>;
  TimedMetaStore(MetaStore& inner, Observer observe)
      : inner_(inner), observe_(std::move(observe)) {}

  Status CreateBucket(const core::BucketRecord& bucket) override;
  Result<core::BucketRecord> GetBucket(const std::string& name) override;
  Result<std::vector<core::BucketRecord>> ListBuckets() override;
  Status DeleteBucket(const std::string& name) override;
  Result<core::BucketUsage> GetBucketUsage(const std::string& name) override;
  Result<core::ObjectRecord> GetObject(const std::string& bucket, const std::string& key) override;
  Result<std::vector<std::string>> PutObject(const core::ObjectRecord& object,
                                             const WriteCondition& condition) override;
  Result<std::vector<std::string>> DeleteObject(const std::string& bucket, const std::string& key,
                                                const WriteCondition& condition) override;
  Result<core::ListPage> ListObjects(const std::string& bucket,
                                     const core::ListQuery& query) override;
  Result<core::SearchPage> SearchObjects(const std::string& bucket,
                                         const core::SearchQuery& query) override;
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
                                    const WriteCondition& condition,
                                    const CompletionReceipt& receipt) override;
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
  template <typename Call>
  auto Timed(std::string_view name, Call&& call) {
    const auto start = std::chrono::steady_clock::now();
    auto result = call();
    observe_(name, std::chrono::steady_clock::now() - start);
    return result;
  }

  MetaStore& inner_;
  Observer observe_;
};

}  // namespace cairn::meta
