// The inside of cairn::Body, seen only by the library: a source of bytes with an optional size,
// and, for memory bodies, the bytes themselves so that small requests can be signed with their
// SHA-256 instead of UNSIGNED-PAYLOAD. BodyAccess lets the library wrap a source (the multipart
// uploader hashes a part while it is sent) without widening the public class.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "cairn/body.h"

namespace cairn {

struct Body::Source {
  virtual ~Source() = default;
  virtual std::optional<uint64_t> Size() const = 0;
  virtual size_t Read(char* out, size_t n) = 0;
  virtual bool Rewindable() const = 0;
  virtual void Rewind() = 0;
  // The whole body when it is held in memory, else nullptr.
  virtual const std::string* Memory() const { return nullptr; }
};

struct BodyAccess {
  static Body::Source& SourceOf(const Body& body) { return *body.source_; }
  static std::shared_ptr<Body::Source> SharedSourceOf(const Body& body) { return body.source_; }
  static Body Make(std::shared_ptr<Body::Source> source) { return Body(std::move(source)); }
};

}  // namespace cairn
