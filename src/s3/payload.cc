#include "s3/payload.h"

#include <algorithm>
#include <charconv>

namespace cairn::s3 {
namespace {

constexpr size_t kReadSize = 1 << 20;  // one read from the connection: large enough to batch disk writes

std::optional<uint64_t> ParseUint(std::string_view s) {
  uint64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || s.empty()) return std::nullopt;
  return v;
}

const Trailers kNoTrailers;

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

http::Awaitable<Result<std::string_view>> PayloadReader::Next() {
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
    if (!raw_) {
      // As large as a read may be, but no larger than the body: a 4 KiB PUT must not pay for
      // (and fault in) a 1 MiB buffer. Left uninitialized: every byte used is read first.
      const uint64_t wire = ctx_.head().content_length.value_or(kReadSize);
      raw_size_ = static_cast<size_t>(std::clamp<uint64_t>(wire, 1, kReadSize));
      raw_ = std::make_unique_for_overwrite<char[]>(raw_size_);
    }
    size_t n = 0;
    try {
      n = co_await ctx_.exchange.ReadBody(raw_.get(), raw_size_);
    } catch (const std::exception&) {
      ctx_.exchange.CloseAfterResponse();
      co_return Error(ErrorCode::kIncompleteBody);
    }
    std::string_view piece(raw_.get(), n);
    if (decoder_) {
      decoded_.clear();
      Status s = decoder_->Feed(piece, [this](std::string_view d) { decoded_.append(d); });
      if (!s.ok()) {
        ctx_.exchange.CloseAfterResponse();
        co_return s.error();
      }
      piece = decoded_;
    }
    delivered_ += piece.size();
    if (delivered_ > max_size_ || (declared_size_ && delivered_ > *declared_size_)) {
      ctx_.exchange.CloseAfterResponse();
      co_return Error(delivered_ > max_size_ ? ErrorCode::kEntityTooLarge
                                             : ErrorCode::kIncompleteBody,
                      "The body is longer than the size it declared.");
    }
    if (!piece.empty()) co_return piece;
  }
}

const Trailers& PayloadReader::trailers() const {
  return decoder_ ? decoder_->trailers() : kNoTrailers;
}

http::Awaitable<Result<std::string>> PayloadReader::ReadAll() {
  std::string all;
  for (;;) {
    Result<std::string_view> piece = co_await Next();
    if (!piece.ok()) co_return piece.error();
    if (piece->empty()) co_return all;
    all.append(*piece);
  }
}

}  // namespace cairn::s3
