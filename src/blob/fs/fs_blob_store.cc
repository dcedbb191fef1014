// FsBlobStore and its writer and reader; see fs_blob_store.h for the layout and the durability
// recipe. The write and read paths use POSIX calls directly: they carry every object byte, and
// they need errno (ENOSPC must become kStorageNoSpace) and file descriptors (for sendfile).
#include "blob/fs/fs_blob_store.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <string_view>
#include <system_error>

#include "blob/blob_id.h"

namespace cairn::blob {
namespace {

constexpr uint64_t kWritebackChunk = 8 << 20;

Status ErrnoStatus(std::string_view what, const std::string& path, int err) {
  std::string message = std::string(what) + (path.empty() ? "" : " " + path) + ": " +
                        std::generic_category().message(err);
  if (err == ENOSPC || err == EDQUOT) return Status(ErrorCode::kStorageNoSpace, message);
  return Status(ErrorCode::kStorageIOError, message);
}

// The names in directory `path`, without "." and "..". A name that is not a directory where one
// is expected simply lists as empty (ENOTDIR), so stray files in the layout are skipped.
Result<std::vector<std::string>> ListDir(const std::string& path) {
  std::vector<std::string> names;
  DIR* dir = opendir(path.c_str());
  if (dir == nullptr) {
    if (errno == ENOTDIR) return names;
    return ErrnoStatus("list", path, errno);
  }
  while (true) {
    errno = 0;
    const dirent* entry = readdir(dir);
    if (entry == nullptr) break;
    std::string_view name = entry->d_name;
    if (name != "." && name != "..") names.emplace_back(name);
  }
  int err = errno;
  closedir(dir);
  if (err != 0) return ErrnoStatus("list", path, err);
  return names;
}

// The fan-out directories in `path` (two hex digits) from `floor` on, in ascending order. Anything
// else in the layout is not ours to report.
Result<std::vector<std::string>> FanOutFrom(const std::string& path, std::string_view floor) {
  Result<std::vector<std::string>> names = ListDir(path);
  if (!names.ok()) return names;
  std::erase_if(*names, [floor](const std::string& name) {
    return name.size() != 2 || name.find_first_not_of("0123456789abcdef") != std::string::npos ||
           name < floor;
  });
  std::sort(names->begin(), names->end());
  return names;
}

class FsBlobWriter final : public BlobWriter {
 public:
  FsBlobWriter(FsBlobStore& store, std::string id, int fd)
      : store_(store), id_(std::move(id)), temp_path_(store.TempPath(id_)), fd_(fd) {}

  ~FsBlobWriter() override {
    if (fd_ >= 0) close(fd_);
    // Uncommitted bytes are discarded: the id was never published, so nothing can refer to it.
    if (state_ != State::kCommitted) unlink(temp_path_.c_str());
  }

  const std::string& id() const override { return id_; }
  uint64_t size() const override { return size_; }

  Status Append(const char* data, size_t size) override {
    if (state_ != State::kOpen)
      return Status(ErrorCode::kStorageIOError, "append to a closed blob");
    while (size > 0) {
      ssize_t n = write(fd_, data, size);
      if (n < 0) {
        if (errno == EINTR) continue;
        state_ = State::kFailed;
        return ErrnoStatus("write", temp_path_, errno);
      }
      data += n;
      size -= static_cast<size_t>(n);
      size_ += static_cast<uint64_t>(n);
    }
    // Start writing back what is complete, so that the disk works while the body still arrives
    // and Commit()'s fsync waits for the tail only (nothing is waited for here).
    if (size_ - written_back_ >= kWritebackChunk) {
      sync_file_range(fd_, static_cast<off_t>(written_back_),
                      static_cast<off_t>(size_ - written_back_), SYNC_FILE_RANGE_WRITE);
      written_back_ = size_;
    }
    return Status::Ok();
  }

  Status Commit() override {
    if (state_ != State::kOpen)
      return Status(ErrorCode::kStorageIOError, "commit of a closed blob");
    state_ = State::kFailed;  // until every step below has succeeded
    // The bytes first, then the name: a rename that reached the disk before the data would
    // publish a blob of garbage after a power loss.
    if (Status s = store_.SyncFile(fd_, temp_path_); !s.ok()) return s;
    int rc = close(std::exchange(fd_, -1));
    if (rc != 0) return ErrnoStatus("close", temp_path_, errno);
    if (Status s = store_.PrepareBlobDir(id_); !s.ok()) return s;
    const std::string path = store_.BlobPath(id_);
    if (rename(temp_path_.c_str(), path.c_str()) != 0) return ErrnoStatus("rename", path, errno);
    if (Status s = store_.SyncDir(store_.BlobDir(id_)); !s.ok()) {
      // Not known to be durable, so not committed: the caller will not record it.
      unlink(path.c_str());
      return s;
    }
    state_ = State::kCommitted;
    return Status::Ok();
  }

