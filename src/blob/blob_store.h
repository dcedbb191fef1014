// The blob store: immutable byte strings named by generated ids (never by object keys). Engines:
// the local file system (blob/fs), a Ceph RADOS pool (blob/rados), memory (blob/mem, for tests and
// benchmarks), and a wrapper that injects faults into any of them (blob/fault). Methods block;
// call them off the event loop.
//
// The contract every engine keeps (blob_store_suite_test.cc holds them to it):
// - A blob is written as a stream of appends and becomes visible under its id, whole, when its
//   writer's Commit() returns OK; Commit returns only once the bytes survive a power cut. A writer
//   destroyed without a successful Commit leaves nothing behind; what a crash left of unfinished
//   writes is never visible, and an engine with a local disk clears it at start-up
//   (LocalDisk::RemoveTemporaries, called by the start-up sweep before serving); an engine that
//   several gateways share clears only what is older than a grace period (SharedStore).
// - A committed blob never changes. A reader sees the bytes of the blob it opened even if the blob
//   is removed meanwhile. Exception: a RADOS reader fails with kStorageNotFound instead
//   (rados_blob_store.h says why, and why cairn does not lose data to it).
// - Ids are 32 lowercase hex digits (128 random bits): unguessable, and fresh without coordination.
// - The store is thread-safe; each writer and reader is used by one thread at a time. Writers must
//   not outlive their store; readers may.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/status.h"

namespace cairn::blob {

// Receives the bytes of one new blob.
class BlobWriter {
 public:
  virtual ~BlobWriter() = default;
  virtual const std::string& id() const = 0;
  // Errors: kStorageNoSpace when the storage is full, another storage failure otherwise
  // (common/status.h). After an error the writer is spent: only destroying it is left.
  virtual Status Append(const char* data, size_t size) = 0;
  virtual uint64_t size() const = 0;
  // Publishes the blob; on success its bytes survive a power cut. On an error nothing is published.
  virtual Status Commit() = 0;
};

// An open file that holds a blob's bytes from offset 0, for sendfile(2). Valid while its reader is.
struct FileBacking {
  int fd = -1;
};

// Reads a committed blob.
class BlobReader {
 public:
  virtual ~BlobReader() = default;
  virtual uint64_t size() const = 0;
  // Reads up to `size` bytes at `offset` into `buffer`; returns the count read, short only at the
  // end of the blob (0 at or past it).
  virtual Result<size_t> ReadAt(uint64_t offset, char* buffer, size_t size) = 0;
  // A hint: the caller is about to read [offset, offset + length) front to back. Engines whose
  // reads are network round trips read ahead within it; the others have no use for it.
  virtual void WillRead(uint64_t /*offset*/, uint64_t /*length*/) {}
  // Engines that keep each blob in a file of its own offer it, so that GET can send it zero-copy;
  // the others return null and are read through ReadAt.
  virtual const FileBacking* file() const { return nullptr; }
};

// What only engines on a local file system have to do: report the free space of their device (for
// the free-space reserve and the metrics), and clear the leftovers of writes a crash interrupted
// (once, at start-up, before serving). Both block, like everything else here.
class LocalDisk {
 public:
  virtual ~LocalDisk() = default;
  virtual Result<uint64_t> FreeBytes() = 0;
  virtual Status RemoveTemporaries() = 0;
};

// What only engines that several gateways may share have to offer (a network store, unlike a data
// dir's disk that one process locks): another gateway may have committed a blob and not yet the
// record that names it, or may still be writing one, so the start-up sweep removes only what is
// older than a grace period.
class SharedStore {
 public:
  virtual ~SharedStore() = default;
  // When blob `id` was committed. Errors: kStorageNotFound when it is not (or no longer) there.
  virtual Result<std::chrono::system_clock::time_point> CommittedAt(const std::string& id) = 0;
  // Removes what writers that never committed left behind, when last written before `cutoff`.
  virtual Status RemoveAbandonedWrites(std::chrono::system_clock::time_point cutoff) = 0;
};

class BlobStore {
 public:
  virtual ~BlobStore() = default;
  virtual Result<std::unique_ptr<BlobWriter>> Create() = 0;
  // Errors: kStorageNotFound when the blob is missing (metadata names only committed blobs, so a
  // missing one is damage, not a client's mistake: the client is told InternalError).
  virtual Result<std::unique_ptr<BlobReader>> Open(const std::string& id) = 0;
  // Removing a missing blob is not an error.
  virtual Status Remove(const std::string& id) = 0;
  // Up to `limit` (> 0) committed ids greater than `after` ("" for the first page), in ascending
  // order; a page shorter than `limit` is the last. For the start-up orphan sweep, which may remove
  // the ids of a page before it asks for the next.
  virtual Result<std::vector<std::string>> ListIds(const std::string& after, size_t limit) = 0;
  // The engine's local disk, when it has one; null otherwise.
  virtual LocalDisk* local_disk() { return nullptr; }
  // The engine's shared-store side, when other gateways may use the same store; null otherwise.
  virtual SharedStore* shared() { return nullptr; }
};

}  // namespace cairn::blob
