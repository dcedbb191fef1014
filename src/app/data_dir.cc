#include "app/data_dir.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace cairn::app {

Result<std::unique_ptr<DataDir>> DataDir::Open(const std::string& path) {
  std::error_code ec;
  std::filesystem::create_directories(path, ec);
  if (ec) return Error(ErrorCode::kInternalError, "cannot create " + path + ": " + ec.message());
  std::string lock_path = path + "/LOCK";
  int fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) {
    return Error(ErrorCode::kInternalError, "cannot open " + lock_path + ": " + std::strerror(errno));
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
  return std::unique_ptr<DataDir>(new DataDir(path, fd));
}

DataDir::~DataDir() { ::close(lock_fd_); }

Result<SweepReport> SweepAfterCrash(meta::MetaStore& meta, blob::BlobStore& blobs) {
  if (Status s = blobs.RemoveTemporaries(); !s.ok()) return s.error();
  auto ids = blobs.ListIds();
  if (!ids.ok()) return ids.error();
  SweepReport report;
  for (const std::string& id : *ids) {
    auto referenced = meta.BlobReferenced(id);
    if (!referenced.ok()) return referenced.error();
    if (*referenced) continue;
    if (Status s = blobs.Remove(id); !s.ok()) return s.error();
    ++report.orphan_blobs_removed;
  }
  return report;
}

}  // namespace cairn::app
