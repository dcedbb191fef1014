// The decoded request body: reads the transfer-decoded bytes from the exchange and, for
// aws-chunked payloads, strips the chunk framing while the decoder verifies chunk signatures and
// collects trailers. The size limits of the operation are enforced before the first byte is read.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "auth/aws_chunked.h"
#include "common/status.h"
#include "core/body_source.h"
#include "s3/context.h"

namespace cairn::s3 {

class PayloadReader final : public core::BodySource {
 public:
  // Whether a body without any framing (no Content-Length, not chunked) is an error: it is for
  // object data (S3: 411 MissingContentLength), not for small documents, which may be empty.
  enum class Framing { kLengthRequired, kLengthOptional };

  // Checks the framing headers against `max_size` (the decoded body's limit): EntityTooLarge when
  // the declared size is over it, MissingContentLength as `framing` says, and for
  // STREAMING-AWS4-HMAC-SHA256-PAYLOAD without x-amz-decoded-content-length.
  static Result<std::unique_ptr<PayloadReader>> Open(RequestContext& ctx, uint64_t max_size,
                                                     Framing framing);
  // The rest of a plain body of which the caller read the first bytes itself (the R2 binding's
  // JSON): exactly `size` more bytes. EntityTooLarge when `size` is over `max_size`.
  static Result<std::unique_ptr<PayloadReader>> OpenRest(RequestContext& ctx, uint64_t size,
                                                         uint64_t max_size);

  // The decoded size the client declared, when it did.
  std::optional<uint64_t> declared_size() const override { return declared_size_; }

  // The next run of decoded bytes; empty once the body is complete and its framing verified. A run
  // stays valid through the next kBuffers - 1 calls (the buffers take turns), so that earlier runs
  // can be hashed and written while the next ones are read. Errors: IncompleteBody (short body),
  // EntityTooLarge (more bytes than allowed), framing or chunk-signature errors.
  Awaitable<Result<std::string_view>> Next() override;

  static constexpr size_t kBuffers = 4;
  size_t pieces_kept() const override { return kBuffers - 1; }

  // Trailing headers of an aws-chunked body (after Next() returned empty).
  const core::Trailers& trailers() const override;

  // Reads the whole body into a string (small XML bodies only, bounded by max_size).
  Awaitable<Result<std::string>> ReadAll();

 private:
  PayloadReader(RequestContext& ctx, uint64_t max_size) : ctx_(ctx), max_size_(max_size) {}

  RequestContext& ctx_;
  uint64_t max_size_;
  std::optional<uint64_t> declared_size_;
  uint64_t delivered_ = 0;
  std::unique_ptr<auth::AwsChunkedDecoder> decoder_;  // null for plain bodies
  // Bytes as read from the connection (aws-chunked bodies are decoded in place), in buffers that
  // take turns; each is allocated when first needed, so a small body uses one.
  std::unique_ptr<char[]> buffers_[kBuffers];
  size_t buffer_size_ = 0;
  size_t turn_ = 0;
};

}  // namespace cairn::s3
