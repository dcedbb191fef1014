// The three kinds of request body. A file range is read with pread so that the parts of one file
// can be sent by several threads at once, each through its own Body, without sharing an offset.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "client/body_source.h"

namespace cairn {
namespace {

class MemorySource : public Body::Source {
 public:
  explicit MemorySource(std::string bytes) : bytes_(std::move(bytes)) {}
  std::optional<uint64_t> Size() const override { return bytes_.size(); }
  size_t Read(char* out, size_t n) override {
    n = std::min(n, bytes_.size() - position_);
    std::memcpy(out, bytes_.data() + position_, n);
    position_ += n;
    return n;
  }
  bool Rewindable() const override { return true; }
  void Rewind() override { position_ = 0; }
  const std::string* Memory() const override { return &bytes_; }

 private:
  std::string bytes_;
  size_t position_ = 0;
};

class FileSource : public Body::Source {
 public:
  FileSource(const std::string& path, uint64_t offset, std::optional<uint64_t> length)
      : path_(path), offset_(offset) {
    fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_ < 0) throw std::runtime_error("cannot open " + path + ": " + std::strerror(errno));
    struct stat st;
    if (::fstat(fd_, &st) != 0 || !S_ISREG(st.st_mode)) {
      ::close(fd_);
      throw std::runtime_error("cannot read " + path + ": not a regular file");
    }
    const uint64_t file_size = static_cast<uint64_t>(st.st_size);
    if (offset > file_size || (length && *length > file_size - offset)) {
      ::close(fd_);
      throw std::runtime_error("cannot read " + path + ": the range ends past the end of the file");
    }
    size_ = length.value_or(file_size - offset);
  }
  ~FileSource() override { ::close(fd_); }

  std::optional<uint64_t> Size() const override { return size_; }
  size_t Read(char* out, size_t n) override {
    n = static_cast<size_t>(std::min<uint64_t>(n, size_ - position_));
    while (n > 0) {
      ssize_t got = ::pread(fd_, out, n, static_cast<off_t>(offset_ + position_));
      if (got < 0 && errno == EINTR) continue;
      if (got < 0) throw std::runtime_error("cannot read " + path_ + ": " + std::strerror(errno));
      // The file shrank under us: the declared length can no longer be sent.
      if (got == 0) throw std::runtime_error("cannot read " + path_ + ": the file was truncated");
      position_ += static_cast<uint64_t>(got);
      return static_cast<size_t>(got);
    }
    return 0;
  }
  bool Rewindable() const override { return true; }
  void Rewind() override { position_ = 0; }

 private:
  std::string path_;
  int fd_ = -1;
  uint64_t offset_;
  uint64_t size_ = 0;
  uint64_t position_ = 0;
};

class StreamSource : public Body::Source {
 public:
  StreamSource(std::istream& in, std::optional<uint64_t> size) : in_(in), size_(size) {}
  std::optional<uint64_t> Size() const override { return size_; }
  size_t Read(char* out, size_t n) override {
    if (size_) n = static_cast<size_t>(std::min<uint64_t>(n, *size_ - position_));
    if (n == 0 || !in_.good()) return CheckedEnd();
    in_.read(out, static_cast<std::streamsize>(n));
    const size_t got = static_cast<size_t>(in_.gcount());
    if (in_.bad()) throw std::runtime_error("cannot read the input stream");
    position_ += got;
    return got > 0 ? got : CheckedEnd();
  }
  bool Rewindable() const override { return false; }
  void Rewind() override {
    if (position_ != 0) throw std::logic_error("a stream body cannot be sent twice");
  }

 private:
  size_t CheckedEnd() const {
    if (size_ && position_ < *size_) {
      throw std::runtime_error("the input stream ended after " + std::to_string(position_) +
                               " of its declared " + std::to_string(*size_) + " bytes");
    }
    return 0;
  }
  std::istream& in_;
  std::optional<uint64_t> size_;
  uint64_t position_ = 0;
};

}  // namespace

Body Body::FromString(std::string bytes) {
  return Body(std::make_shared<MemorySource>(std::move(bytes)));
}

Body Body::FromFile(const std::string& path, uint64_t offset, std::optional<uint64_t> length) {
  return Body(std::make_shared<FileSource>(path, offset, length));
}

Body Body::FromStream(std::istream& in, std::optional<uint64_t> size) {
  return Body(std::make_shared<StreamSource>(in, size));
}

std::optional<uint64_t> Body::size() const { return source_->Size(); }
size_t Body::Read(char* out, size_t n) { return source_->Read(out, n); }
bool Body::Rewindable() const { return source_->Rewindable(); }
void Body::Rewind() { source_->Rewind(); }

}  // namespace cairn
