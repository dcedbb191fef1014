// A BlobStore that fails the calls a FaultPlan arms and passes every other call to the engine it
// wraps, so that tests (and `--enable-test-hooks` servers) run the ENOSPC, EIO, short-write,
// failed-fsync and power-cut paths of whatever sits above the blob store. With nothing armed it
// behaves as its engine (the shared suite holds it to the contract).
//
// Which call each target fails, and how:
//   blob.write   BlobWriter::Append: ENOSPC -> kStorageNoSpace, EIO -> kStorageIOError,
//                SHORT_WRITE -> half the bytes reach the engine, then kStorageIOError (EIO)
//   blob.sync    BlobWriter::Commit: the blob is not published (the engine's writer discards it)
//   blob.read    BlobStore::Open and BlobReader::ReadAt
//   blob.delete  BlobStore::Remove: the blob stays
// A failed writer is spent, as an engine's is after a failed write. CRASH fails the call with
// kStorageUnavailable and so every later call of any kind (Create and ListIds too) until the plan
// is cleared: what was committed stays, what was not never becomes visible, and nothing is removed
// after it, as after a power cut. BUSY and UNAVAILABLE fail the call with kStorageBusy and
// kStorageUnavailable; ENOSPC elsewhere than on a write is kStorageNoSpace, as the engine would
// report that errno (common/fault_plan.h: InjectedError). EIO_AFTER lets the engine's call run,
// then fails it with kStorageIOError and outcome_unknown: after blob.sync the blob is committed
// though the caller was told it failed, after blob.delete it is gone.
//
// A reader offers its engine's file when it has one, so GET stays zero-copy under the wrapper and
// a read fault strikes at Open; wrap an engine without a file (blob/mem) to fail reads mid-body.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "blob/blob_store.h"
#include "common/fault_plan.h"

namespace cairn::blob {

class FaultBlobStore final : public BlobStore {
 public:
  // `plan` is shared with the server's other fault wrappers and must outlive this store.
  FaultBlobStore(std::unique_ptr<BlobStore> engine, FaultPlan& plan);

  Result<std::unique_ptr<BlobWriter>> Create() override;
  Result<std::unique_ptr<BlobReader>> Open(const std::string& id) override;
  Status Remove(const std::string& id) override;
  Result<std::vector<std::string>> ListIds(const std::string& after, size_t limit) override;
  LocalDisk* local_disk() override { return engine_->local_disk(); }
  SharedStore* shared() override { return engine_->shared(); }

 private:
  const std::unique_ptr<BlobStore> engine_;
  FaultPlan& plan_;
};

}  // namespace cairn::blob
