#include "blob/fault/fault_blob_store.h"

#include <optional>

namespace cairn::blob {
namespace {

Error Crashed(std::string_view call) { return InjectedError(FaultKind::kCrash, call); }

class FaultBlobWriter final : public BlobWriter {
 public:
  FaultBlobWriter(std::unique_ptr<BlobWriter> engine, FaultPlan& plan)
      : engine_(std::move(engine)), plan_(plan) {}

  const std::string& id() const override { return engine_->id(); }
  uint64_t size() const override { return engine_->size(); }

  Status Append(const char* data, size_t size) override {
    if (failed_) return Status(ErrorCode::kStorageIOError, "append to a failed blob");
    std::optional<FaultKind> fault = plan_.Take(FaultTarget::kBlobWrite);
    if (!fault) return engine_->Append(data, size);
    failed_ = true;
    if (*fault == FaultKind::kShortWrite) {
      if (Status s = engine_->Append(data, size / 2); !s.ok()) return s;
    }
    return InjectFault(*fault, "write blob " + id(), [&] { return engine_->Append(data, size); });
  }

  Status Commit() override {
    if (failed_) return Status(ErrorCode::kStorageIOError, "commit of a failed blob");
    std::optional<FaultKind> fault = plan_.Take(FaultTarget::kBlobSync);
    if (!fault) return engine_->Commit();
    // Not committed, and the engine's writer discards the bytes when destroyed; but for EIO_AFTER,
    // whose blob is committed with no one told: an orphan for the start-up sweep.
    failed_ = true;
    return InjectFault(*fault, "sync blob " + id(), [&] { return engine_->Commit(); });
  }

 private:
  const std::unique_ptr<BlobWriter> engine_;
  FaultPlan& plan_;
  bool failed_ = false;
};

class FaultBlobReader final : public BlobReader {
 public:
  FaultBlobReader(std::unique_ptr<BlobReader> engine, FaultPlan& plan, std::string id)
      : engine_(std::move(engine)), plan_(plan), id_(std::move(id)) {}

  uint64_t size() const override { return engine_->size(); }
  const FileBacking* file() const override { return engine_->file(); }
  void WillRead(uint64_t offset, uint64_t length) override { engine_->WillRead(offset, length); }

  Result<size_t> ReadAt(uint64_t offset, char* buffer, size_t size) override {
    if (std::optional<FaultKind> fault = plan_.Take(FaultTarget::kBlobRead)) {
      return InjectFault(*fault, "read blob " + id_,
                         [&] { return engine_->ReadAt(offset, buffer, size); });
    }
    return engine_->ReadAt(offset, buffer, size);
  }

 private:
  const std::unique_ptr<BlobReader> engine_;
  FaultPlan& plan_;
  const std::string id_;
};

}  // namespace

FaultBlobStore::FaultBlobStore(std::unique_ptr<BlobStore> engine, FaultPlan& plan)
    : engine_(std::move(engine)), plan_(plan) {}

Result<std::unique_ptr<BlobWriter>> FaultBlobStore::Create() {
  if (plan_.crashed()) return Crashed("create blob");
  Result<std::unique_ptr<BlobWriter>> writer = engine_->Create();
  if (!writer.ok()) return writer;
  return std::unique_ptr<BlobWriter>(std::make_unique<FaultBlobWriter>(std::move(*writer), plan_));
}

Result<std::unique_ptr<BlobReader>> FaultBlobStore::Open(const std::string& id) {
  if (std::optional<FaultKind> fault = plan_.Take(FaultTarget::kBlobRead)) {
    return InjectFault(*fault, "open blob " + id, [&] { return engine_->Open(id); });
  }
  Result<std::unique_ptr<BlobReader>> reader = engine_->Open(id);
  if (!reader.ok()) return reader;
  return std::unique_ptr<BlobReader>(
      std::make_unique<FaultBlobReader>(std::move(*reader), plan_, id));
}

Status FaultBlobStore::Remove(const std::string& id) {
  if (std::optional<FaultKind> fault = plan_.Take(FaultTarget::kBlobDelete)) {
    return InjectFault(*fault, "remove blob " + id, [&] { return engine_->Remove(id); });
  }
  return engine_->Remove(id);
}

Result<std::vector<std::string>> FaultBlobStore::ListIds(const std::string& after, size_t limit) {
  if (plan_.crashed()) return Crashed("list blobs");
  return engine_->ListIds(after, limit);
}

}  // namespace cairn::blob
