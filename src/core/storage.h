// What the core services work on: the two stores, the reclaimer that deletes released blobs, the
// worker pools that run blocking work, and the limits that decide where a body goes. The
// composition root (app/) builds one; the S3 layer hands it to the services and never touches the
// stores itself, so it needs no engine header (they are only declared here).
#pragma once

#include <boost/asio/thread_pool.hpp>
#include <cstdint>
#include <string>
#include <utility>

#include "common/offload.h"

namespace cairn::meta {
class MetaStore;
class ObjectCache;
}  // namespace cairn::meta
namespace cairn::blob {
class BlobStore;
class FreeSpaceGauge;
}  // namespace cairn::blob

namespace cairn::core {

class BlobReclaimer;

struct StorageLimits {
  uint64_t free_space_reserve = 256ull << 20;  // refuse bodies that would leave less free space
  uint64_t inline_max_bytes = 64 << 10;        // objects this small live in the metadata store
  std::string region = "auto";                 // the location of buckets created without one
};

struct Storage {
  meta::MetaStore& meta;
  blob::BlobStore& blobs;
  BlobReclaimer& reclaimer;  // deletes released blobs, never under a reader
  // Work that may wait for the disk: blob writes and fsyncs, metadata commits (Blocking). Many
  // threads, since each may wait long.
  boost::asio::thread_pool& pool;
  // Metadata lookups, which only read (Lookup): a thread per core, so that a GET never queues
  // behind an fsync, and few enough that handing work over stays cheap.
  boost::asio::thread_pool& lookups;
  StorageLimits limits{};
  // The blob engine's free space, for the free-space reserve; null: the engine has no local disk.
  blob::FreeSpaceGauge* free_space = nullptr;
  // Hot objects' records (kept right by the CachingMetaStore that `meta` is); null: no cache.
  meta::ObjectCache* object_cache = nullptr;

  // Runs work that may wait for the disk (blob I/O, metadata writes) on the worker pool.
  template <typename F>
  auto Blocking(F work) {
    return RunBlocking(pool, std::move(work));
  }
  // Runs a metadata read (and the opening of blob files) on the lookup pool.
  template <typename F>
  auto Lookup(F work) {
    return RunBlocking(lookups, std::move(work));
  }
};

}  // namespace cairn::core
