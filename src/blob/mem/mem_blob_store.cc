#include "blob/mem/mem_blob_store.h"

#include <algorithm>
#include <cstring>

#include "blob/blob_id.h"

namespace cairn::blob {
namespace {

class MemBlobWriter final : public BlobWriter {
 public:
  MemBlobWriter(MemBlobStore& store, std::string id) : store_(store), id_(std::move(id)) {}
  ~MemBlobWriter() override {
    if (!committed_) store_.Forget(id_);
  }

  const std::string& id() const override { return id_; }
  uint64_t size() const override { return bytes_.size(); }

  Status Append(const char* data, size_t size) override {
    if (closed_) return Status(ErrorCode::kStorageIOError, "append to a closed blob");
    bytes_.append(data, size);
    return Status::Ok();
  }

  Status Commit() override {
    if (closed_) return Status(ErrorCode::kStorageIOError, "commit of a closed blob");
    closed_ = true;
    store_.Publish(id_, std::make_shared<const std::string>(std::move(bytes_)));
    committed_ = true;
    return Status::Ok();
  }

 private:
  MemBlobStore& store_;
  const std::string id_;
  std::string bytes_;
  bool closed_ = false;
  bool committed_ = false;
};

class MemBlobReader final : public BlobReader {
 public:
  explicit MemBlobReader(std::shared_ptr<const std::string> bytes) : bytes_(std::move(bytes)) {}

  uint64_t size() const override { return bytes_->size(); }

  Result<size_t> ReadAt(uint64_t offset, char* buffer, size_t size) override {
    if (offset >= bytes_->size()) return size_t{0};
    const size_t n = std::min<uint64_t>(size, bytes_->size() - offset);
    std::memcpy(buffer, bytes_->data() + offset, n);
    return n;
  }

 private:
  const std::shared_ptr<const std::string> bytes_;
};

}  // namespace

Result<std::unique_ptr<BlobWriter>> MemBlobStore::Create() {
  for (int attempt = 0; attempt < 3; ++attempt) {
    Result<std::string> id = NewBlobId();
    if (!id.ok()) return id.error();
    std::lock_guard lock(mu_);
    if (blobs_.contains(*id) || !pending_.insert(*id).second) continue;
    return std::unique_ptr<BlobWriter>(std::make_unique<MemBlobWriter>(*this, std::move(*id)));
  }
  return Error(ErrorCode::kStorageAlreadyExists, "could not pick a fresh blob id");
}

void MemBlobStore::Publish(const std::string& id, std::shared_ptr<const std::string> bytes) {
  std::lock_guard lock(mu_);
  pending_.erase(id);
  blobs_.emplace(id, std::move(bytes));
}

void MemBlobStore::Forget(const std::string& id) {
  std::lock_guard lock(mu_);
  pending_.erase(id);
}

Result<std::unique_ptr<BlobReader>> MemBlobStore::Open(const std::string& id) {
  std::lock_guard lock(mu_);
  auto it = blobs_.find(id);
  if (it == blobs_.end()) return Error(ErrorCode::kStorageNotFound, "blob " + id + " is missing");
  return std::unique_ptr<BlobReader>(std::make_unique<MemBlobReader>(it->second));
}

Status MemBlobStore::Remove(const std::string& id) {
  std::lock_guard lock(mu_);
  blobs_.erase(id);
  return Status::Ok();
}

Result<std::vector<std::string>> MemBlobStore::ListIds(const std::string& after, size_t limit) {
  std::vector<std::string> ids;
  std::lock_guard lock(mu_);
  for (auto it = blobs_.upper_bound(after); it != blobs_.end() && ids.size() < limit; ++it) {
    ids.push_back(it->first);
  }
  return ids;
}

}  // namespace cairn::blob
