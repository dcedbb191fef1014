// The descriptor-backed stream buffer of fd_stream.h: large reads bypass the buffer, writes are
// retried on EINTR and partial writes.
#include "cli/fd_stream.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace cairn::cli {

FdStreamBuf::FdStreamBuf(int fd, size_t buffer_size)
    : fd_(fd), in_(buffer_size), out_(buffer_size) {
  setg(in_.data(), in_.data(), in_.data());
  setp(out_.data(), out_.data() + out_.size());
}

FdStreamBuf::~FdStreamBuf() { Flush(); }

FdStreamBuf::int_type FdStreamBuf::underflow() {
  if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
  for (;;) {
    const ssize_t n = ::read(fd_, in_.data(), in_.size());
    if (n > 0) {
      setg(in_.data(), in_.data(), in_.data() + n);
      return traits_type::to_int_type(*gptr());
    }
    if (n < 0 && errno == EINTR) continue;
    return traits_type::eof();
  }
}

std::streamsize FdStreamBuf::xsgetn(char* out, std::streamsize n) {
  std::streamsize done = 0;
  // What is buffered first, then large reads straight into the caller's memory.
  const std::streamsize buffered = std::min<std::streamsize>(n, egptr() - gptr());
  if (buffered > 0) {
    std::memcpy(out, gptr(), static_cast<size_t>(buffered));
    gbump(static_cast<int>(buffered));
    done = buffered;
  }
  while (done < n) {
    if (n - done < static_cast<std::streamsize>(in_.size())) {
      if (underflow() == traits_type::eof()) break;
      const std::streamsize chunk = std::min<std::streamsize>(n - done, egptr() - gptr());
      std::memcpy(out + done, gptr(), static_cast<size_t>(chunk));
      gbump(static_cast<int>(chunk));
      done += chunk;
      continue;
    }
    const ssize_t got = ::read(fd_, out + done, static_cast<size_t>(n - done));
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) break;
    done += got;
  }
  return done;
}

bool FdStreamBuf::Flush() {
  const char* p = pbase();
  while (p < pptr()) {
    const ssize_t n = ::write(fd_, p, static_cast<size_t>(pptr() - p));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    p += n;
  }
  setp(out_.data(), out_.data() + out_.size());
  return true;
}

FdStreamBuf::int_type FdStreamBuf::overflow(int_type c) {
  if (!Flush()) return traits_type::eof();
  if (!traits_type::eq_int_type(c, traits_type::eof())) {
    *pptr() = traits_type::to_char_type(c);
    pbump(1);
  }
  return traits_type::not_eof(c);
}

int FdStreamBuf::sync() { return Flush() ? 0 : -1; }

}  // namespace cairn::cli
