#include "blob/rados/rados_blob_store.h"

#include <algorithm>
#include <cerrno>

#include "blob/blob_id.h"
#include "blob/rados/rados_blob_reader.h"
#include "blob/rados/rados_blob_writer.h"
#include "blob/rados/stripes.h"

namespace cairn::blob::rados {

Result<std::unique_ptr<BlobStore>> OpenRadosBlobStore(const RadosBlobOptions& options) {
  Result<std::shared_ptr<Pool>> pool = Pool::Connect(options.connect);
  if (!pool.ok()) return pool.error();
  return std::unique_ptr<BlobStore>(std::make_unique<RadosBlobStore>(std::move(*pool), options));
}

RadosBlobStore::RadosBlobStore(std::shared_ptr<Pool> pool, const RadosBlobOptions& options)
    : pool_(std::move(pool)),
      stripe_bytes_(options.stripe_bytes),
      writes_in_flight_(options.writes_in_flight),
      read_ahead_bytes_(options.read_ahead_bytes),
      index_(pool_) {}

Result<std::unique_ptr<BlobWriter>> RadosBlobStore::Create() {
  // 128 random bits do not collide; unlike the file engine there is no cheap exclusive create to
  // prove it, and a round trip per upload to check would buy nothing.
  Result<std::string> id = NewBlobId();
  if (!id.ok()) return id.error();
  return std::unique_ptr<BlobWriter>(std::make_unique<RadosBlobWriter>(
      pool_, index_, std::move(*id), stripe_bytes_, writes_in_flight_));
}

Result<std::unique_ptr<BlobReader>> RadosBlobStore::Open(const std::string& id) {
  if (!IsValidBlobId(id)) return Error(ErrorCode::kStorageNotFound, "invalid blob id '" + id + "'");
  Result<BlobRecord> record = index_.Lookup(id);
  if (!record.ok()) return record.error();
  return std::unique_ptr<BlobReader>(
      std::make_unique<RadosBlobReader>(pool_, id, *record, read_ahead_bytes_));
}

Status RadosBlobStore::Remove(const std::string& id) {
  if (!IsValidBlobId(id))
    return Status(ErrorCode::kStorageNotFound, "invalid blob id '" + id + "'");
  Result<BlobRecord> record = index_.Lookup(id);
  if (!record.ok()) {
    return record.error().code == ErrorCode::kStorageNotFound ? Status::Ok() : record.status();
  }
  // Invisible first, then the bytes: a crash in between leaves unowned stripes, which the start-up
  // sweep removes, never a blob with holes.
  if (Status s = index_.Unpublish(id); !s.ok()) return s;
  return RemoveStripes(*pool_, id, record->stripes());
}

Result<std::vector<std::string>> RadosBlobStore::ListIds(const std::string& after, size_t limit) {
  return index_.IdsAfter(after, limit);
}

Result<std::chrono::system_clock::time_point> RadosBlobStore::CommittedAt(const std::string& id) {
  Result<BlobRecord> record = index_.Lookup(id);
  if (!record.ok()) return record.error();
  return record->committed_at;
}

Status RadosBlobStore::RemoveAbandonedWrites(std::chrono::system_clock::time_point cutoff) {
  rados_list_ctx_t listing = nullptr;
  int rc = rados_nobjects_list_open(pool_->io(), &listing);
  if (rc < 0) return RadosError(rc, "list the objects of", "the pool");
  Status status = Status::Ok();
  for (;;) {
    const char* entry = nullptr;
    size_t entry_size = 0;
    rc =
        rados_nobjects_list_next2(listing, &entry, nullptr, nullptr, &entry_size, nullptr, nullptr);
    if (rc == -ENOENT) break;  // the end
    if (rc < 0) {
      status = RadosError(rc, "list the objects of", "the pool");
      break;
    }
    const std::string name(entry, entry_size);
    std::optional<std::string> owner = StripeOwner(name);
    if (!owner) continue;  // an index object, or not ours
    Result<BlobRecord> record = index_.Lookup(*owner);
    if (record.ok()) continue;  // a committed blob's
    if (record.error().code != ErrorCode::kStorageNotFound) {
      status = record.status();
      break;
    }
    uint64_t size = 0;
    time_t written = 0;
    rc = rados_stat(pool_->io(), name.c_str(), &size, &written);
    if (rc == -ENOENT) continue;  // removed meanwhile
    if (rc < 0) {
      status = RadosError(rc, "stat", name);
      break;
    }
    // Written since the cut-off: another gateway's writer may still be at work.
    if (std::chrono::system_clock::from_time_t(written) >= cutoff) continue;
    rc = rados_remove(pool_->io(), name.c_str());
    if (rc < 0 && rc != -ENOENT) {
      status = RadosError(rc, "remove", name);
      break;
    }
  }
  rados_nobjects_list_close(listing);
  return status;
}

}  // namespace cairn::blob::rados
