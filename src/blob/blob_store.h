// The blob store: immutable byte strings named by generated ids (never by object keys).
// The local file system is the default engine. Methods block; call them off the event loop.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/status.h"

namespace cairn::blob {

// Receives the bytes of one new blob. Nothing is visible under the blob's id until Commit()
// returns OK, and by then the bytes are durable (fsynced, renamed, directory fsynced).
// Destroying a writer that was not committed discards its bytes.
class BlobWriter {
 public:
  virtual ~BlobWriter() = default;
  virtual const std::string& id() const = 0;
  // Errors: InsufficientStorage when the disk is full, InternalError otherwise.
  virtual Status Append(const char* data, size_t size) = 0;
  virtual uint64_t size() const = 0;
  virtual Status Commit() = 0;
};

// Reads a committed blob.
class BlobReader {
 public:
  virtual ~BlobReader() = default;
  virtual uint64_t size() const = 0;
  // Reads up to `size` bytes at `offset`; returns the count read (0 at end).
  virtual Result<size_t> ReadAt(uint64_t offset, char* buffer, size_t size) = 0;
  // The file descriptor for sendfile(2), or -1 when the engine has none.
  virtual int native_fd() const { return -1; }
};

class BlobStore {
 public:
  virtual ~BlobStore() = default;
  virtual Result<std::unique_ptr<BlobWriter>> Create() = 0;
  // Errors: NoSuchKey-like InternalError when the blob is missing.
  virtual Result<std::unique_ptr<BlobReader>> Open(const std::string& id) = 0;
  // Removing a missing blob is not an error.
  virtual Status Remove(const std::string& id) = 0;
  // Every committed blob id (for the start-up orphan sweep).
  virtual Result<std::vector<std::string>> ListIds() = 0;
  // Removes leftovers of writes that never committed (after a crash). Called at start-up.
  virtual Status RemoveTemporaries() = 0;
  // Free bytes on the device that holds the blobs.
  virtual Result<uint64_t> FreeBytes() = 0;
};

}  // namespace cairn::blob
