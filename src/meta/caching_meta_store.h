// The MetaStore decorator that keeps ObjectCache right: GetObject fills it, and every write that
// can change an object (PutObject, DeleteObject, CompleteUpload) drops the key once the write has
// returned, that is once it is durable and visible, and before its caller can acknowledge it.
#pragma once

#include "meta/forwarding_meta_store.h"
#include "meta/object_cache.h"

namespace cairn::meta {

class CachingMetaStore : public ForwardingMetaStore {
 public:
  CachingMetaStore(MetaStore& inner, ObjectCache& cache)
      : ForwardingMetaStore(inner), cache_(cache) {}

  Result<core::ObjectRecord> GetObject(const std::string& bucket, const std::string& key) override;
  Result<std::vector<std::string>> PutObject(const core::ObjectRecord& object,
                                             const WriteCondition& condition) override;
  Result<std::vector<std::string>> DeleteObject(const std::string& bucket, const std::string& key,
                                                const WriteCondition& condition) override;
  Result<Completion> CompleteUpload(const std::string& bucket, const std::string& key,
                                    const std::string& upload_id, const CompleteBuilder& build,
                                    const WriteCondition& condition,
                                    const CompletionReceipt& receipt) override;

 private:
  ObjectCache& cache_;
};

}  // namespace cairn::meta
