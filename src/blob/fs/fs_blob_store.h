// The file-system blob engine. Layout under the store's directory:
//
//   blobs/ab/cd/abcd...   a committed blob, fanned out by the first two bytes of its id so that no
//                         directory grows past a few thousand entries
//   tmp/<id>.tmp          a blob being written; renamed into blobs/ by Commit()
//
// Directories are created 0700 and files 0600: blobs are the owner's alone, whatever the umask.
//
// Durability follows the usual recipe: write the temporary file, fsync it, rename it into place,
// fsync the directory that received it (and, the first time this process uses a fan-out directory,
// its parent, so the directory itself cannot vanish in a power loss). After a crash, tmp/ may
// hold partial writes: RemoveTemporaries() (the LocalDisk capability) clears them at start-up.
//
// A reader offers its open file (BlobReader::file()), so GET sends blobs with sendfile(2).
//
// Thread-safety: the store is thread-safe; each writer and reader is used by one thread at a time.
// Writers refer to their store and must not outlive it; readers are independent.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_set>
#include <vector>

#include "blob/blob_store.h"
#include "common/status.h"

namespace cairn::blob {

// Told how long each fsync(2) took; kind is "file" or "directory" (for the metrics).
using FsyncObserver = std::function<void(std::string_view kind, std::chrono::nanoseconds took)>;

// Opens the store rooted at `dir`, creating dir, dir/blobs and dir/tmp as needed.
Result<std::unique_ptr<BlobStore>> OpenFsBlobStore(const std::string& dir,
                                                   FsyncObserver on_fsync = {});

class FsBlobStore final : public BlobStore, public LocalDisk {
 public:
  explicit FsBlobStore(std::string dir, FsyncObserver on_fsync = {});

  Result<std::unique_ptr<BlobWriter>> Create() override;
  Result<std::unique_ptr<BlobReader>> Open(const std::string& id) override;
  Status Remove(const std::string& id) override;
  Result<std::vector<std::string>> ListIds(const std::string& after, size_t limit) override;
  LocalDisk* local_disk() override { return this; }

  // LocalDisk: statvfs(2) of the blobs' device, and the removal of everything in tmp/ (which must
  // not run while this store has writers).
  Result<uint64_t> FreeBytes() override;
  Status RemoveTemporaries() override;

  // Where blob `id` lives once committed, and its directory. `id` must be a valid id.
  std::string BlobPath(const std::string& id) const;
  std::string BlobDir(const std::string& id) const;
  std::string TempPath(const std::string& id) const;

  // Creates the fan-out directories of `id` if needed and makes sure their entries are durable.
  // Used by writers at commit.
  Status PrepareBlobDir(const std::string& id);

  // fsync(2) of an open file, and of a directory by path, timed for the observer. `path` names
  // the file in errors.
  Status SyncFile(int fd, const std::string& path);
  Status SyncDir(const std::string& path);

 private:
  // Makes `path` exist as a directory whose entry in `parent` is on disk.
  Status EnsureDurableDir(const std::string& parent, const std::string& path);

  const std::string dir_;
  const FsyncObserver on_fsync_;
  std::mutex mu_;
  // Directories whose entries this process has fsynced (or created and fsynced); guarded by mu_.
  std::unordered_set<std::string> durable_dirs_;
};

}  // namespace cairn::blob