 private:
  enum class State { kOpen, kFailed, kCommitted };

  FsBlobStore& store_;
  const std::string id_;
  const std::string temp_path_;
  int fd_;
  uint64_t size_ = 0;
  uint64_t written_back_ = 0;  // bytes handed to writeback by sync_file_range
  State state_ = State::kOpen;
};

class FsBlobReader final : public BlobReader {
 public:
  FsBlobReader(int fd, uint64_t size, std::string path)
      : fd_(fd), size_(size), path_(std::move(path)), file_{fd} {}
  ~FsBlobReader() override { close(fd_); }

  uint64_t size() const override { return size_; }
  const FileBacking* file() const override { return &file_; }

  Result<size_t> ReadAt(uint64_t offset, char* buffer, size_t size) override {
    // pread leaves the file offset alone, so a reader may also be handed to sendfile.
    size_t done = 0;
    while (done < size) {
      ssize_t n = pread(fd_, buffer + done, size - done, static_cast<off_t>(offset + done));
      if (n < 0) {
        if (errno == EINTR) continue;
        return ErrnoStatus("read", path_, errno);
      }
      if (n == 0) break;  // end of the blob
      done += static_cast<size_t>(n);
    }
    return done;
  }

 private:
  const int fd_;
  const uint64_t size_;
  const std::string path_;
  const FileBacking file_;
};

}  // namespace

Result<std::unique_ptr<BlobStore>> OpenFsBlobStore(const std::string& dir, FsyncObserver on_fsync) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return ErrnoStatus("create", dir, ec.value());
  auto store = std::make_unique<FsBlobStore>(dir, std::move(on_fsync));
  if (Status s = store->PrepareBlobDir(""); !s.ok()) return s;
  return std::unique_ptr<BlobStore>(std::move(store));
}

FsBlobStore::FsBlobStore(std::string dir, FsyncObserver on_fsync)
    : dir_(std::move(dir)), on_fsync_(std::move(on_fsync)) {}

Status FsBlobStore::SyncFile(int fd, const std::string& path) {
  const auto start = std::chrono::steady_clock::now();
  const int rc = fsync(fd);
  const int err = errno;
  if (on_fsync_) on_fsync_("file", std::chrono::steady_clock::now() - start);
  return rc == 0 ? Status::Ok() : ErrnoStatus("fsync", path, err);
}

Status FsBlobStore::SyncDir(const std::string& path) {
  int fd = open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return ErrnoStatus("open directory", path, errno);
  const auto start = std::chrono::steady_clock::now();
  const int rc = fsync(fd);
  const int err = errno;
  if (on_fsync_) on_fsync_("directory", std::chrono::steady_clock::now() - start);
  close(fd);
  return rc == 0 ? Status::Ok() : ErrnoStatus("fsync directory", path, err);
}

std::string FsBlobStore::BlobDir(const std::string& id) const {
  return dir_ + "/blobs/" + id.substr(0, 2) + "/" + id.substr(2, 2);
}

std::string FsBlobStore::BlobPath(const std::string& id) const { return BlobDir(id) + "/" + id; }

std::string FsBlobStore::TempPath(const std::string& id) const {
  return dir_ + "/tmp/" + id + ".tmp";
}

Status FsBlobStore::EnsureDurableDir(const std::string& parent, const std::string& path) {
  {
    std::lock_guard lock(mu_);
    if (durable_dirs_.contains(path)) return Status::Ok();
  }
  if (mkdir(path.c_str(), 0700) != 0 && errno != EEXIST) return ErrnoStatus("mkdir", path, errno);
  // Fsync the parent even when the directory already existed: another thread may have created
  // it and not fsynced yet, or a crashed process may have left an entry that is not on disk.
  // Once per directory per process keeps that cheap.
  if (Status s = SyncDir(parent); !s.ok()) return s;
  std::lock_guard lock(mu_);
  durable_dirs_.insert(path);
  return Status::Ok();
}

Status FsBlobStore::PrepareBlobDir(const std::string& id) {
  const std::string blobs = dir_ + "/blobs";
  if (Status s = EnsureDurableDir(dir_, blobs); !s.ok()) return s;
  if (Status s = EnsureDurableDir(dir_, dir_ + "/tmp"); !s.ok()) return s;
  if (id.empty()) return Status::Ok();
  const std::string first = blobs + "/" + id.substr(0, 2);
  if (Status s = EnsureDurableDir(blobs, first); !s.ok()) return s;
  return EnsureDurableDir(first, first + "/" + id.substr(2, 2));
}

