// Reads one committed RADOS blob by range. Every read is a network round trip to an OSD, so the
// reader keeps several in flight: the pieces of one ReadAt (one per stripe it spans) go out
// together, and once the caller said which range it is about to read
// front to back (WillRead: a GET's body, a part copy), each ReadAt also starts the reads of the
// next `read_ahead` bytes of that range, so that one stream is not one round trip after another.
// Nothing is read beyond the announced range, and without the hint nothing beyond what is asked.
// A ReadAt elsewhere than where the last one ended drops what was read ahead.
//
// Memory: the range asked for plus at most `read_ahead` bytes. Destroying the reader waits for its
// reads in flight (librados must not complete into freed buffers).
#pragma once

#include <rados/librados.h>

#include <cstdint>
#include <deque>
#include <memory>
#include <string>

#include "blob/blob_store.h"
#include "blob/rados/commit_index.h"
#include "blob/rados/rados_pool.h"

namespace cairn::blob::rados {

class RadosBlobReader final : public BlobReader {
 public:
  RadosBlobReader(std::shared_ptr<Pool> pool, std::string id, BlobRecord record,
                  uint64_t read_ahead);
  ~RadosBlobReader() override;
  RadosBlobReader(const RadosBlobReader&) = delete;
  RadosBlobReader& operator=(const RadosBlobReader&) = delete;

  uint64_t size() const override { return record_.size; }
  void WillRead(uint64_t offset, uint64_t length) override;
  // Errors: kStorageNotFound when the blob was removed meanwhile (rados_blob_store.h says why
  // that can happen), kStorageCorruption when a stripe is shorter than the record says.
  Result<size_t> ReadAt(uint64_t offset, char* buffer, size_t size) override;

 private:
  // One asynchronous read of bytes [offset, offset + size) of the blob, all within one stripe.
  struct Chunk {
    uint64_t offset = 0;
    size_t size = 0;
    std::unique_ptr<char[]> bytes;
    rados_completion_t pending = nullptr;  // null once its result was checked
    size_t taken = 0;                      // bytes already given to the caller
  };

  // Starts reads from the end of what is in flight up to `until`, in chunks of at most `chunk`.
  Status StartReadsUntil(uint64_t until, size_t chunk);
  // Waits for the oldest chunk and checks that it holds all its bytes.
  Status Finish(Chunk& chunk);
  void DropReadsInFlight();

  const std::shared_ptr<Pool> pool_;
  const std::string id_;
  const BlobRecord record_;
  const uint64_t read_ahead_;
  uint64_t hinted_end_ = 0;   // the end of the range announced by WillRead (0: none)
  std::deque<Chunk> chunks_;  // contiguous, oldest first
  uint64_t next_ = 0;         // where the next chunk would start: the end of chunks_
};

}  // namespace cairn::blob::rados
