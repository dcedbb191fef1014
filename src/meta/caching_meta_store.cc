#include "meta/caching_meta_store.h"

namespace cairn::meta {

Result<core::ObjectRecord> CachingMetaStore::GetObject(const std::string& bucket,
                                                       const std::string& key) {
  if (auto hit = cache_.Find(bucket, key)) return *hit;
  const uint64_t generation = cache_.Generation(bucket, key);
  Result<core::ObjectRecord> found = inner_.GetObject(bucket, key);
  if (found.ok()) cache_.Fill(*found, generation);
  return found;
}

Result<std::vector<std::string>> CachingMetaStore::PutObject(const core::ObjectRecord& object,
                                                             const WriteCondition& condition) {
  Result<std::vector<std::string>> released = inner_.PutObject(object, condition);
  cache_.Drop(object.bucket, object.key);
  return released;
}

Result<std::vector<std::string>> CachingMetaStore::DeleteObject(const std::string& bucket,
                                                                const std::string& key,
                                                                const WriteCondition& condition) {
  Result<std::vector<std::string>> released = inner_.DeleteObject(bucket, key, condition);
  cache_.Drop(bucket, key);
  return released;
}

Result<MetaStore::Completion> CachingMetaStore::CompleteUpload(const std::string& bucket,
                                                               const std::string& key,
                                                               const std::string& upload_id,
                                                               const CompleteBuilder& build,
                                                               const WriteCondition& condition,
                                                               const CompletionReceipt& receipt) {
  Result<Completion> completion =
      inner_.CompleteUpload(bucket, key, upload_id, build, condition, receipt);
  cache_.Drop(bucket, key);
  return completion;
}

}  // namespace cairn::meta
