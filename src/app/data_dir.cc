#include "app/data_dir.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace cairn::app {

namespace {

Error Failed(const std::string& what, const std::string& path, int err) {
  return Error(ErrorCode::kInternalError, what + " " + path + ": " + std::strerror(err));
}

// Sets `path`'s mode when it exists; the entries of an older data dir were 0755 and 0644.
Status Restrict(const std::string& path, mode_t mode) {
  if (::chmod(path.c_str(), mode) != 0 && errno != ENOENT) {
    return Failed(fmt::format("cannot restrict to its owner (chmod {:o})", mode), path, errno);
  }
  return Status::Ok();
}

// Makes the data dir its owner's alone. The directory itself at 0700 is what keeps every other
// user out of everything inside it; its known entries are tightened as well, so that a copy or a
// looser parent mode does not expose them. The blob files under blobs/ (millions, perhaps) are not
// walked: with the top directory at 0700 nobody else can reach them.
Status RestrictToOwner(const DataDir& dir) {
  const std::string& path = dir.path();
  if (Status s = Restrict(path, 0700); !s.ok()) return s;
  for (const char* sub : {"/blobs", "/tmp"}) {
    if (Status s = Restrict(path + sub, 0700); !s.ok()) return s;
  }
  const std::string meta = dir.MetaPath();
  for (const std::string& file : {path + "/LOCK", dir.CredentialsPath(), dir.MasterKeyPath(), meta,
                                  meta + "-wal", meta + "-shm", meta + "-journal"}) {
    if (Status s = Restrict(file, 0600); !s.ok()) return s;
  }
  return Status::Ok();
}

}  // namespace

Result<std::unique_ptr<DataDir>> DataDir::Open(const std::string& path) {
  std::error_code ec;
  std::filesystem::create_directories(path, ec);
  if (ec) return Error(ErrorCode::kInternalError, "cannot create " + path + ": " + ec.message());
  // Before anything is written inside: the lock file below is the first entry.
  if (Status s = Restrict(path, 0700); !s.ok()) return s.error();
  std::string lock_path = path + "/LOCK";
  int fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) {
    return Error(ErrorCode::kInternalError,
                 "cannot open " + lock_path + ": " + std::strerror(errno));
  }
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    char pid[32] = {};
    ssize_t n = ::pread(fd, pid, sizeof pid - 1, 0);
    ::close(fd);
    return Error(ErrorCode::kInternalError,
                 "data directory " + path + " is in use by another cairn process" +
                     (n > 0 ? " (pid " + std::string(pid, static_cast<size_t>(n)) + ")" : ""));
  }
  std::string me = std::to_string(::getpid());
  if (::ftruncate(fd, 0) == 0) (void)!::pwrite(fd, me.data(), me.size(), 0);
  std::unique_ptr<DataDir> dir(new DataDir(path, fd));
  if (Status s = RestrictToOwner(*dir); !s.ok()) return s.error();
  return dir;
}

DataDir::~DataDir() { ::close(lock_fd_); }

Result<SweepReport> SweepAfterCrash(meta::MetaStore& meta, blob::BlobStore& blobs,
                                    std::chrono::system_clock::duration shared_grace) {
  if (blob::LocalDisk* disk = blobs.local_disk()) {
    if (Status s = disk->RemoveTemporaries(); !s.ok()) return s.error();
  }
  blob::SharedStore* shared = blobs.shared();
  const auto cutoff = std::chrono::system_clock::now() - shared_grace;
  if (shared) {
    if (Status s = shared->RemoveAbandonedWrites(cutoff); !s.ok()) return s.error();
  }
  // A page at a time, so that millions of blobs are never listed in memory at once.
  constexpr size_t kPage = 1000;
  SweepReport report;
  std::string after;
  for (;;) {
    auto ids = blobs.ListIds(after, kPage);
    if (!ids.ok()) return ids.error();
    for (const std::string& id : *ids) {
      auto referenced = meta.BlobReferenced(id);
      if (!referenced.ok()) return referenced.error();
      if (*referenced) continue;
      if (shared) {
        auto committed = shared->CommittedAt(id);
        if (!committed.ok() && committed.error().code == ErrorCode::kStorageNotFound) continue;
        if (!committed.ok()) return committed.error();
        if (*committed >= cutoff) {
          ++report.young_orphans_kept;
          continue;
        }
      }
      if (Status s = blobs.Remove(id); !s.ok()) return s.error();
      ++report.orphan_blobs_removed;
    }
    if (ids->size() < kPage) return report;
    after = ids->back();
  }
}

}  // namespace cairn::app
