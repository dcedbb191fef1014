// The Ceph RADOS blob engine (`--blob
// rados://POOL?conf=/etc/ceph/ceph.conf&user=NAME&stripe=BYTES`): blobs striped over the objects of
// one pool, so that several gateways can share one store.
//
//   <id>.<i>               stripe i of blob <id> (stripes.h), stripe_bytes each but the last
//   cairn.index.<ab>       the commit index: an omap entry per committed blob whose id starts with
//                          <ab> (commit_index.h says why an omap and not a head object)
//
// Writes stream and are pipelined (rados_blob_writer.h); a blob is visible only once its index
// entry is written, after every stripe was acknowledged. Remove unpublishes first, then removes the
// stripes, so no half blob is ever visible. Readers read only the byte ranges they need, several
// reads in flight (rados_blob_reader.h); there is no file to send (file() is null). The pool must
// be cairn's alone (or give each store its own RADOS namespace): any other object named like a
// stripe is taken for one.
//
// Deviation from the BlobStore contract: a reader does NOT keep the bytes of a blob removed while
// it reads (RADOS has no open-file reference; only pool snapshots could keep them). Its next ReadAt
// fails with kStorageNotFound. cairn does not lose acknowledged data to it: blobs are removed only
// when no record names them any more (core/blob_reclaimer.h), and the reclaimer of the gateway
// that released them waits for its own readers that may still use them. A GET served by ANOTHER
// gateway sharing the store does not hold that gateway's deletions back: it may fail mid-body with
// a storage error (the client sees a truncated response, retries, and reads the new version).
//
// Shared by gateways (SharedStore): commit times are in the index; RemoveAbandonedWrites removes
// stripes that no index entry owns and that were last written before a cut-off (a full pool
// listing, once at start-up).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "blob/blob_store.h"
#include "blob/rados/commit_index.h"
#include "blob/rados/rados_pool.h"

namespace cairn::blob::rados {

struct RadosBlobOptions {
  ConnectOptions connect;
  uint64_t stripe_bytes = 4 << 20;
  size_t writes_in_flight = 4;          // per writer
  uint64_t read_ahead_bytes = 1 << 20;  // per reader (rados_blob_reader.h)
};

// Errors: kStorageUnavailable when the cluster or the pool cannot be reached.
Result<std::unique_ptr<BlobStore>> OpenRadosBlobStore(const RadosBlobOptions& options);

class RadosBlobStore final : public BlobStore, public SharedStore {
 public:
  RadosBlobStore(std::shared_ptr<Pool> pool, const RadosBlobOptions& options);

  Result<std::unique_ptr<BlobWriter>> Create() override;
  Result<std::unique_ptr<BlobReader>> Open(const std::string& id) override;
  Status Remove(const std::string& id) override;
  Result<std::vector<std::string>> ListIds(const std::string& after, size_t limit) override;
  SharedStore* shared() override { return this; }

  Result<std::chrono::system_clock::time_point> CommittedAt(const std::string& id) override;
  Status RemoveAbandonedWrites(std::chrono::system_clock::time_point cutoff) override;

 private:
  const std::shared_ptr<Pool> pool_;
  const uint64_t stripe_bytes_;
  const size_t writes_in_flight_;
  const uint64_t read_ahead_bytes_;
  CommitIndex index_;
};

}  // namespace cairn::blob::rados
