// The data directory: its layout, the lock that keeps two processes from serving it at once, and
// the start-up sweep that removes what a crash left behind. Everything in it is its owner's
// alone: directories 0700, files 0600 (an existing directory is tightened when it is opened).
//
//   DIR/LOCK                  flock(2)ed by the process that owns the directory
//   DIR/meta.sqlite3          metadata (SQLite, WAL mode)
//   DIR/blobs/ab/cd/<id>      committed blobs
//   DIR/tmp/                  blobs being written
//   DIR/admin-credentials.json  the generated admin key, when none was given
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "blob/blob_store.h"
#include "common/status.h"
#include "meta/meta_store.h"

namespace cairn::app {

class DataDir {
 public:
  // Creates the directory if needed, takes its lock, and restricts the directory and its known
  // entries to the owner (0700/0600). Errors: InternalError with a message naming the holder when
  // another process has the lock, or the entry that cannot be restricted.
  static Result<std::unique_ptr<DataDir>> Open(const std::string& path);
  ~DataDir();

  const std::string& path() const { return path_; }
  std::string MetaPath() const { return path_ + "/meta.sqlite3"; }
  std::string CredentialsPath() const { return path_ + "/admin-credentials.json"; }
  // The key that seals access keys' secrets (app/credentials.h), unless CAIRN_MASTER_KEY is set.
  std::string MasterKeyPath() const { return path_ + "/master.key"; }

 private:
  DataDir(std::string path, int lock_fd) : path_(std::move(path)), lock_fd_(lock_fd) {}
  std::string path_;
  int lock_fd_;
};

struct SweepReport {
  size_t orphan_blobs_removed = 0;
  // Unreferenced blobs of a shared store left alone because they are younger than the grace.
  size_t young_orphans_kept = 0;
};

// How old what the sweep removes from a store that other gateways share must be: another gateway
// may have committed a blob and not yet the record that names it, or may still be writing one. A
// day is longer than any one upload runs (a 5 GiB part at 60 KB/s) and than clocks drift.
inline constexpr std::chrono::hours kSharedStoreGrace{24};

// Removes temporaries of writes that never committed and blob files no object references (a crash
// between a blob's commit and its metadata commit, or between a metadata delete and the unlink).
// On a store that only this process uses (its data dir is locked), everything unreferenced goes
// at once; on a shared store (blob::SharedStore), only what is older than `shared_grace`.
Result<SweepReport> SweepAfterCrash(
    meta::MetaStore& meta, blob::BlobStore& blobs,
    std::chrono::system_clock::duration shared_grace = kSharedStoreGrace);

}  // namespace cairn::app
