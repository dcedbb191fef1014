// A request body: bytes in memory, a range of a file, or an input stream. Bodies are streamed to
// the server; only a memory body is held in memory.
#pragma once

#include <cstdint>
#include <istream>
#include <memory>
#include <optional>
#include <string>

namespace cairn {

struct BodyAccess;

class Body {
 public:
  static Body FromString(std::string bytes);
  // `length` nullopt: to the end of the file. Throws std::runtime_error when the file cannot be
  // read.
  static Body FromFile(const std::string& path, uint64_t offset = 0,
                       std::optional<uint64_t> length = std::nullopt);
  // A stream of known size is sent as is; of unknown size (nullopt), Bucket::put sends it with
  // chunked transfer encoding, and Bucket::upload splits it into parts as it reads.
  static Body FromStream(std::istream& in, std::optional<uint64_t> size = std::nullopt);

  std::optional<uint64_t> size() const;

  // Reads up to `n` bytes into `out`; 0 at the end. Rewind() starts again (memory and file
  // bodies only: a stream body cannot be retried). Throws std::runtime_error on a read error, or
  // when a stream of declared size ends early.
  size_t Read(char* out, size_t n);
  bool Rewindable() const;
  void Rewind();

  struct Source;  // implementation

 private:
  friend struct BodyAccess;  // the library's own view of the source (src/client/body_source.h)
  explicit Body(std::shared_ptr<Source> source) : source_(std::move(source)) {}
  std::shared_ptr<Source> source_;
};

}  // namespace cairn
