#include "blob/rados/rados_blob_reader.h"

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "blob/rados/stripes.h"

namespace cairn::blob::rados {
namespace {

// Reads read ahead are at least this big, so that a caller reading a few bytes at a time does not
// set thousands of tiny reads in flight.
constexpr size_t kMinChunk = 64 << 10;

}  // namespace

RadosBlobReader::RadosBlobReader(std::shared_ptr<Pool> pool, std::string id, BlobRecord record,
                                 uint64_t read_ahead)
    : pool_(std::move(pool)), id_(std::move(id)), record_(record), read_ahead_(read_ahead) {}

RadosBlobReader::~RadosBlobReader() { DropReadsInFlight(); }

void RadosBlobReader::WillRead(uint64_t offset, uint64_t length) {
  hinted_end_ = std::min(record_.size, offset + length);
}

Result<size_t> RadosBlobReader::ReadAt(uint64_t offset, char* buffer, size_t size) {
  if (offset >= record_.size) return size_t{0};
  const size_t total = std::min<uint64_t>(size, record_.size - offset);
  if (chunks_.empty() || chunks_.front().offset + chunks_.front().taken != offset) {
    DropReadsInFlight();  // not where the last read ended: what was read ahead is of no use
    next_ = offset;
  }
  uint64_t until = offset + total;
  if (offset < hinted_end_) {
    until = std::max(until, std::min(hinted_end_, until + read_ahead_));
  }
  // Chunks of the caller's piece size: the next ReadAt of the same size takes whole chunks.
  if (Status started = StartReadsUntil(until, std::max(total, kMinChunk)); !started.ok()) {
    DropReadsInFlight();
    return started.error();
  }
  for (size_t done = 0; done < total;) {
    Chunk& chunk = chunks_.front();
    if (Status finished = Finish(chunk); !finished.ok()) {
      DropReadsInFlight();
      return finished.error();
    }
    const size_t n = std::min(total - done, chunk.size - chunk.taken);
    std::memcpy(buffer + done, chunk.bytes.get() + chunk.taken, n);
    chunk.taken += n;
    done += n;
    if (chunk.taken == chunk.size) chunks_.pop_front();
  }
  return total;
}

Status RadosBlobReader::StartReadsUntil(uint64_t until, size_t chunk_size) {
  while (next_ < until) {
    const uint64_t index = next_ / record_.stripe_bytes;
    const uint64_t within = next_ % record_.stripe_bytes;
    const size_t size = static_cast<size_t>(
        std::min<uint64_t>({chunk_size, record_.stripe_bytes - within, until - next_}));
    const std::string name = StripeName(id_, index);
    Chunk chunk{
        .offset = next_, .size = size, .bytes = std::make_unique_for_overwrite<char[]>(size)};
    int rc = rados_aio_create_completion2(nullptr, nullptr, &chunk.pending);
    if (rc < 0) return RadosError(rc, "aio completion for", name);
    rc = rados_aio_read(pool_->io(), name.c_str(), chunk.pending, chunk.bytes.get(), size, within);
    if (rc < 0) {
      rados_aio_release(chunk.pending);
      return RadosError(rc, "read", name);
    }
    chunks_.push_back(std::move(chunk));
    next_ += size;
  }
  return Status::Ok();
}

Status RadosBlobReader::Finish(Chunk& chunk) {
  if (!chunk.pending) return Status::Ok();
  rados_aio_wait_for_complete(chunk.pending);
  const int rc = rados_aio_get_return_value(chunk.pending);
  rados_aio_release(chunk.pending);
  chunk.pending = nullptr;
  const std::string name = StripeName(id_, chunk.offset / record_.stripe_bytes);
  if (rc == -ENOENT) {
    return Status(ErrorCode::kStorageNotFound,
                  "rados: blob " + id_ + " was removed while being read (stripe " + name + ")");
  }
  if (rc < 0) return RadosError(rc, "read", name);
  if (static_cast<size_t>(rc) != chunk.size) {
    return Status(ErrorCode::kStorageCorruption,
                  "rados: stripe " + name + " is shorter than its blob's record says");
  }
  return Status::Ok();
}

void RadosBlobReader::DropReadsInFlight() {
  for (Chunk& chunk : chunks_) {
    if (!chunk.pending) continue;
    rados_aio_wait_for_complete(chunk.pending);
    rados_aio_release(chunk.pending);
  }
  chunks_.clear();
}

}  // namespace cairn::blob::rados
