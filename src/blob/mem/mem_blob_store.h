// The in-memory blob engine, for tests and benchmarks (`--blob mem://`): blobs live in the
// process and end with it. "Durable" means committed: Commit publishes the bytes under the lock and
// nothing later can change them. Readers share the committed bytes, so a reader outlives the
// removal of its blob as the contract asks. Has no file (GET reads it through ReadAt) and no local
// disk (no free-space check, nothing to clear at start-up). Thread-safe.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_set>
#include <vector>

#include "blob/blob_store.h"

namespace cairn::blob {

class MemBlobStore final : public BlobStore {
 public:
  Result<std::unique_ptr<BlobWriter>> Create() override;
  Result<std::unique_ptr<BlobReader>> Open(const std::string& id) override;
  Status Remove(const std::string& id) override;
  Result<std::vector<std::string>> ListIds(const std::string& after, size_t limit) override;

  // For writers: publishes `bytes` under `id`, or forgets an id whose writer ends uncommitted.
  void Publish(const std::string& id, std::shared_ptr<const std::string> bytes);
  void Forget(const std::string& id);

 private:
  std::mutex mu_;
  // Committed blobs, ordered for ListIds; guarded by mu_.
  std::map<std::string, std::shared_ptr<const std::string>, std::less<>> blobs_;
  // Ids of writers not yet committed, so that no two writers ever share one; guarded by mu_.
  std::unordered_set<std::string> pending_;
};

}  // namespace cairn::blob
