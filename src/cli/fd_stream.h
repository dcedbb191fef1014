// std::istream / std::ostream over a raw file descriptor (stdin, stdout) with a large buffer and
// plain read(2)/write(2): `object put --pipe` and `object get --pipe` move gigabytes through them,
// and the standard streams' stdio synchronisation would make that both slower and subject to
// text-mode and locale settings that have no business touching object bytes.
#pragma once

#include <istream>
#include <ostream>
#include <streambuf>
#include <vector>

namespace cairn::cli {

class FdStreamBuf : public std::streambuf {
 public:
  explicit FdStreamBuf(int fd, size_t buffer_size = 1 << 20);
  ~FdStreamBuf() override;

 protected:
  int_type underflow() override;
  std::streamsize xsgetn(char* out, std::streamsize n) override;
  int_type overflow(int_type c) override;
  int sync() override;

 private:
  bool Flush();
  int fd_;
  std::vector<char> in_;
  std::vector<char> out_;
};

// Reads fd 0; not closed at the end.
class StdinStream : public std::istream {
 public:
  StdinStream() : std::istream(nullptr), buf_(0) { rdbuf(&buf_); }

 private:
  FdStreamBuf buf_;
};

// Writes fd 1; flushed by flush() (and at destruction). A failed write (a closed pipe) sets
// badbit.
class StdoutStream : public std::ostream {
 public:
  StdoutStream() : std::ostream(nullptr), buf_(1) { rdbuf(&buf_); }

 private:
  FdStreamBuf buf_;
};

}  // namespace cairn::cli
