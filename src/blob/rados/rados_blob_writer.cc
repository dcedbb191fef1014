#include "blob/rados/rados_blob_writer.h"

#include <algorithm>

#include "blob/rados/stripes.h"

namespace cairn::blob::rados {
RadosBlobWriter::RadosBlobWriter(std::shared_ptr<Pool> pool, CommitIndex& index, std::string id,
                                 uint64_t stripe_bytes, size_t writes_in_flight)
    : pool_(std::move(pool)),
      index_(index),
      id_(std::move(id)),
      stripe_bytes_(stripe_bytes),
      writes_(writes_in_flight) {
  buffer_.reserve(stripe_bytes_);
}

RadosBlobWriter::~RadosBlobWriter() {
  if (state_ != State::kCommitted) Discard();
}

Status RadosBlobWriter::Fail(Status s) {
  state_ = State::kFailed;
  return s;
}

Status RadosBlobWriter::SendStripe() {
  const std::string name = StripeName(id_, stripes_sent_);
  Status s = writes_.Add("write", name, [&](rados_completion_t completion) {
    return rados_aio_write_full(pool_->io(), name.c_str(), completion, buffer_.data(),
                                buffer_.size());
  });
  // Counted even when the start failed: the removal of a discarded writer must not miss it.
  ++stripes_sent_;
  buffer_.clear();  // librados copied it
  return s;
}

Status RadosBlobWriter::Append(const char* data, size_t size) {
  if (state_ != State::kOpen) return Status(ErrorCode::kStorageIOError, "append to a closed blob");
  while (size > 0) {
    const size_t n = std::min<uint64_t>(size, stripe_bytes_ - buffer_.size());
    buffer_.append(data, n);
    data += n;
    size -= n;
    size_ += n;
    if (buffer_.size() == stripe_bytes_) {
      if (Status s = SendStripe(); !s.ok()) return Fail(s);
    }
  }
  return Status::Ok();
}

Status RadosBlobWriter::Commit() {
  if (state_ != State::kOpen) return Status(ErrorCode::kStorageIOError, "commit of a closed blob");
  if (!buffer_.empty()) {
    if (Status s = SendStripe(); !s.ok()) return Fail(s);
  }
  if (Status s = writes_.WaitAll(); !s.ok()) return Fail(s);
  publish_tried_ = true;
  BlobRecord record;
  record.size = size_;
  record.stripe_bytes = stripe_bytes_;
  record.committed_at = std::chrono::system_clock::now();
  if (Status s = index_.Publish(id_, record); !s.ok()) return Fail(s);
  state_ = State::kCommitted;
  return Status::Ok();
}

void RadosBlobWriter::Discard() {
  (void)writes_.WaitAll();
  // A publish that failed may still have reached the index (a timeout after the request left):
  // the entry goes first, and if it cannot, the stripes stay, so no blob is ever seen half.
  if (publish_tried_ && !index_.Unpublish(id_).ok()) return;
  // Best effort: what is left, the start-up sweep removes.
  (void)RemoveStripes(*pool_, id_, stripes_sent_);
}

}  // namespace cairn::blob::rados
