// A MetaStore for fault tests: before each call it asks the shared FaultPlan (common/fault_plan.h)
// whether to fail, and only then hands the call to the store it wraps. Calls that write consult
// meta.commit, calls that only read consult meta.read. An injected fault fails the call before the
// wrapped store sees it, so a failed write leaves the store exactly as it was (no partial commit,
// no WriteCondition or CompleteBuilder run): what a client sees after it is what a real engine
// guarantees for a transaction that did not commit. EIO_AFTER alone lets the call run and then
// fails it with outcome_unknown, as a commit whose acknowledgement was lost.
//   ENOSPC            -> kStorageNoSpace
//   EIO, SHORT_WRITE  -> kStorageIOError naming the injected fault (a commit has no partial bytes)
//   BUSY              -> kStorageBusy
//   UNAVAILABLE       -> kStorageUnavailable
//   CRASH             -> kStorageUnavailable "the storage is off", for this call and every later
//                        one (reads included) until FaultPlan::Clear, as if the engine had lost
//                        power
//   EIO_AFTER         -> kStorageIOError with outcome_unknown, after the call took effect
// With nothing armed every call is forwarded unchanged. Thread-safe when the wrapped store is.
//
// It derives from MetaStore, not ForwardingMetaStore, on purpose: a call added to MetaStore must be
// placed here as a write or a read, and does not compile until it is.
#pragma once

#include "common/fault_plan.h"
#include "meta/meta_store.h"

namespace cairn::meta {

class FaultMetaStore : public MetaStore {
 public:
  FaultMetaStore(MetaStore& inner, FaultPlan& plan) : inner_(inner), plan_(plan) {}

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
  // Runs `call` on the wrapped store unless the plan injects a fault for `target`, whose error is
  // then returned instead (after running `call` for EIO_AFTER). After a crash every call is a
  // crash too: the engine stays "off" until the plan is cleared.
  template <typename Call>
  auto Guarded(FaultTarget target, Call&& call) -> decltype(call()) {
    const std::optional<FaultKind> fault = plan_.Take(target);
    if (!fault) return call();
    return InjectFault(*fault, FaultTargetName(target), call);
  }

  MetaStore& inner_;
  FaultPlan& plan_;
};

}  // namespace cairn::meta
