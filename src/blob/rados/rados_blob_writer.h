// Writes one blob into a RADOS pool as it streams in: Append fills a buffer of one stripe; a full
// stripe is sent with an asynchronous write and Append goes on filling the buffer again, so the
// network to the OSDs works while the body still arrives. At most `writes_in_flight` stripe writes
// are in flight; one more waits for the oldest. Memory per writer: one stripe here, plus the copies
// librados keeps of the stripes in flight (its C API copies the bytes before returning).
//
// Commit waits until the cluster acknowledged every stripe (RADOS acknowledges a write once every
// replica has it on stable storage), then publishes the blob in the commit index: only then is it
// visible, and whole. A failed stripe write fails the next Append or Commit. A writer destroyed
// without a successful Commit removes the stripes it wrote (best effort: what a crash leaves, the
// start-up sweep removes once it is older than the grace period).
#pragma once

#include <memory>
#include <string>

#include "blob/blob_store.h"
#include "blob/rados/commit_index.h"
#include "blob/rados/rados_pool.h"

namespace cairn::blob::rados {

class RadosBlobWriter final : public BlobWriter {
 public:
  RadosBlobWriter(std::shared_ptr<Pool> pool, CommitIndex& index, std::string id,
                  uint64_t stripe_bytes, size_t writes_in_flight);
  ~RadosBlobWriter() override;

  const std::string& id() const override { return id_; }
  uint64_t size() const override { return size_; }
  Status Append(const char* data, size_t size) override;
  Status Commit() override;

 private:
  enum class State { kOpen, kFailed, kCommitted };

  // Sends the buffer as the next stripe (without waiting for it).
  Status SendStripe();
  Status Fail(Status s);
  // Removes what this writer wrote (its stripes, and its index entry if publishing may have
  // happened); best effort.
  void Discard();

  const std::shared_ptr<Pool> pool_;
  CommitIndex& index_;
  const std::string id_;
  const uint64_t stripe_bytes_;
  AioWindow writes_;
  std::string buffer_;
  uint64_t size_ = 0;
  uint64_t stripes_sent_ = 0;
  bool publish_tried_ = false;
  State state_ = State::kOpen;
};

}  // namespace cairn::blob::rados
