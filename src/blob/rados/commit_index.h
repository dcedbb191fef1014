// Which blobs of a RADOS store are committed, and their shape: one omap entry per blob (key: the
// id, value: its record) in 256 index objects, `cairn.index.<the id's first two hex digits>`.
//
// Why omap rather than a head object per blob: RADOS lists a pool's objects in hash order, but the
// start-up sweep pages through ids in ascending order. An object's omap keys are kept sorted and
// are read from a cursor on (`start_after`), so walking the shards in order lists ids in order, a
// page at a time, at the cost of the page (not of the pool). Publishing is one atomic omap write,
// so a blob becomes visible whole; unpublishing is one too. 256 shards keep each index object well
// below Ceph's "large omap object" warning (200,000 keys) up to about 50 million blobs.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "blob/rados/rados_pool.h"
#include "common/status.h"

namespace cairn::blob::rados {

struct BlobRecord {
  uint64_t size = 0;
  uint64_t stripe_bytes = 0;  // every stripe but the last holds exactly this many bytes
  std::chrono::system_clock::time_point committed_at{};

  uint64_t stripes() const {
    return stripe_bytes == 0 ? 0 : (size + stripe_bytes - 1) / stripe_bytes;
  }
};

class CommitIndex {
 public:
  explicit CommitIndex(std::shared_ptr<Pool> pool) : pool_(std::move(pool)) {}

  // Makes `id` visible with `record`; returns once the cluster acknowledged it.
  Status Publish(const std::string& id, const BlobRecord& record);
  // Errors: kStorageNotFound when `id` is not published.
  Result<BlobRecord> Lookup(const std::string& id);
  // Missing is not an error.
  Status Unpublish(const std::string& id);
  // Up to `limit` published ids greater than `after`, ascending (BlobStore::ListIds).
  Result<std::vector<std::string>> IdsAfter(const std::string& after, size_t limit);

  // Whether a pool object is one of the index's own.
  static bool IsIndexObject(const std::string& name);

 private:
  std::shared_ptr<Pool> pool_;
};

}  // namespace cairn::blob::rados
