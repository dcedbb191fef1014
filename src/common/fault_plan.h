// Faults armed for the storage engines' fault wrappers (blob/fault, meta/fault) and the
// `/_cairn/test/fault` hook: "fail the next N calls of this kind with this error". One plan is
// shared by both wrappers of a server, so a test arms faults in one place. Thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string_view>

#include "common/status.h"

namespace cairn {

// The storage calls a fault can be armed for.
enum class FaultTarget {
  kBlobWrite,   // BlobWriter::Append
  kBlobSync,    // BlobWriter::Commit (the durability point)
  kBlobRead,    // BlobStore::Open and BlobReader reads
  kBlobDelete,  // BlobStore::Remove
  kMetaCommit,  // every MetaStore call that writes
  kMetaRead,    // every MetaStore call that only reads
};
inline constexpr size_t kFaultTargetCount = 6;

enum class FaultKind {
  kNoSpace,       // ENOSPC
  kIoError,       // EIO
  kShortWrite,    // part of the bytes are written, then EIO (writes only; EIO elsewhere)
  kCrash,         // a power cut here: this call and every later one fail, nothing more is durable
  kBusy,          // the engine is locked by other work (SQLITE_BUSY past the busy timeout)
  kUnavailable,   // the engine cannot be reached (a lost connection, a file that cannot be opened)
  kIoErrorAfter,  // the call takes effect, then fails with EIO and Error::outcome_unknown, as a
                  // COMMIT whose fsync failed after the commit record was written
};

// "blob.write", "blob.sync", "blob.read", "blob.delete", "meta.commit", "meta.read".
std::optional<FaultTarget> ParseFaultTarget(std::string_view name);
std::string_view FaultTargetName(FaultTarget target);
// "ENOSPC", "EIO", "SHORT_WRITE", "CRASH", "BUSY", "UNAVAILABLE", "EIO_AFTER".
std::optional<FaultKind> ParseFaultKind(std::string_view name);

// The storage failure an engine would return for `kind` in `call` (e.g. "write blob 00ff..."),
// its message saying that the fault was injected (for the log):
//   ENOSPC -> kStorageNoSpace, EIO and SHORT_WRITE -> kStorageIOError, BUSY -> kStorageBusy,
//   CRASH and UNAVAILABLE -> kStorageUnavailable (after a power cut the engine is off),
//   EIO_AFTER -> kStorageIOError with outcome_unknown.
Error InjectedError(FaultKind kind, std::string_view call);

// For a fault wrapper: InjectedError(`kind`, `call`), after running `effect` (the engine's own
// call, whose answer is dropped) when `kind` is EIO_AFTER. Every other kind fails the call before
// the engine sees it.
template <typename Effect>
Error InjectFault(FaultKind kind, std::string_view call, Effect&& effect) {
  if (kind == FaultKind::kIoErrorAfter) (void)effect();
  return InjectedError(kind, call);
}

class FaultPlan {
 public:
  // The next `count` calls of `target` fail with `kind` (replacing what was armed for it).
  void Arm(FaultTarget target, FaultKind kind, uint32_t count);
  // Disarms everything, a crash included.
  void Clear();
  // For the wrapper, at the start of each call of `target`: the fault to inject, if one is armed
  // (counting it), or kCrash for every call once a crash was injected.
  std::optional<FaultKind> Take(FaultTarget target);
  // Whether an injected crash has happened (the engine is "off" until Clear).
  bool crashed() const;

 private:
  struct Armed {
    FaultKind kind = FaultKind::kIoError;
    uint32_t remaining = 0;
  };
  mutable std::mutex mutex_;
  std::array<Armed, kFaultTargetCount> armed_{};
  bool crashed_ = false;
};

}  // namespace cairn
