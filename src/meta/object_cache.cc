#include "meta/object_cache.h"

#include <functional>

namespace cairn::meta {

ObjectCache::ObjectCache(uint64_t capacity_bytes) : capacity_(capacity_bytes) {}

std::string ObjectCache::Id(std::string_view bucket, std::string_view key) {
  std::string id;
  id.reserve(bucket.size() + 1 + key.size());
  id.append(bucket).push_back('\0');  // bucket names have no NUL: the split is unambiguous
  id.append(key);
  return id;
}

uint64_t ObjectCache::Cost(const core::ObjectRecord& o) {
  uint64_t cost = sizeof(core::ObjectRecord) + 2 * (o.bucket.size() + o.key.size()) +
                  o.etag.size() + o.inline_data.size() +
                  o.extents.size() * (sizeof(core::Extent) + 32) +
                  o.parts.size() * sizeof(core::ObjectPart);
  for (const auto& [name, value] : o.user_metadata) cost += name.size() + value.size() + 64;
  for (const auto& [name, value] : o.checksums) cost += name.size() + value.size() + 64;
  for (const core::ObjectPart& part : o.parts) {
    for (const auto& [name, value] : part.checksums) cost += name.size() + value.size() + 64;
  }
  return cost;
}

std::atomic<uint64_t>& ObjectCache::GenerationSlot(std::string_view bucket,
                                                   std::string_view key) const {
  const size_t h = std::hash<std::string_view>()(bucket) * 31 + std::hash<std::string_view>()(key);
  return generations_[h % generations_.size()];
}

uint64_t ObjectCache::Generation(std::string_view bucket, std::string_view key) const {
  return GenerationSlot(bucket, key).load(std::memory_order_acquire);
}

std::shared_ptr<const core::ObjectRecord> ObjectCache::Find(std::string_view bucket,
                                                            std::string_view key) {
  const std::string id = Id(bucket, key);
  std::lock_guard lock(mu_);
  auto it = index_.find(id);
  if (it == index_.end()) return nullptr;
  lru_.splice(lru_.begin(), lru_, it->second);
  return it->second->object;
}

void ObjectCache::Fill(const core::ObjectRecord& object, uint64_t generation) {
  const uint64_t cost = Cost(object);
  if (cost > capacity_ / 16) return;  // a few large records must not push out many small ones
  auto shared = std::make_shared<const core::ObjectRecord>(object);
  std::string id = Id(object.bucket, object.key);
  std::lock_guard lock(mu_);
  // Checked under the lock that Drop() also takes: a drop either happened before (refused
  // here) or happens after (and removes this entry).
  if (GenerationSlot(object.bucket, object.key).load(std::memory_order_acquire) != generation)
    return;
  if (auto it = index_.find(id); it != index_.end()) EraseLocked(it);
  lru_.push_front(Entry{id, std::move(shared), cost});
  index_.emplace(std::move(id), lru_.begin());
  bytes_ += cost;
  while (bytes_ > capacity_ && !lru_.empty()) EraseLocked(index_.find(lru_.back().id));
}

void ObjectCache::Drop(std::string_view bucket, std::string_view key) {
  const std::string id = Id(bucket, key);
  std::lock_guard lock(mu_);
  GenerationSlot(bucket, key).fetch_add(1, std::memory_order_acq_rel);
  if (auto it = index_.find(id); it != index_.end()) EraseLocked(it);
}

void ObjectCache::EraseLocked(
    std::unordered_map<std::string, std::list<Entry>::iterator>::iterator it) {
  bytes_ -= it->second->bytes;
  lru_.erase(it->second);
  index_.erase(it);
}

uint64_t ObjectCache::bytes() const {
  std::lock_guard lock(mu_);
  return bytes_;
}

}  // namespace cairn::meta
