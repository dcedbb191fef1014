// Recently read objects, in memory: a GET of a hot key is answered without a trip to the worker
// pool or a metadata lookup (and a small object's bytes come with its record). The cache only
// ever holds what the store answered, and it never serves a version older than the last
// acknowledged write: CachingMetaStore drops a key after every write that changes it, before the
// write returns, and a fill that raced with such a drop is refused (per-key generations).
// Bounded by bytes, least recently used first out. Thread-safe; no call blocks on I/O.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/records.h"

namespace cairn::meta {

class ObjectCache {
 public:
  explicit ObjectCache(uint64_t capacity_bytes);

  // The cached record of bucket/key, or null.
  std::shared_ptr<const core::ObjectRecord> Find(std::string_view bucket, std::string_view key);

  // Read before looking the key up in the store, and given back to Fill with what was found.
  uint64_t Generation(std::string_view bucket, std::string_view key) const;
  // Caches `object` unless its key was dropped since `generation` was read, or it is too large.
  void Fill(const core::ObjectRecord& object, uint64_t generation);
  // Forgets bucket/key (after a write that changed it).
  void Drop(std::string_view bucket, std::string_view key);

  uint64_t bytes() const;

 private:
  struct Entry {
    std::string id;  // bucket + '\0' + key
    std::shared_ptr<const core::ObjectRecord> object;
    uint64_t bytes;
  };
  static std::string Id(std::string_view bucket, std::string_view key);
  static uint64_t Cost(const core::ObjectRecord& object);
  std::atomic<uint64_t>& GenerationSlot(std::string_view bucket, std::string_view key) const;
  void EraseLocked(std::unordered_map<std::string, std::list<Entry>::iterator>::iterator it);

  const uint64_t capacity_;
  // Generations are per hash slot, not per key: two keys in one slot only refuse a few fills.
  mutable std::array<std::atomic<uint64_t>, 4096> generations_{};
  mutable std::mutex mu_;
  std::list<Entry> lru_;  // most recently used first; guarded by mu_
  std::unordered_map<std::string, std::list<Entry>::iterator> index_;
  uint64_t bytes_ = 0;
};

}  // namespace cairn::meta