Result<std::unique_ptr<BlobWriter>> FsBlobStore::Create() {
  // A collision of 128 random bits will not happen, but O_EXCL makes sure one could not
  // silently share a file.
  for (int attempt = 0; attempt < 3; ++attempt) {
    Result<std::string> id = NewBlobId();
    if (!id.ok()) return id.error();
    const std::string path = TempPath(*id);
    int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
      if (errno == EEXIST) continue;
      return ErrnoStatus("create", path, errno);
    }
    return std::unique_ptr<BlobWriter>(std::make_unique<FsBlobWriter>(*this, *id, fd));
  }
  return Error(ErrorCode::kStorageAlreadyExists, "could not pick a fresh blob id");
}

Result<std::unique_ptr<BlobReader>> FsBlobStore::Open(const std::string& id) {
  // No blob can have an invalid id: it is not found, like a valid one that is missing.
  if (!IsValidBlobId(id)) return Error(ErrorCode::kStorageNotFound, "invalid blob id '" + id + "'");
  const std::string path = BlobPath(id);
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return Error(ErrorCode::kStorageNotFound, "blob " + id + " is missing");
    return ErrnoStatus("open", path, errno);
  }
  struct stat st;
  if (fstat(fd, &st) != 0) {
    Status s = ErrnoStatus("stat", path, errno);
    close(fd);
    return s;
  }
  return std::unique_ptr<BlobReader>(
      std::make_unique<FsBlobReader>(fd, static_cast<uint64_t>(st.st_size), path));
}

Status FsBlobStore::Remove(const std::string& id) {
  if (!IsValidBlobId(id))
    return Status(ErrorCode::kStorageNotFound, "invalid blob id '" + id + "'");
  const std::string path = BlobPath(id);
  // No directory fsync: a removal undone by a power loss leaves an unreferenced file, which the
  // start-up sweep deletes again.
  if (unlink(path.c_str()) != 0 && errno != ENOENT) return ErrnoStatus("remove", path, errno);
  return Status::Ok();
}

Result<std::vector<std::string>> FsBlobStore::ListIds(const std::string& after, size_t limit) {
  // Ids are fanned out by their first four digits, so walking the directories in order lists the
  // ids in order; the directories wholly before `after` are skipped unread.
  const std::string blobs = dir_ + "/blobs";
  const std::string_view cursor = after;
  std::vector<std::string> ids;
  Result<std::vector<std::string>> firsts = FanOutFrom(blobs, cursor.substr(0, 2));
  if (!firsts.ok()) return firsts.error();
  for (const std::string& first : *firsts) {
    const std::string first_dir = blobs + "/" + first;
    const std::string_view floor = first == cursor.substr(0, 2) ? cursor.substr(2, 2) : "";
    Result<std::vector<std::string>> seconds = FanOutFrom(first_dir, floor);
    if (!seconds.ok()) return seconds.error();
    for (const std::string& second : *seconds) {
      Result<std::vector<std::string>> names = ListDir(first_dir + "/" + second);
      if (!names.ok()) return names.error();
      // An id in the wrong directory is a stray file, not a blob: Open would not find it.
      std::erase_if(*names, [&](const std::string& name) {
        return !IsValidBlobId(name) || !name.starts_with(first + second) || name <= after;
      });
      std::sort(names->begin(), names->end());
      for (std::string& name : *names) {
        if (ids.size() == limit) return ids;
        ids.push_back(std::move(name));
      }
    }
  }
  return ids;
}

Status FsBlobStore::RemoveTemporaries() {
  const std::string tmp = dir_ + "/tmp";
  Result<std::vector<std::string>> names = ListDir(tmp);
  if (!names.ok()) return names.status();
  for (const std::string& name : *names) {
    const std::string path = tmp + "/" + name;
    if (unlink(path.c_str()) != 0 && errno != ENOENT) return ErrnoStatus("remove", path, errno);
  }
  return Status::Ok();
}

Result<uint64_t> FsBlobStore::FreeBytes() {
  struct statvfs st;
  const std::string path = dir_ + "/blobs";
  if (statvfs(path.c_str(), &st) != 0) return ErrnoStatus("statvfs", path, errno);
  // f_bavail, not f_bfree: the blocks reserved for root are not ours to fill.
  return static_cast<uint64_t>(st.f_bavail) * st.f_frsize;
}

}  // namespace cairn::blob
