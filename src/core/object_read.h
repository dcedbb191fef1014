// Reading objects: GetObject and HeadObject. One call decides the response with the metadata in
// hand (conditions, then a byte range or a part number) and, for a GET of a blob-backed object,
// opens its first blob files on the lookup pool in the same trip; a hot object comes from the
// object cache with no trip at all. The bytes then come as an ObjectBody, piece by piece: a span
// of a file that the caller may send zero-copy when the engine has files, or bytes read into a
// buffer (the next piece is read while the caller sends this one). A reading object holds back the
// reclaimer, so an overwrite that commits meanwhile cannot delete the blobs being sent.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/awaitable.h"
#include "common/status.h"
#include "core/preconditions.h"
#include "core/range.h"
#include "core/records.h"
#include "core/storage.h"

namespace cairn::core {

struct ReadObjectRequest {
  std::string bucket;
  std::string key;
  Conditions conditions;
  std::optional<std::string> range;        // the Range header as sent
  std::optional<std::string> part_number;  // the partNumber query parameter as sent
  // A caller's own choice in place of `conditions`, `range` and `part_number` (the R2 binding's
  // onlyIf and range forms): the bytes to send (nullopt: all of them), or an error to answer;
  // NotModified answers with the object's record and no bytes.
  std::function<Result<std::optional<ByteRange>>(const ObjectRecord&)> select{};
  bool with_body = true;  // false for HEAD
  // The caller can send a span of a file (sendfile(2) on plain TCP); else every piece is bytes.
  bool file_spans = true;
};

// A piece of an object's bytes: either a span of an open file, to be sent from the file (only when
// the request asked for file spans), or bytes in memory. Valid until the next call of
// ObjectBody::Next.
struct BodyPiece {
  int fd = -1;  // >= 0: send `length` bytes of this file from `offset`
  uint64_t offset = 0;
  uint64_t length = 0;
  std::string_view bytes;  // when fd < 0
};

class ObjectBody {
 public:
  struct State;  // defined in object_read.cc: only ReadObject makes one
  explicit ObjectBody(std::unique_ptr<State> state);
  ~ObjectBody();
  ObjectBody(ObjectBody&&) noexcept;
  ObjectBody& operator=(ObjectBody&&) noexcept;
  // The next piece; nullopt once every byte was given. Errors: the blob engine's (the head is out
  // by then: the caller can only close the connection).
  Awaitable<Result<std::optional<BodyPiece>>> Next();

 private:
  std::unique_ptr<State> state_;
};

struct ObjectRead {
  std::shared_ptr<const ObjectRecord> object;
  bool not_modified = false;       // 304: nothing else is set
  std::optional<ByteRange> range;  // 206 when set
  // The checksum the response shows when asked (x-amz-checksum-mode): the object's for the whole
  // object, the part's for some partNumber reads, none (null) for a byte range. Point into
  // `object`.
  const std::map<std::string, std::string>* checksums = nullptr;
  std::string_view checksum_type;
  uint64_t length = 0;             // the bytes the response carries
  std::string_view inline_bytes;   // the bytes of an inline object (within `object`)
  std::optional<ObjectBody> body;  // the bytes of a blob-backed object (GET only)
};

// Errors: NoSuchKey, NoSuchBucket, PreconditionFailed, InvalidRange, InvalidArgument and
// InvalidPartNumber (a bad partNumber), the engines' storage errors.
Awaitable<Result<ObjectRead>> ReadObject(Storage& storage, ReadObjectRequest request);

}  // namespace cairn::core
