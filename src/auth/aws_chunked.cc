// The aws-chunked decoder as a byte-driven state machine: it never needs more than the current
// line in memory, so a body can arrive in any slicing (one byte at a time included) and chunk data
// passes straight through to the sink. The framing and the chunk signatures follow "Transferring
// Payload in Multiple Chunks (Chunked Upload)" in the S3 API reference, the trailer and its
// signature follow "Signature calculations for trailing headers (chunked uploads)"; the unsigned
// trailer form is the one botocore and the other SDKs send (`0\r\n` + trailer lines + `\r\n`).
#include "auth/aws_chunked.h"

#include <algorithm>

#include "common/ascii.h"
#include "common/encoding.h"
#include "common/hashing.h"

namespace cairn::auth {
namespace {

// A size line is a few dozen bytes; a trailer line carries one base64 checksum. 4 KiB is far above
// both and bounds what a client can make us buffer.
constexpr size_t kMaxLineLength = 4096;
// S3 has a handful of trailing headers (the checksums); more than this is not a real client.
constexpr size_t kMaxTrailers = 64;
// No single S3 request carries more than 5 GiB of payload, so neither can one chunk.
constexpr uint64_t kMaxChunkSize = 5ull << 30;
constexpr std::string_view kEmptySha256Hex =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
constexpr std::string_view kSignaturePrefix = "chunk-signature=";
constexpr std::string_view kTrailerSignatureName = "x-amz-trailer-signature";

enum class Phase {
  kSizeLine,     // reading "hex-size[;chunk-signature=sig]\r\n"
  kData,         // passing chunk data through
  kDataCr,       // the CR after chunk data
  kDataLf,       // the LF after chunk data
  kTrailerLine,  // after the final chunk: trailer lines, then the empty line
  kDone,
  kFailed,
};

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool IsHex64(std::string_view s) {
  return s.size() == 64 && std::all_of(s.begin(), s.end(), [](char c) { return HexValue(c) >= 0; });
}

Status Malformed(std::string_view what) {
  return Status(ErrorCode::kInvalidRequest, "Malformed aws-chunked body: " + std::string(what));
}

}  // namespace

struct AwsChunkedDecoder::State {
  Phase phase = Phase::kSizeLine;
  std::string line;             // the line being read; its CRLF is stripped once complete
  uint64_t remaining = 0;       // chunk data still to come
  uint64_t chunk_index = 0;     // for messages: which chunk failed
  std::string chunk_signature;  // announced for the chunk being read (signed mode)
  std::unique_ptr<Hasher> chunk_hash;
  std::string previous_signature;  // each signature chains from the one before
  std::string scope;               // scope.ToString(), computed once
  std::string canonical_trailers;  // "name:value\n" per trailer: what the trailer signature covers
  bool trailer_signature_seen = false;
  bool trailer_signature_verified = false;
  Status error;

