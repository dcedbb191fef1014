// Deleting the blob files that the metadata store no longer references, without pulling them from
// under a reader. A GET that read an object's metadata before it was overwritten may still be
// sending its bytes, and a copy that read its source's metadata may be about to reference the
// source's blobs. So readers announce themselves (BeginRead) before they read metadata, and a blob
// released while an earlier reader is still active is deleted only once all such readers ended,
// and only if it was not referenced again meanwhile (by such a copy). A reader that starts after a
// release reads metadata that no longer names the blob, so it never holds one back.
//
// A deletion that fails (a disk error) is tried again with the next release, up to a bound; a
// crash, or more failures than the bound, may leave released blobs behind: the start-up sweep
// removes unreferenced ones.
// A reader that never ends (a stalled download) delays deletions until it does; the HTTP layer's
// I/O timeout bounds that.
//
// Gateways that share their stores (a PostgreSQL metadata store) cannot see each other's readers:
// a GET on another gateway may still be sending a blob this one released, and a copy there may be
// about to reference it again. With a `grace`, every released blob is kept at least that long and
// then deleted only if no record references it again; RemoveDue, called periodically, finds the
// ones whose grace has passed. A reader elsewhere that outlasts the grace, or a copy whose
// metadata read and commit lie further apart, is not covered: the grace is the bound
// (docs/scale-out.md). Thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "blob/blob_store.h"
#include "meta/meta_store.h"

namespace cairn::core {

class BlobReclaimer {
 public:
  // `schedule` runs blocking work (file deletion, metadata lookups) off the event loop: deletions
  // that become due when a reader ends are handed to it, since readers end on the event loop.
  using Scheduler = std::function<void(std::function<void()>)>;
  using Clock = std::function<std::chrono::steady_clock::time_point()>;
  BlobReclaimer(meta::MetaStore& meta, blob::BlobStore& blobs, Scheduler schedule,
                std::chrono::milliseconds grace = {}, Clock clock = std::chrono::steady_clock::now);

  // Held by a reader from before it reads metadata until it is done with the blobs it names.
  class Reader {
   public:
    Reader(Reader&& other) noexcept : owner_(other.owner_), epoch_(other.epoch_) {
      other.owner_ = nullptr;
    }
    Reader(const Reader&) = delete;
    Reader& operator=(const Reader&) = delete;
    Reader& operator=(Reader&&) = delete;
    ~Reader();

   private:
    friend class BlobReclaimer;
    Reader(BlobReclaimer* owner, uint64_t epoch) : owner_(owner), epoch_(epoch) {}
    BlobReclaimer* owner_;
    uint64_t epoch_;
  };

  Reader BeginRead();

  // The metadata store released `ids` (a commit left them unreferenced). Deletes them now when no
  // reader may still use them, else later. Blocking. Failures are logged.
  void Release(const std::vector<std::string>& ids);

  // Schedules the deletion of the released blobs whose grace has passed and whose earlier readers
  // ended. Only needed with a grace; cheap when nothing is due.
  void RemoveDue();

  // Blobs waiting for readers to end or their grace to pass (for tests and metrics).
  size_t deferred() const;
  // Blobs whose deletion failed, to be tried again with the next release.
  size_t failed() const;

 private:
  void EndRead(uint64_t epoch);
  // Takes the deferred releases that are due: their grace passed and no earlier reader is active.
  std::vector<std::string> TakeDueLocked();
  void ScheduleRemoval(std::vector<std::string> due);
  // Deletes `ids`, and those whose deletion failed before; keeps the ones that fail now.
  void Remove(std::vector<std::string> ids);
  void RemoveIfUnreferenced(const std::vector<std::string>& ids);

  meta::MetaStore& meta_;
  blob::BlobStore& blobs_;
  Scheduler schedule_;
  const std::chrono::milliseconds grace_;
  Clock clock_;
  mutable std::mutex mu_;
  uint64_t epoch_ = 0;                  // advanced by every release
  std::map<uint64_t, size_t> readers_;  // epoch at BeginRead -> active readers
  // Releases deferred, in epoch order (and so in order of their grace's end): due once no reader
  // of an earlier epoch is active and the grace has passed.
  struct Deferred {
    uint64_t epoch = 0;
    std::chrono::steady_clock::time_point not_before;
    std::vector<std::string> ids;
  };
  std::deque<Deferred> deferred_;
  // Due blobs whose deletion failed. No record names them and no reader can still use them, so
  // deleting them later is as safe as it was then.
  std::vector<std::string> failed_;
};

}  // namespace cairn::core
