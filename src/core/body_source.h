// A request body as a stream of decoded bytes: what the core services store into a blob
// (core/body_ingest.h). The S3 layer's PayloadReader is the body of a PUT; a POST form's file part
// is another (s3/post_form.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/awaitable.h"
#include "common/status.h"

namespace cairn::core {

using Trailers = std::vector<std::pair<std::string, std::string>>;

class BodySource {
 public:
  virtual ~BodySource() = default;

  // The most bytes the body can hold, when known before reading it (checked against the
  // free-space reserve).
  virtual std::optional<uint64_t> declared_size() const = 0;

  // The next run of bytes (valid until the next call, or through pieces_kept() more calls);
  // empty once the body is complete and verified. Errors end the body: nothing of it may be kept.
  virtual Awaitable<Result<std::string_view>> Next() = 0;

  // How many further calls of Next() a run stays valid through, so that a consumer may still be
  // processing that many runs while it reads the next one.
  virtual size_t pieces_kept() const { return 0; }

  // Trailing headers that arrived after the body (lowercase names), once Next() returned empty.
  virtual const Trailers& trailers() const = 0;
};

}  // namespace cairn::core