  Status Feed(AwsChunkedDecoder& d, std::string_view input, const DataSink& sink);
  Status ReadLine(std::string_view* input, bool* complete);
  Status OnSizeLine(AwsChunkedDecoder& d);
  Status OnTrailerLine(AwsChunkedDecoder& d);
  Status VerifyChunk(const Options& options, std::string_view data_sha256_hex);
  Status VerifyTrailer(const Options& options, std::string_view signature);
};

AwsChunkedDecoder::AwsChunkedDecoder(Options options)
    : options_(std::move(options)), state_(std::make_shared<State>()) {
  state_->previous_signature = AsciiLowercase(options_.seed_signature);
  state_->scope = options_.scope.ToString();
}

Status AwsChunkedDecoder::Feed(std::string_view input, const DataSink& sink) {
  State& s = *state_;
  if (s.phase == Phase::kFailed) return s.error;
  Status status = s.Feed(*this, input, sink);
  if (!status.ok()) {
    s.phase = Phase::kFailed;
    s.error = status;
  }
  return status;
}

bool AwsChunkedDecoder::done() const { return state_->phase == Phase::kDone; }

Status AwsChunkedDecoder::Finish() const {
  const State& s = *state_;
  switch (s.phase) {
    case Phase::kDone:
      return Status::Ok();
    case Phase::kFailed:
      return s.error;
    case Phase::kTrailerLine:
      // Every payload byte and every signature has been read and only the closing empty line is
      // missing: accept it, as some clients end the body right after the last trailer line.
      if (s.line.empty() &&
          (!(options_.signed_chunks && options_.trailer) || s.trailer_signature_verified)) {
        return Status::Ok();
      }
      return Status(ErrorCode::kIncompleteBody, "The aws-chunked body ended inside its trailer");
    case Phase::kData:
    case Phase::kDataCr:
    case Phase::kDataLf:
      return Status(ErrorCode::kIncompleteBody, "The aws-chunked body ended inside a chunk");
    case Phase::kSizeLine:
      break;
  }
  return Status(ErrorCode::kIncompleteBody, "The aws-chunked body ended before its final chunk");
}

Status AwsChunkedDecoder::State::Feed(AwsChunkedDecoder& d, std::string_view input,
                                      const DataSink& sink) {
  while (!input.empty()) {
    switch (phase) {
      case Phase::kSizeLine:
      case Phase::kTrailerLine: {
        bool complete = false;
        if (Status st = ReadLine(&input, &complete); !st.ok()) return st;
        if (!complete) break;
        Status st = phase == Phase::kSizeLine ? OnSizeLine(d) : OnTrailerLine(d);
        if (!st.ok()) return st;
        line.clear();
        break;
      }
      case Phase::kData: {
        size_t n = static_cast<size_t>(std::min<uint64_t>(remaining, input.size()));
        std::string_view piece = input.substr(0, n);
        input.remove_prefix(n);
        remaining -= n;
        d.decoded_size_ += n;
        if (chunk_hash) chunk_hash->Update(piece);
        if (sink) sink(piece);
        if (remaining == 0) {
          phase = Phase::kDataCr;
          if (chunk_hash) {
            std::string digest = chunk_hash->Finish();
            chunk_hash.reset();
            if (Status st = VerifyChunk(d.options_, HexEncode(digest)); !st.ok()) return st;
          }
        }
        break;
      }
      case Phase::kDataCr:
      case Phase::kDataLf: {
        char expected = phase == Phase::kDataCr ? '\r' : '\n';
        if (input.front() != expected) {
          return Malformed("chunk " + std::to_string(chunk_index) +
                           " is not followed by CRLF (its size does not match its data)");
        }
        input.remove_prefix(1);
        if (phase == Phase::kDataCr) {
          phase = Phase::kDataLf;
        } else {
          phase = Phase::kSizeLine;
          ++chunk_index;
        }
        break;
      }
      case Phase::kDone:
        return Malformed("data after the end of the body");
      case Phase::kFailed:
        return error;
    }
  }
  return Status::Ok();
}

// Moves bytes from `input` into `line` up to and including the next LF; sets `complete` when the
// line is whole, its CRLF removed.
Status AwsChunkedDecoder::State::ReadLine(std::string_view* input, bool* complete) {
  size_t lf = input->find('\n');
  size_t take = lf == std::string_view::npos ? input->size() : lf + 1;
  if (line.size() + take > kMaxLineLength + 2) {
    return Malformed("a chunk header or trailer line is longer than " +
                     std::to_string(kMaxLineLength) + " bytes");
  }
  line.append(input->substr(0, take));
  input->remove_prefix(take);
  if (lf == std::string_view::npos) return Status::Ok();
  if (line.size() < 2 || line[line.size() - 2] != '\r') {
    return Malformed("a chunk header or trailer line does not end with CRLF");
  }
  line.resize(line.size() - 2);
  if (line.find('\r') != std::string::npos) return Malformed("a bare CR in a line");
  *complete = true;
  return Status::Ok();
}

// "hex-size[;chunk-signature=sig]", hex digits of any case, optional whitespace before ';'.
Status AwsChunkedDecoder::State::OnSizeLine(AwsChunkedDecoder& d) {
  size_t digits = 0;
  uint64_t size = 0;
  while (digits < line.size() && HexValue(line[digits]) >= 0) {
    if (digits == 16) return Malformed("chunk size has too many digits");
    size = size * 16 + static_cast<uint64_t>(HexValue(line[digits]));
    ++digits;
  }
  std::string_view rest = TrimOws(std::string_view(line).substr(digits));
  if (digits == 0 || (!rest.empty() && rest.front() != ';')) {
    return Malformed("chunk " + std::to_string(chunk_index) +
                     " has a size that is not a hexadecimal number");
  }
  if (size > kMaxChunkSize) return Malformed("chunk size is larger than 5 GiB");

  if (d.options_.signed_chunks) {
    std::string_view extension = rest.empty() ? rest : TrimOws(rest.substr(1));
    if (extension.substr(0, kSignaturePrefix.size()) != kSignaturePrefix) {
      return Malformed("chunk " + std::to_string(chunk_index) + " has no chunk-signature");
    }
    std::string_view signature = TrimOws(extension.substr(kSignaturePrefix.size()));
    if (!IsHex64(signature)) {
      return Malformed("chunk " + std::to_string(chunk_index) +
                       " has a chunk-signature that is not 64 hexadecimal digits");
    }
    chunk_signature = AsciiLowercase(signature);
  }
  // Unsigned chunks may carry extensions too (HTTP allows them); they have no meaning here.

  if (size == 0) {
    // The final chunk is signed like any other, over empty data.
    if (d.options_.signed_chunks) {
      if (Status st = VerifyChunk(d.options_, kEmptySha256Hex); !st.ok()) return st;
    }
    phase = Phase::kTrailerLine;
    return Status::Ok();
  }
  remaining = size;
  if (d.options_.signed_chunks) chunk_hash = MakeSha256Hasher();
  phase = Phase::kData;
  return Status::Ok();
}

// One line after the final chunk: "name:value", "x-amz-trailer-signature:sig", or the empty line
// that ends the body.
Status AwsChunkedDecoder::State::OnTrailerLine(AwsChunkedDecoder& d) {
  const Options& options = d.options_;
  if (line.empty()) {
    if (options.signed_chunks && options.trailer && !trailer_signature_verified) {
      return Malformed("the trailer has no x-amz-trailer-signature");
    }
    phase = Phase::kDone;
    return Status::Ok();
  }
  if (!options.trailer) return Malformed("trailing headers in a request that declared none");
  if (trailer_signature_seen) return Malformed("a trailer line after x-amz-trailer-signature");
  if (d.trailers_.size() >= kMaxTrailers) return Malformed("too many trailing headers");

  size_t colon = line.find(':');
  std::string_view name =
      colon == std::string::npos ? "" : TrimOws(std::string_view(line).substr(0, colon));
  if (name.empty()) return Malformed("a trailer line is not \"name:value\"");
  // S3 accepts whitespace around the colon, so the value is trimmed (and so is what gets signed).
  std::string_view value = TrimOws(std::string_view(line).substr(colon + 1));
  std::string lower_name = AsciiLowercase(name);

  if (lower_name == kTrailerSignatureName) {
    trailer_signature_seen = true;
    // In the unsigned-trailer mode there is no key to check a signature with; ignoring it is safe
    // because nothing in that mode is signed anyway.
    if (!options.signed_chunks) return Status::Ok();
    return VerifyTrailer(options, value);
  }
  canonical_trailers.append(lower_name).append(":").append(value).append("\n");
  d.trailers_.emplace_back(std::move(lower_name), std::string(value));
  return Status::Ok();
}

// String to sign of a chunk: AWS4-HMAC-SHA256-PAYLOAD, date, scope, previous signature, the hash
// of the empty string (where a header hash would go) and the hash of the chunk's data.
Status AwsChunkedDecoder::State::VerifyChunk(const Options& options,
                                             std::string_view data_sha256_hex) {
  std::string string_to_sign = "AWS4-HMAC-SHA256-PAYLOAD\n";
  string_to_sign.append(options.amz_date).append("\n");
  string_to_sign.append(scope).append("\n");
  string_to_sign.append(previous_signature).append("\n");
  string_to_sign.append(kEmptySha256Hex).append("\n");
  string_to_sign.append(data_sha256_hex);
  std::string expected = Signature(options.signing_key, string_to_sign);
  if (!SignaturesEqual(expected, chunk_signature)) {
    return Status(
        ErrorCode::kSignatureDoesNotMatch,
        "The signature of chunk " + std::to_string(chunk_index) + " does not match its data");
  }
  previous_signature = std::move(expected);
  return Status::Ok();
}

// String to sign of the trailer: AWS4-HMAC-SHA256-TRAILER, date, scope, the final chunk's
// signature and the hash of the trailing headers as "name:value\n" lines.
Status AwsChunkedDecoder::State::VerifyTrailer(const Options& options, std::string_view signature) {
  if (!IsHex64(signature)) {
    return Malformed("x-amz-trailer-signature is not 64 hexadecimal digits");
  }
  std::string string_to_sign = "AWS4-HMAC-SHA256-TRAILER\n";
  string_to_sign.append(options.amz_date).append("\n");
  string_to_sign.append(scope).append("\n");
  string_to_sign.append(previous_signature).append("\n");
  string_to_sign.append(HexEncode(Sha256(canonical_trailers)));
  std::string expected = Signature(options.signing_key, string_to_sign);
  if (!SignaturesEqual(expected, AsciiLowercase(signature))) {
    return Status(ErrorCode::kSignatureDoesNotMatch,
                  "The trailer signature does not match the trailing headers");
  }
  previous_signature = std::move(expected);
  trailer_signature_verified = true;
  return Status::Ok();
}

}  // namespace cairn::auth
