#include "s3/payload.h"

#include <algorithm>
#include <charconv>
#include <cstring>

namespace cairn::s3 {
namespace {

// One read from the connection: large enough to batch disk writes and hand-offs between threads,
// small enough that the buffers of each of 64 concurrent uploads stay within the memory target.
constexpr size_t kReadSize = 256 << 10;

std::optional<uint64_t> ParseUint(std::string_view s) {
  uint64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || s.empty()) return std::nullopt;
  return v;
}

const core::Trailers kNoTrailers;

}  // namespace

Result<std::unique_ptr<PayloadReader>> PayloadReader::Open(RequestContext& ctx, uint64_t max_size,
                                                           Framing framing) {
  std::unique_ptr<PayloadReader> reader(new PayloadReader(ctx, max_size));
  const http::RequestHead& head = ctx.head();
  const auth::PayloadMode mode = ctx.auth.payload_mode;
  if (auth::IsAwsChunked(mode)) {
    if (auto decoded = ctx.Header("x-amz-decoded-content-length")) {
      reader->declared_size_ = ParseUint(*decoded);
      if (!reader->declared_size_) {
        return Error(ErrorCode::kInvalidArgument, "x-amz-decoded-content-length is not a number.");
      }
    } else if (mode == auth::PayloadMode::kStreamingSigned) {
      return Error(ErrorCode::kMissingContentLength,
                   "STREAMING-AWS4-HMAC-SHA256-PAYLOAD needs x-amz-decoded-content-length.");
    }
    auth::AwsChunkedDecoder::Options options;
    options.signed_chunks = mode == auth::PayloadMode::kStreamingSigned ||
                            mode == auth::PayloadMode::kStreamingSignedTrailer;
    options.trailer = auth::HasTrailer(mode);
    options.signing_key = ctx.auth.signing_key;
    options.seed_signature = ctx.auth.seed_signature;
    options.amz_date = ctx.auth.amz_date;
    options.scope = ctx.auth.scope;
    reader->decoder_ = std::make_unique<auth::AwsChunkedDecoder>(std::move(options));
  } else {
    reader->declared_size_ = head.content_length;
  }
  if (!head.content_length && !head.chunked && framing == Framing::kLengthRequired) {
    return Error(ErrorCode::kMissingContentLength);
  }
  if (reader->declared_size_ && *reader->declared_size_ > max_size) {
    return Error(ErrorCode::kEntityTooLarge);
  }
  return reader;
}

Result<std::unique_ptr<PayloadReader>> PayloadReader::OpenRest(RequestContext& ctx, uint64_t size,
                                                               uint64_t max_size) {
  if (size > max_size) return Error(ErrorCode::kEntityTooLarge);
  std::unique_ptr<PayloadReader> reader(new PayloadReader(ctx, max_size));
  reader->declared_size_ = size;
  return reader;
}

Awaitable<Result<std::string_view>> PayloadReader::Next() {
  for (;;) {
    if (ctx_.exchange.body_done()) {
      if (decoder_) {
        if (Status s = decoder_->Finish(); !s.ok()) co_return s.error();
      }
      if (declared_size_ && delivered_ != *declared_size_) {
        co_return Error(ErrorCode::kIncompleteBody);
      }
      co_return std::string_view();
    }
    std::unique_ptr<char[]>& buffer = buffers_[turn_];
    if (!buffer) {
      // As large as a read may be, but no larger than the body: a 4 KiB PUT must not pay for
      // (and fault in) a large buffer. Left uninitialized: every byte used is read first.
      const uint64_t wire = ctx_.head().content_length.value_or(kReadSize);
      buffer_size_ = static_cast<size_t>(std::clamp<uint64_t>(wire, 1, kReadSize));
      buffer = std::make_unique_for_overwrite<char[]>(buffer_size_);
    }
    size_t n = 0;
    try {
      n = co_await ctx_.exchange.ReadBody(buffer.get(), buffer_size_);
    } catch (const std::exception&) {
      ctx_.exchange.CloseAfterResponse();
      co_return Error(ErrorCode::kIncompleteBody);
    }
    std::string_view piece(buffer.get(), n);
    if (decoder_) {
      // Decoded bytes never run ahead of the framed bytes they come from, so they are moved down
      // within the same buffer.
      size_t decoded = 0;
      Status s = decoder_->Feed(piece, [&](std::string_view d) {
        std::memmove(buffer.get() + decoded, d.data(), d.size());
        decoded += d.size();
      });
      if (!s.ok()) {
        ctx_.exchange.CloseAfterResponse();
        co_return s.error();
      }
      piece = std::string_view(buffer.get(), decoded);
    }
    delivered_ += piece.size();
    if (delivered_ > max_size_ || (declared_size_ && delivered_ > *declared_size_)) {
      ctx_.exchange.CloseAfterResponse();
      co_return Error(
          delivered_ > max_size_ ? ErrorCode::kEntityTooLarge : ErrorCode::kIncompleteBody,
          "The body is longer than the size it declared.");
    }
    if (!piece.empty()) {
      turn_ = (turn_ + 1) % kBuffers;
      co_return piece;
    }
  }
}

const core::Trailers& PayloadReader::trailers() const {
  return decoder_ ? decoder_->trailers() : kNoTrailers;
}

Awaitable<Result<std::string>> PayloadReader::ReadAll() {
  std::string all;
  for (;;) {
    Result<std::string_view> piece = co_await Next();
    if (!piece.ok()) co_return piece.error();
    if (piece->empty()) co_return all;
    all.append(*piece);
  }
}

}  // namespace cairn::s3
